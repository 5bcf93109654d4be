package io.shaledb.cluster.protocol;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests about the cluster rather than one shard's data: timestamps, membership, the shard map
 * (served by the metadata node, node 1), and node-to-node housekeeping.
 */
public sealed interface ClusterRequest<R> extends Request<R> {

  /** {@code count} fresh timestamps from the oracle, ascending, each greater than any handed out before. */
  record NextTimestamps(int count) implements ClusterRequest<long[]> {
    static final int TYPE = 20;
    public static final int MAX_COUNT = 4096;

    public NextTimestamps {
      if (count < 1 || count > MAX_COUNT) {
        throw new IllegalArgumentException("timestamp count must be in [1, " + MAX_COUNT + "]: " + count);
      }
    }

    static NextTimestamps read(WireInput in) {
      return new NextTimestamps(in.readInt());
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      out.writeInt(count);
    }

    @Override
    public void writeResult(long[] result, WireOutput out) {
      out.writeInt(result.length);
      for (long ts : result) {
        out.writeLong(ts);
      }
    }

    @Override
    public long[] readResult(WireInput in) {
      long[] result = new long[in.readCount(8)];
      for (int i = 0; i < result.length; i++) {
        result[i] = in.readLong();
      }
      return result;
    }
  }

  /** A node announces itself (again, after a restart or an address change); the answer is every member. */
  record Join(Member member) implements ClusterRequest<Membership> {
    static final int TYPE = 21;

    static Join read(WireInput in) {
      return new Join(new Member(in.readInt(), in.readString(), in.readString()));
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      out.writeInt(member.nodeId()).writeString(member.rpcAddress()).writeString(member.sqlAddress());
    }

    @Override
    public void writeResult(Membership result, WireOutput out) {
      MetadataWire.writeMembership(out, result);
    }

    @Override
    public Membership readResult(WireInput in) {
      return MetadataWire.readMembership(in);
    }
  }

  record GetMembership() implements ClusterRequest<Membership> {
    static final int TYPE = 22;

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {}

    @Override
    public void writeResult(Membership result, WireOutput out) {
      MetadataWire.writeMembership(out, result);
    }

    @Override
    public Membership readResult(WireInput in) {
      return MetadataWire.readMembership(in);
    }
  }

  record GetShardMap() implements ClusterRequest<ShardMap> {
    static final int TYPE = 23;

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {}

    @Override
    public void writeResult(ShardMap result, WireOutput out) {
      MetadataWire.writeShardMap(out, result);
    }

    @Override
    public ShardMap readResult(WireInput in) {
      return MetadataWire.readShardMap(in);
    }
  }

  /** Creates a keyspace with its shards spread over the members; answers the new shard map. Idempotent. */
  record CreateKeyspace(int keyspaceId, int shardCount) implements ClusterRequest<ShardMap> {
    static final int TYPE = 24;

    static CreateKeyspace read(WireInput in) {
      return new CreateKeyspace(in.readInt(), in.readInt());
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      out.writeInt(keyspaceId).writeInt(shardCount);
    }

    @Override
    public void writeResult(ShardMap result, WireOutput out) {
      MetadataWire.writeShardMap(out, result);
    }

    @Override
    public ShardMap readResult(WireInput in) {
      return MetadataWire.readShardMap(in);
    }
  }

  record DropKeyspace(int keyspaceId) implements ClusterRequest<ShardMap> {
    static final int TYPE = 25;

    static DropKeyspace read(WireInput in) {
      return new DropKeyspace(in.readInt());
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      out.writeInt(keyspaceId);
    }

    @Override
    public void writeResult(ShardMap result, WireOutput out) {
      MetadataWire.writeShardMap(out, result);
    }

    @Override
    public ShardMap readResult(WireInput in) {
      return MetadataWire.readShardMap(in);
    }
  }

  /** Sent by the metadata node to a shard's owner: create these (empty) shards durably. Idempotent. */
  record CreateShards(List<Integer> shardIds) implements ClusterRequest<Void> {
    static final int TYPE = 26;

    public CreateShards {
      shardIds = List.copyOf(shardIds);
    }

    static CreateShards read(WireInput in) {
      return new CreateShards(readInts(in));
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      writeInts(out, shardIds);
    }

    @Override
    public void writeResult(Void result, WireOutput out) {}

    @Override
    public Void readResult(WireInput in) {
      return null;
    }
  }

  /** Sent by the metadata node to a shard's owner: remove these shards and their data. Idempotent. */
  record DropShards(List<Integer> shardIds) implements ClusterRequest<Void> {
    static final int TYPE = 27;

    public DropShards {
      shardIds = List.copyOf(shardIds);
    }

    static DropShards read(WireInput in) {
      return new DropShards(readInts(in));
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      writeInts(out, shardIds);
    }

    @Override
    public void writeResult(Void result, WireOutput out) {}

    @Override
    public Void readResult(WireInput in) {
      return null;
    }
  }

  /**
   * The snapshot timestamp of the oldest transaction in progress on the node ({@code Long.MAX_VALUE}
   * if none): garbage collection anywhere must keep what it reads.
   */
  record OldestActiveSnapshot() implements ClusterRequest<Long> {
    static final int TYPE = 28;

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {}

    @Override
    public void writeResult(Long result, WireOutput out) {
      out.writeLong(result);
    }

    @Override
    public Long readResult(WireInput in) {
      return in.readLong();
    }
  }

  /** Tells a node that another changed the SQL catalog, so it reloads it before its next statement. */
  record CatalogChanged() implements ClusterRequest<Void> {
    static final int TYPE = 29;

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {}

    @Override
    public void writeResult(Void result, WireOutput out) {}

    @Override
    public Void readResult(WireInput in) {
      return null;
    }
  }

  private static void writeInts(WireOutput out, List<Integer> values) {
    out.writeInt(values.size());
    for (int value : values) {
      out.writeInt(value);
    }
  }

  private static List<Integer> readInts(WireInput in) {
    int count = in.readCount(4);
    List<Integer> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(in.readInt());
    }
    return values;
  }
}
