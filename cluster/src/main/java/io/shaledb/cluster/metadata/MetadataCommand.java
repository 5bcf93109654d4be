package io.shaledb.cluster.metadata;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.protocol.MetadataWire;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.cluster.protocol.WireOutput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;

/**
 * A change to the cluster's metadata: one entry of the metadata group's Raft log. Applying a
 * command to a {@link MetadataState} is deterministic (no clock, no randomness, no I/O), so every
 * replica that applies the same log holds the same state. The tags of {@link #encode} are
 * persisted in Raft logs: never renumber them.
 */
public sealed interface MetadataCommand {
  byte TAG_JOIN = 1;
  byte TAG_RESERVE_SHARD_IDS = 2;
  byte TAG_PUBLISH_KEYSPACE = 3;
  byte TAG_DROP_KEYSPACE = 4;
  byte TAG_RAISE_TIMESTAMP_BOUND = 5;
  byte TAG_RAISE_GC_SAFE_POINT = 6;

  /** Adds a member or updates its addresses. */
  record Join(Member member) implements MetadataCommand {}

  /** Reserves {@code count} new shard ids, never handed out again; the result is the first. */
  record ReserveShardIds(int count) implements MetadataCommand {
    public ReserveShardIds {
      if (count < 1) {
        throw new IllegalArgumentException("count must be positive: " + count);
      }
    }
  }

  /** Lists a keyspace whose shards exist on their nodes; a keyspace already listed stays as it is. */
  record PublishKeyspace(KeyspacePlacement placement) implements MetadataCommand {}

  record DropKeyspace(int keyspaceId) implements MetadataCommand {}

  /** Raises the bound below which the timestamp oracle may hand out timestamps (never lowers it). */
  record RaiseTimestampBound(long bound) implements MetadataCommand {}

  /** Raises the timestamp below which versions may be garbage-collected (never lowers it). */
  record RaiseGcSafePoint(long timestamp) implements MetadataCommand {}

  default byte[] encode() {
    WireOutput out = new WireOutput();
    if (this instanceof Join join) {
      out.writeByte(TAG_JOIN);
      MetadataWire.writeMember(out, join.member());
    } else if (this instanceof ReserveShardIds reserve) {
      out.writeByte(TAG_RESERVE_SHARD_IDS).writeInt(reserve.count());
    } else if (this instanceof PublishKeyspace publish) {
      out.writeByte(TAG_PUBLISH_KEYSPACE);
      MetadataState.writePlacement(out, publish.placement());
    } else if (this instanceof DropKeyspace drop) {
      out.writeByte(TAG_DROP_KEYSPACE).writeInt(drop.keyspaceId());
    } else if (this instanceof RaiseTimestampBound raise) {
      out.writeByte(TAG_RAISE_TIMESTAMP_BOUND).writeLong(raise.bound());
    } else if (this instanceof RaiseGcSafePoint raise) {
      out.writeByte(TAG_RAISE_GC_SAFE_POINT).writeLong(raise.timestamp());
    } else {
      throw new AssertionError(this);
    }
    return out.toByteArray();
  }

  /** @throws ShaleException {@link SqlState#PROTOCOL_VIOLATION} if {@code bytes} is no command */
  static MetadataCommand decode(byte[] bytes) {
    WireInput in = new WireInput(bytes);
    int tag = in.readByte();
    MetadataCommand command = switch (tag) {
      case TAG_JOIN -> new Join(MetadataWire.readMember(in));
      case TAG_RESERVE_SHARD_IDS -> new ReserveShardIds(in.readInt());
      case TAG_PUBLISH_KEYSPACE -> new PublishKeyspace(MetadataState.readPlacement(in));
      case TAG_DROP_KEYSPACE -> new DropKeyspace(in.readInt());
      case TAG_RAISE_TIMESTAMP_BOUND -> new RaiseTimestampBound(in.readLong());
      case TAG_RAISE_GC_SAFE_POINT -> new RaiseGcSafePoint(in.readLong());
      default -> throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "unknown metadata command tag " + tag);
    };
    in.expectEnd();
    return command;
  }
}
