package io.shaledb.cluster.protocol;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests about the cluster rather than one shard's data: timestamps (served by the metadata
 * leader), joining (any member submits it to the metadata group), and node-to-node housekeeping.
 */
public sealed interface ClusterRequest<R> extends Request<R> {

  /** {@code count} fresh timestamps from the oracle (the metadata leader; others refuse with 08006), ascending, each greater than any handed out before. */
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
      return new Join(MetadataWire.readMember(in));
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void writeTo(WireOutput out) {
      MetadataWire.writeMember(out, member);
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

  /** Sent by the node creating a keyspace to a shard's owner: create these (empty) shards durably. Idempotent. */
  record CreateShards(List<Integer> shardIds) implements ClusterRequest<Void> {
    static final int TYPE = 26; // 22-25 asked the metadata node before the metadata group existed: never reuse them

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

  /** Sent by the node dropping a keyspace to a shard's owner: remove these shards and their data. Idempotent. */
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

  /** Asks whether a node is up; it answers at once. */
  record Ping() implements ClusterRequest<Void> {
    static final int TYPE = 30;

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
