package io.shaledb.cluster.node;

import io.shaledb.txn.local.GcReport;
import io.shaledb.txn.local.VersionCollector;
import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.txn.TransactionCoordinator;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Transaction;

/**
 * The {@link KvStore} of one node of a cluster: keys are routed by the cluster's shard map to
 * shards on any node, timestamps come from the metadata node's oracle, keyspaces are created and
 * dropped through the metadata node. Transactions started here are coordinated here (Percolator:
 * one-shard commits in one request, others with two-phase commit over the participants' nodes).
 * Thread-safe. Does not own its components: the {@link ClusterNode} that built it closes them.
 */
final class ClusterKvStore implements KvStore {
  private final TimestampOracle oracle;
  private final ClusterDirectory directory;
  private final MetadataAccess metadata;
  private final TransactionCoordinator coordinator;
  private final VersionCollector collector;
  private volatile boolean closed;

  ClusterKvStore(
      TimestampOracle oracle,
      ClusterDirectory directory,
      MetadataAccess metadata,
      TransactionCoordinator coordinator,
      VersionCollector collector) {
    this.oracle = oracle;
    this.directory = directory;
    this.metadata = metadata;
    this.coordinator = coordinator;
    this.collector = collector;
  }

  @Override
  public Transaction begin() {
    checkOpen();
    return coordinator.begin();
  }

  @Override
  public Transaction beginReadOnlyAt(long readTimestamp) {
    checkOpen();
    return coordinator.beginReadOnlyAt(readTimestamp, collector.retentionStart());
  }

  @Override
  public void createKeyspace(int keyspaceId, int shardCount) {
    checkOpen();
    directory.update(metadata.createKeyspace(keyspaceId, shardCount));
  }

  @Override
  public void dropKeyspace(int keyspaceId) {
    checkOpen();
    directory.update(metadata.dropKeyspace(keyspaceId));
  }

  @Override
  public boolean keyspaceExists(int keyspaceId) {
    checkOpen();
    return directory.placement(keyspaceId).isPresent();
  }

  @Override
  public long currentTimestamp() {
    checkOpen();
    return oracle.next();
  }

  @Override
  public long oldestReadableTimestamp() {
    checkOpen();
    return collector.oldestReadableTimestamp();
  }

  @Override
  public long timestampAt(long epochMillis) {
    return oracle.readTimestampAt(epochMillis);
  }

  /** One garbage collection pass over this node's shards. */
  GcReport collectGarbage() {
    checkOpen();
    return collector.collect();
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }
}
