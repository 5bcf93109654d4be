package io.shaledb.cluster.node;

import io.shaledb.cluster.protocol.ShardCall;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.RowFilter;
import io.shaledb.storage.ScanIterator;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.ShardRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A shard stored on another node: every request is sent to that node, which applies it to the
 * shard and, where the request is {@linkplain ShardRequest#durableBeforeReply() durable before its
 * reply}, makes it durable before answering. A one-phase commit takes its commit timestamp from the
 * oracle on that node's side. Thread-safe.
 */
final class RemoteShardParticipant implements ShardParticipant {
  private final int nodeId;
  private final int shardId;
  private final ClusterClient client;
  private final int scanPageItems;

  RemoteShardParticipant(int nodeId, int shardId, ClusterClient client, int scanPageItems) {
    this.nodeId = nodeId;
    this.shardId = shardId;
    this.client = client;
    this.scanPageItems = scanPageItems;
  }

  int nodeId() {
    return nodeId;
  }

  @Override
  public int shardId() {
    return shardId;
  }

  /**
   * A commit point ({@code CommitPrimary}, {@code CommitOnePhase}) that fails without a definite
   * answer fails with {@link SqlState#TRANSACTION_RESOLUTION_UNKNOWN}; one that certainly never
   * reached the node with {@link SqlState#CONNECTION_FAILURE} (nothing committed).
   */
  @Override
  public <R> CompletableFuture<R> send(ShardRequest<R> request) {
    CompletableFuture<R> reply = client.callAsync(nodeId, new ShardCall<>(request));
    if (request instanceof ShardRequest.CommitPrimary commit) {
      return failingAsCommit(reply, commit.startTs());
    }
    if (request instanceof ShardRequest.CommitOnePhase commit) {
      return failingAsCommit(reply, commit.startTs());
    }
    return reply;
  }

  @Override
  public <R> R call(ShardRequest<R> request) {
    return ClusterClient.join(send(request));
  }

  /** The shard's node applies {@code filter}, so dropped rows and blanked columns never cross the network. */
  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
    RowFilter effective = filter != null && filter.isEffective() ? filter : null;
    return new RemoteScanIterator(client, nodeId, shardId, startInclusive, endExclusive, readTs, scanPageItems, effective);
  }

  private <R> CompletableFuture<R> failingAsCommit(CompletableFuture<R> reply, long startTs) {
    CompletableFuture<R> result = new CompletableFuture<>();
    reply.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(commitFailure(startTs, ClusterClient.unwrap(failure)));
      }
    });
    return result;
  }

  private RuntimeException commitFailure(long startTs, Throwable failure) {
    RuntimeException e = failure instanceof RuntimeException runtime
        ? runtime
        : new CompletionException(failure);
    if (ClusterClient.certainlyNotDelivered(e)) {
      return e;
    }
    if (e instanceof ShaleException shale && shale.sqlState() != SqlState.CONNECTION_FAILURE
        && shale.sqlState() != SqlState.INTERNAL_ERROR) {
      return e; // the node answered with a definite error: nothing committed
    }
    return new ShaleException(
        SqlState.TRANSACTION_RESOLUTION_UNKNOWN,
        "the outcome of committing the transaction started at " + startTs + " on node " + nodeId
            + " is unknown: " + e.getMessage(),
        e);
  }

  @Override
  public String toString() {
    return "shard " + shardId + " on node " + nodeId;
  }
}
