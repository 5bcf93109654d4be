package io.shaledb.cluster.node;

import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.cluster.protocol.Request;
import io.shaledb.cluster.protocol.Requests;
import io.shaledb.cluster.protocol.ShardCall;
import io.shaledb.txn.ShardRequest;
import io.shaledb.cluster.rpc.RpcHandler;
import io.shaledb.txn.TransactionCoordinator;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.ShardStore;

/**
 * Serves the requests of other nodes: shard operations are applied to this node's storage (and
 * synced before the answer where the protocol relies on durability), timestamps are served if this
 * node is the metadata leader, joins are submitted to the metadata group. Thread-safe.
 */
final class NodeRpcHandler implements RpcHandler {
  private final int selfNodeId;
  private final NodeStorage storage;
  private final MetadataTimestampOracle oracle;
  private final MetadataAccess metadata;
  private final TransactionCoordinator coordinator;
  private volatile Runnable onCatalogChanged = () -> {};

  NodeRpcHandler(
      int selfNodeId,
      NodeStorage storage,
      MetadataTimestampOracle oracle,
      MetadataAccess metadata,
      TransactionCoordinator coordinator) {
    this.selfNodeId = selfNodeId;
    this.storage = storage;
    this.oracle = oracle;
    this.metadata = metadata;
    this.coordinator = coordinator;
  }

  /** What to do when another node says it changed the SQL catalog. */
  void onCatalogChanged(Runnable action) {
    onCatalogChanged = action;
  }

  @Override
  public byte[] handle(int callerNodeId, int messageType, byte[] payload) {
    Request<?> request = Requests.decode(messageType, payload);
    return serve(request);
  }

  private <R> byte[] serve(Request<R> request) {
    return request.encodeResult(apply(request));
  }

  @SuppressWarnings("unchecked")
  private <R> R apply(Request<R> request) {
    if (request instanceof ShardCall<R> call) {
      return applyToShard(call.request());
    }
    return (R) applyToCluster((ClusterRequest<?>) request);
  }

  private <R> R applyToShard(ShardRequest<R> request) {
    ShardStore store;
    try {
      store = storage.shard(request.shardId());
    } catch (IllegalStateException e) {
      throw new ShaleException(
          SqlState.UNDEFINED_TABLE, "shard " + request.shardId() + " is not stored on node " + selfNodeId + " (dropped?)");
    }
    R result = request.applyTo(store, oracle::next);
    if (request.durableBeforeReply(result)) {
      storage.sync();
    }
    return result;
  }

  private Object applyToCluster(ClusterRequest<?> request) {
    if (request instanceof ClusterRequest.NextTimestamps next) {
      return oracle.serve(next.count());
    }
    if (request instanceof ClusterRequest.Join join) {
      return metadata.join(join.member());
    }
    if (request instanceof ClusterRequest.CreateShards create) {
      for (int shardId : create.shardIds()) {
        if (!storage.shardIds().contains(shardId)) {
          storage.createShard(shardId);
        }
      }
      storage.sync();
      return null;
    }
    if (request instanceof ClusterRequest.DropShards drop) {
      for (int shardId : drop.shardIds()) {
        if (storage.shardIds().contains(shardId)) {
          storage.dropShard(shardId);
        }
      }
      storage.sync();
      return null;
    }
    if (request instanceof ClusterRequest.OldestActiveSnapshot) {
      return coordinator.oldestActiveSnapshot();
    }
    if (request instanceof ClusterRequest.Ping) {
      return null;
    }
    if (request instanceof ClusterRequest.CatalogChanged) {
      onCatalogChanged.run();
      return null;
    }
    throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "unexpected request " + request.getClass().getSimpleName());
  }
}
