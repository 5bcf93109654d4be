package io.shaledb.cluster.protocol;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.membership.ShardPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Wire (and Raft log and snapshot) form of the cluster metadata: the members and the shard map. */
public final class MetadataWire {
  private MetadataWire() {}

  public static void writeMembership(WireOutput out, Membership membership) {
    out.writeInt(membership.members().size());
    for (Member member : membership.members()) {
      writeMember(out, member);
    }
  }

  public static Membership readMembership(WireInput in) {
    int count = in.readCount(20);
    List<Member> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      members.add(readMember(in));
    }
    return new Membership(members);
  }

  public static void writeMember(WireOutput out, Member member) {
    out.writeInt(member.nodeId()).writeString(member.rpcAddress()).writeString(member.sqlAddress());
    out.writeString(member.raftPeerId()).writeString(member.raftAddress());
  }

  public static Member readMember(WireInput in) {
    return new Member(in.readInt(), in.readString(), in.readString(), in.readString(), in.readString());
  }

  public static void writeShardMap(WireOutput out, ShardMap map) {
    out.writeLong(map.version()).writeInt(map.keyspaces().size());
    for (KeyspacePlacement placement : map.keyspaces().values()) {
      out.writeInt(placement.keyspaceId()).writeInt(placement.shards().size());
      for (ShardPlacement shard : placement.shards()) {
        out.writeInt(shard.shardId()).writeInt(shard.nodeId());
      }
    }
  }

  public static ShardMap readShardMap(WireInput in) {
    long version = in.readLong();
    int keyspaceCount = in.readCount(8);
    Map<Integer, KeyspacePlacement> keyspaces = new TreeMap<>();
    for (int i = 0; i < keyspaceCount; i++) {
      int keyspaceId = in.readInt();
      int shardCount = in.readCount(8);
      List<ShardPlacement> shards = new ArrayList<>(shardCount);
      for (int s = 0; s < shardCount; s++) {
        shards.add(new ShardPlacement(in.readInt(), in.readInt()));
      }
      keyspaces.put(keyspaceId, new KeyspacePlacement(keyspaceId, shards));
    }
    return new ShardMap(version, keyspaces);
  }
}
