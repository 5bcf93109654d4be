package io.shaledb.cluster.node;

import io.shaledb.cluster.protocol.ShardRequest;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.RowFilter;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.TxnStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * A shard stored on another node: every operation is one request to that node, which applies it
 * to the shard and, where the protocol needs it, makes it durable before answering. Thread-safe.
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

  @Override
  public ReadResult read(byte[] key, long readTs) {
    return client.call(nodeId, new ShardRequest.Read(shardId, key, readTs));
  }

  /** All keys in one request to the shard's node. */
  @Override
  public CompletableFuture<List<ReadResult>> readAllAsync(List<byte[]> keys, long readTs) {
    return client.callAsync(nodeId, new ShardRequest.ReadAll(shardId, keys, readTs));
  }

  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs) {
    return scan(startInclusive, endExclusive, readTs, null);
  }

  /** The shard's node applies {@code filter}, so dropped rows and blanked columns never cross the network. */
  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
    RowFilter effective = filter != null && filter.isEffective() ? filter : null;
    return new RemoteScanIterator(client, nodeId, shardId, startInclusive, endExclusive, readTs, scanPageItems, effective);
  }

  @Override
  public PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    return ClusterClient.join(prepareAsync(startTs, primaryKey, mutations, lockExpiresAtMs));
  }

  @Override
  public CompletableFuture<PrepareResult> prepareAsync(
      long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    return client.callAsync(nodeId, new ShardRequest.Prepare(shardId, startTs, primaryKey, mutations, lockExpiresAtMs));
  }

  /**
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if the request never reached the
   *     node (nothing committed), {@link SqlState#TRANSACTION_RESOLUTION_UNKNOWN} if it may have
   */
  @Override
  public boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys) {
    try {
      return client.call(nodeId, new ShardRequest.CommitPrimary(shardId, startTs, commitTs, primaryKey, otherKeys));
    } catch (RuntimeException e) {
      throw commitFailure(startTs, e);
    }
  }

  @Override
  public void commitSecondaries(long startTs, long commitTs, List<byte[]> keys) {
    ClusterClient.join(commitSecondariesAsync(startTs, commitTs, keys));
  }

  @Override
  public CompletableFuture<Void> commitSecondariesAsync(long startTs, long commitTs, List<byte[]> keys) {
    return client.callAsync(nodeId, new ShardRequest.CommitSecondaries(shardId, startTs, commitTs, keys));
  }

  @Override
  public void rollback(long startTs, byte[] primaryKey, List<byte[]> keys) {
    client.call(nodeId, new ShardRequest.Rollback(shardId, startTs, primaryKey, keys));
  }

  @Override
  public TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs) {
    return client.call(nodeId, new ShardRequest.ResolveStatus(shardId, primaryKey, startTs, nowMs));
  }

  @Override
  public void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs) {
    client.call(nodeId, new ShardRequest.ExtendLocks(shardId, startTs, keys, lockExpiresAtMs));
  }

  /**
   * The shard's node takes the commit timestamp from the oracle itself, after it has checked for
   * conflicts; {@code commitTimestamps} is not used.
   *
   * @throws ShaleException as {@link #commitPrimary}
   */
  @Override
  public OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations, LongSupplier commitTimestamps) {
    try {
      return client.call(nodeId, new ShardRequest.CommitOnePhase(shardId, startTs, mutations));
    } catch (RuntimeException e) {
      throw commitFailure(startTs, e);
    }
  }

  @Override
  public List<LockInfo> locks() {
    return client.call(nodeId, new ShardRequest.Locks(shardId));
  }

  private RuntimeException commitFailure(long startTs, RuntimeException e) {
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
