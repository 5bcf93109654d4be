package io.shaledb.txn;

import io.shaledb.kv.RowFilter;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ScanIterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A participant that forwards every request; tests override a named method to act between phases.
 * The asynchronous prepare and secondary commit go through their synchronous twins, so overriding
 * those sees every call.
 */
class ForwardingParticipant implements ShardParticipant {
  final ShardParticipant delegate;

  ForwardingParticipant(ShardParticipant delegate) {
    this.delegate = delegate;
  }

  @Override
  public int shardId() {
    return delegate.shardId();
  }

  @Override
  public <R> CompletableFuture<R> send(ShardRequest<R> request) {
    return delegate.send(request);
  }

  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
    return delegate.scan(startInclusive, endExclusive, readTs, filter);
  }

  @Override
  public CompletableFuture<PrepareResult> prepareAsync(
      long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    try {
      return CompletableFuture.completedFuture(prepare(startTs, primaryKey, mutations, lockExpiresAtMs));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> commitSecondariesAsync(long startTs, long commitTs, List<byte[]> keys) {
    try {
      commitSecondaries(startTs, commitTs, keys);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
