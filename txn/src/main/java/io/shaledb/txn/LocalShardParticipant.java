package io.shaledb.txn;

import io.shaledb.kv.RowFilter;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * {@link ShardParticipant} over a shard in this process: each request applied directly, no copying.
 * A request whose result must be durable before the reply ({@link ShardRequest#durableBeforeReply(Object)})
 * is made durable by the node's group commit ({@link LocalLog#sync()}) before the reply, except a
 * prepare whose primary key is in the same log: the commit point's sync covers it (see {@link
 * #coveredByCommitPoint}).
 */
final class LocalShardParticipant implements ShardParticipant {
  private final ShardStore store;
  private final LongSupplier timestamps;
  private final LocalLog log;

  LocalShardParticipant(ShardStore store, LongSupplier timestamps, LocalLog log) {
    this.store = Objects.requireNonNull(store, "store");
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
    this.log = Objects.requireNonNull(log, "log");
    assert log.storage().shardIds().contains(store.shardId()) : "shard " + store.shardId() + " is not in the log's storage";
  }

  @Override
  public int shardId() {
    return store.shardId();
  }

  @Override
  public <R> CompletableFuture<R> send(ShardRequest<R> request) {
    try {
      return CompletableFuture.completedFuture(call(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Straight from the store: the reader applies {@code filter} itself. */
  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
    return store.scan(startInclusive, endExclusive, readTs);
  }

  /** Without the future: the coordinator's reads are mostly point reads of local shards. */
  @Override
  public <R> R call(ShardRequest<R> request) {
    assert request.shardId() == store.shardId() : "request for shard " + request.shardId() + " sent to shard " + store.shardId();
    R result = request.applyTo(store, timestamps);
    if (request.durableBeforeReply(result) && !coveredByCommitPoint(request)) {
      log.sync();
    }
    return result;
  }

  /**
   * Whether {@code request} is a prepare whose durability the commit point provides: its primary key
   * is in this log, so the commit point ({@link ShardRequest.CommitPrimary}, durable before its reply)
   * writes to this log after the locks, and the sync that covers the commit record covers them too
   * (a sync covers every write made before it). Until the commit point nothing relies on the locks:
   * a crash before it loses a transaction that was never acknowledged.
   */
  private boolean coveredByCommitPoint(ShardRequest<?> request) {
    if (!(request instanceof ShardRequest.Prepare prepare)) {
      assert !(request instanceof ShardRequest.CommitPrimary commit) || log.holds().test(commit.primaryKey())
          : "the commit point of " + Keys.describe(((ShardRequest.CommitPrimary) request).primaryKey())
              + " applied to a shard outside its log";
      return false;
    }
    return log.holds().test(prepare.primaryKey());
  }

  @Override
  public String toString() {
    return "shard " + store.shardId();
  }
}
