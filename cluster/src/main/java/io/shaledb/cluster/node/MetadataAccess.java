package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;

/** The cluster's metadata as the rest of a node uses it. */
interface MetadataAccess {
  /** The map as this node's replica holds it (possibly a little behind the leader). */
  ShardMap shardMap();

  /** The map as the metadata leader holds it now. */
  ShardMap latestShardMap();

  ShardMap createKeyspace(int keyspaceId, int shardCount);

  ShardMap dropKeyspace(int keyspaceId);

  Membership join(Member member);

  Membership membership();
}
