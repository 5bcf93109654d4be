package io.shaledb.txn;

import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.TxnStatus;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/** {@link ShardParticipant} over a shard in this process: direct calls, no copying. */
final class LocalShardParticipant implements ShardParticipant {
  private final ShardStore store;

  LocalShardParticipant(ShardStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public int shardId() {
    return store.shardId();
  }

  @Override
  public ReadResult read(byte[] key, long readTs) {
    return store.read(key, readTs);
  }

  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs) {
    return store.scan(startInclusive, endExclusive, readTs);
  }

  @Override
  public PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    return store.prepare(startTs, primaryKey, mutations, lockExpiresAtMs);
  }

  @Override
  public boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys) {
    return store.commitPrimary(startTs, commitTs, primaryKey, otherKeys);
  }

  @Override
  public void commitSecondaries(long startTs, long commitTs, List<byte[]> keys) {
    store.commitSecondaries(startTs, commitTs, keys);
  }

  @Override
  public void rollback(long startTs, byte[] primaryKey, List<byte[]> keys) {
    store.rollback(startTs, primaryKey, keys);
  }

  @Override
  public TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs) {
    return store.resolveStatus(primaryKey, startTs, nowMs);
  }

  @Override
  public void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs) {
    store.extendLocks(startTs, keys, lockExpiresAtMs);
  }

  @Override
  public OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations, LongSupplier commitTimestamps) {
    return store.commitOnePhase(startTs, mutations, commitTimestamps);
  }

  @Override
  public List<LockInfo> locks() {
    return store.locks();
  }

  @Override
  public String toString() {
    return "shard " + store.shardId();
  }
}
