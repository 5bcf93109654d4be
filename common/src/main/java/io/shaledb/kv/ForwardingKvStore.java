package io.shaledb.kv;

import java.util.Objects;

/**
 * A {@link KvStore} that hands every call to another one: subclasses override only what they
 * change (instrumenting, injecting faults, wrapping transactions). {@link #close()} does not close
 * the delegate, which the wrapper's creator still owns.
 */
public abstract class ForwardingKvStore implements KvStore {
  protected final KvStore delegate;

  protected ForwardingKvStore(KvStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public Transaction begin() {
    return delegate.begin();
  }

  @Override
  public Transaction beginReadOnlyAt(long readTimestamp) {
    return delegate.beginReadOnlyAt(readTimestamp);
  }

  @Override
  public void createKeyspace(int keyspaceId, int shardCount) {
    delegate.createKeyspace(keyspaceId, shardCount);
  }

  @Override
  public void dropKeyspace(int keyspaceId) {
    delegate.dropKeyspace(keyspaceId);
  }

  @Override
  public boolean keyspaceExists(int keyspaceId) {
    return delegate.keyspaceExists(keyspaceId);
  }

  @Override
  public long currentTimestamp() {
    return delegate.currentTimestamp();
  }

  @Override
  public long oldestReadableTimestamp() {
    return delegate.oldestReadableTimestamp();
  }

  @Override
  public long timestampAt(long epochMillis) {
    return delegate.timestampAt(epochMillis);
  }

  @Override
  public void close() {}
}
