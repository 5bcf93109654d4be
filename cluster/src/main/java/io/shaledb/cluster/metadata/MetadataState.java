package io.shaledb.cluster.metadata;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.membership.ShardPlacement;
import io.shaledb.cluster.protocol.MetadataWire;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.cluster.protocol.WireOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster's metadata as the metadata group's state machine holds it after applying a prefix of
 * the log. Immutable: {@link #apply} returns the next state with the command's result.
 *
 * @param membership the nodes, each with the addresses of its RPC, SQL and Raft endpoints
 * @param shardMap where every keyspace's shards live
 * @param nextShardId the smallest shard id never reserved
 * @param timestampBound no timestamp at or above it was ever handed out: a new oracle starts here
 * @param gcSafePoint versions older than the newest below it may be collected
 */
public record MetadataState(Membership membership, ShardMap shardMap, int nextShardId, long timestampBound, long gcSafePoint) {
  public static final MetadataState EMPTY = new MetadataState(new Membership(List.of()), ShardMap.EMPTY, 0, 0, 0);
  private static final int SNAPSHOT_FORMAT = 1;

  public MetadataState {
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(shardMap, "shardMap");
    if (nextShardId < 0 || timestampBound < 0 || gcSafePoint < 0) {
      throw new IllegalArgumentException("negative counter in metadata state");
    }
  }

  /** The state after {@code command} and what its caller is answered. */
  public record Applied(MetadataState state, byte[] result) {}

  public Applied apply(MetadataCommand command) {
    WireOutput result = new WireOutput();
    MetadataState next;
    if (command instanceof MetadataCommand.Join join) {
      Membership updated = membership.find(join.member().nodeId()).filter(join.member()::equals).isPresent()
          ? membership
          : membership.with(join.member());
      next = new MetadataState(updated, shardMap, nextShardId, timestampBound, gcSafePoint);
      MetadataWire.writeMembership(result, updated);
    } else if (command instanceof MetadataCommand.ReserveShardIds reserve) {
      long after = (long) nextShardId + reserve.count();
      if (after > Integer.MAX_VALUE) {
        throw new IllegalStateException("shard ids exhausted");
      }
      next = new MetadataState(membership, shardMap, (int) after, timestampBound, gcSafePoint);
      result.writeInt(nextShardId);
    } else if (command instanceof MetadataCommand.PublishKeyspace publish) {
      KeyspacePlacement placement = publish.placement();
      ShardMap updated = shardMap.find(placement.keyspaceId()).isPresent() ? shardMap : shardMap.with(placement);
      int maxShard = placement.shards().stream().mapToInt(ShardPlacement::shardId).max().orElse(-1);
      next = new MetadataState(membership, updated, Math.max(nextShardId, maxShard + 1), timestampBound, gcSafePoint);
      MetadataWire.writeShardMap(result, updated);
    } else if (command instanceof MetadataCommand.DropKeyspace drop) {
      ShardMap updated = shardMap.find(drop.keyspaceId()).isPresent() ? shardMap.without(drop.keyspaceId()) : shardMap;
      next = new MetadataState(membership, updated, nextShardId, timestampBound, gcSafePoint);
      MetadataWire.writeShardMap(result, updated);
    } else if (command instanceof MetadataCommand.RaiseTimestampBound raise) {
      next = new MetadataState(membership, shardMap, nextShardId, Math.max(timestampBound, raise.bound()), gcSafePoint);
      // The bound before and after: an oracle serves from the first up to the second.
      result.writeLong(timestampBound).writeLong(next.timestampBound);
    } else if (command instanceof MetadataCommand.RaiseGcSafePoint raise) {
      next = new MetadataState(membership, shardMap, nextShardId, timestampBound, Math.max(gcSafePoint, raise.timestamp()));
      result.writeLong(next.gcSafePoint);
    } else {
      throw new AssertionError(command);
    }
    return new Applied(next, result.toByteArray());
  }

  public byte[] encode() {
    WireOutput out = new WireOutput();
    out.writeInt(SNAPSHOT_FORMAT);
    MetadataWire.writeMembership(out, membership);
    MetadataWire.writeShardMap(out, shardMap);
    out.writeInt(nextShardId).writeLong(timestampBound).writeLong(gcSafePoint);
    return out.toByteArray();
  }

  public static MetadataState decode(byte[] bytes) {
    WireInput in = new WireInput(bytes);
    int format = in.readInt();
    if (format != SNAPSHOT_FORMAT) {
      throw new IllegalStateException("unknown metadata snapshot format " + format);
    }
    MetadataState state = new MetadataState(MetadataWire.readMembership(in), MetadataWire.readShardMap(in), in.readInt(),
        in.readLong(), in.readLong());
    in.expectEnd();
    return state;
  }

  static void writePlacement(WireOutput out, KeyspacePlacement placement) {
    out.writeInt(placement.keyspaceId()).writeInt(placement.shards().size());
    for (ShardPlacement shard : placement.shards()) {
      out.writeInt(shard.shardId()).writeInt(shard.nodeId());
    }
  }

  static KeyspacePlacement readPlacement(WireInput in) {
    int keyspaceId = in.readInt();
    int count = in.readCount(8);
    List<ShardPlacement> shards = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      shards.add(new ShardPlacement(in.readInt(), in.readInt()));
    }
    return new KeyspacePlacement(keyspaceId, shards);
  }
}
