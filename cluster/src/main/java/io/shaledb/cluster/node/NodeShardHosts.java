package io.shaledb.cluster.node;

import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.storage.NodeStorage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link ShardHosts} as the metadata node reaches them: its own storage directly, other nodes by request. */
final class NodeShardHosts implements ShardHosts {
  private final int selfNodeId;
  private final NodeStorage storage;
  private final ClusterClient client;

  NodeShardHosts(int selfNodeId, NodeStorage storage, ClusterClient client) {
    this.selfNodeId = selfNodeId;
    this.storage = storage;
    this.client = client;
  }

  @Override
  public CompletableFuture<Void> createShards(int nodeId, List<Integer> shardIds) {
    if (nodeId != selfNodeId) {
      return client.callAsync(nodeId, new ClusterRequest.CreateShards(shardIds));
    }
    for (int shardId : shardIds) {
      if (!storage.shardIds().contains(shardId)) {
        storage.createShard(shardId);
      }
    }
    storage.sync();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> dropShards(int nodeId, List<Integer> shardIds) {
    if (nodeId != selfNodeId) {
      return client.callAsync(nodeId, new ClusterRequest.DropShards(shardIds));
    }
    for (int shardId : shardIds) {
      if (storage.shardIds().contains(shardId)) {
        storage.dropShard(shardId);
      }
    }
    storage.sync();
    return CompletableFuture.completedFuture(null);
  }
}
