package io.shaledb.txn;

import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.TxnStatus;
import java.util.List;
import java.util.function.LongSupplier;

/** A participant that forwards every call; tests override a method to act between phases. */
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
  public ReadResult read(byte[] key, long readTs) {
    return delegate.read(key, readTs);
  }

  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs) {
    return delegate.scan(startInclusive, endExclusive, readTs);
  }

  @Override
  public PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    return delegate.prepare(startTs, primaryKey, mutations, lockExpiresAtMs);
  }

  @Override
  public boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys) {
    return delegate.commitPrimary(startTs, commitTs, primaryKey, otherKeys);
  }

  @Override
  public void commitSecondaries(long startTs, long commitTs, List<byte[]> keys) {
    delegate.commitSecondaries(startTs, commitTs, keys);
  }

  @Override
  public void rollback(long startTs, byte[] primaryKey, List<byte[]> keys) {
    delegate.rollback(startTs, primaryKey, keys);
  }

  @Override
  public TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs) {
    return delegate.resolveStatus(primaryKey, startTs, nowMs);
  }

  @Override
  public void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs) {
    delegate.extendLocks(startTs, keys, lockExpiresAtMs);
  }

  @Override
  public OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations, LongSupplier commitTimestamps) {
    return delegate.commitOnePhase(startTs, mutations, commitTimestamps);
  }

  @Override
  public List<LockInfo> locks() {
    return delegate.locks();
  }
}
