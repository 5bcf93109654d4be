package io.shaledb.cluster.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Creates and drops shards on the node that stores them, wherever that is. */
interface ShardHosts {
  /** Creates the (empty) shards on node {@code nodeId} durably; idempotent. */
  CompletableFuture<Void> createShards(int nodeId, List<Integer> shardIds);

  /** Drops the shards and their data on node {@code nodeId}; idempotent. */
  CompletableFuture<Void> dropShards(int nodeId, List<Integer> shardIds);
}
