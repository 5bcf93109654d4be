package io.shaledb.cluster.membership;

/** Shard {@code shardId} (unique in the cluster) is stored on node {@code nodeId}. */
public record ShardPlacement(int shardId, int nodeId) {}
