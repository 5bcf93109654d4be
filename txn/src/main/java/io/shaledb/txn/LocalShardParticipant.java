package io.shaledb.txn;

import io.shaledb.kv.RowFilter;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** {@link ShardParticipant} over a shard in this process: each request applied directly, no copying. */
final class LocalShardParticipant implements ShardParticipant {
  private final ShardStore store;
  private final LongSupplier timestamps;

  LocalShardParticipant(ShardStore store, LongSupplier timestamps) {
    this.store = Objects.requireNonNull(store, "store");
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
  }

  @Override
  public int shardId() {
    return store.shardId();
  }

  @Override
  public <R> CompletableFuture<R> send(ShardRequest<R> request) {
    assert request.shardId() == store.shardId() : "request for shard " + request.shardId() + " sent to shard " + store.shardId();
    try {
      return CompletableFuture.completedFuture(request.applyTo(store, timestamps));
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
    return request.applyTo(store, timestamps);
  }

  @Override
  public String toString() {
    return "shard " + store.shardId();
  }
}
