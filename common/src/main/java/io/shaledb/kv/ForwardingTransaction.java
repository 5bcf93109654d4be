package io.shaledb.kv;

import java.util.List;
import java.util.Objects;

/**
 * A {@link Transaction} that hands every call to another one, {@link #getAll} included (so a
 * delegate's batched reads stay batched): subclasses override only what they change.
 */
public abstract class ForwardingTransaction implements Transaction {
  protected final Transaction delegate;

  protected ForwardingTransaction(Transaction delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public long startTimestamp() {
    return delegate.startTimestamp();
  }

  @Override
  public byte[] get(byte[] key) {
    return delegate.get(key);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    return delegate.getAll(keys);
  }

  @Override
  public KvCursor scan(ScanSpec spec) {
    return delegate.scan(spec);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    delegate.put(key, value);
  }

  @Override
  public void delete(byte[] key) {
    delegate.delete(key);
  }

  @Override
  public boolean hasWrites() {
    return delegate.hasWrites();
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public void rollback() {
    delegate.rollback();
  }

  @Override
  public boolean isActive() {
    return delegate.isActive();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
