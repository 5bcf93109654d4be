package io.shaledb.txn.tso;

import io.shaledb.storage.CompactionResult;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.ShardStore;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link NodeStorage} that counts syncs and meta writes, delegating everything. */
public final class CountingNodeStorage implements NodeStorage {
  private final NodeStorage delegate;
  private final AtomicInteger syncs = new AtomicInteger();
  private final AtomicInteger metaWrites = new AtomicInteger();

  public CountingNodeStorage(NodeStorage delegate) {
    this.delegate = delegate;
  }

  public int syncs() {
    return syncs.get();
  }

  public int metaWrites() {
    return metaWrites.get();
  }

  @Override
  public ShardStore createShard(int shardId) {
    return delegate.createShard(shardId);
  }

  @Override
  public ShardStore shard(int shardId) {
    return delegate.shard(shardId);
  }

  @Override
  public void dropShard(int shardId) {
    delegate.dropShard(shardId);
  }

  @Override
  public Set<Integer> shardIds() {
    return delegate.shardIds();
  }

  @Override
  public byte[] getMeta(String name) {
    return delegate.getMeta(name);
  }

  @Override
  public void putMeta(String name, byte[] value) {
    metaWrites.incrementAndGet();
    delegate.putMeta(name, value);
  }

  @Override
  public void sync() {
    syncs.incrementAndGet();
    delegate.sync();
  }

  @Override
  public long storeBytes() {
    return delegate.storeBytes();
  }

  @Override
  public CompactionResult compact() {
    return delegate.compact();
  }

  @Override
  public CompactionResult compactIfWasteful() {
    return delegate.compactIfWasteful();
  }

  @Override
  public boolean isDurable() {
    return delegate.isDurable();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
