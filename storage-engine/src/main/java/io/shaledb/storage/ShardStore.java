package io.shaledb.storage;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * One shard: the participant side of Percolator-style two-phase commit over MVCC versions.
 *
 * <p>Per key the shard keeps committed versions ({@code commit ts -> value or tombstone}) and at
 * most one lock (a prepared, not yet committed write of one transaction, with its value). For the
 * keys it is primary for, it keeps each transaction's final status (committed at ts, or rolled
 * back), which is what decides the fate of that transaction's other locks.
 *
 * <p>Read rule: a read at {@code readTs} returns the newest version with {@code commitTs <= readTs},
 * unless the key holds a lock of a transaction with {@code startTs <= readTs} (that transaction may
 * still commit below {@code readTs}): then it reports the lock, and the caller resolves it and reads
 * again. A lock with {@code startTs > readTs} is invisible to the read. Invariant: a read at
 * {@code readTs} never misses a version with {@code commitTs <= readTs} that becomes visible later.
 *
 * <p>All operations are thread-safe and idempotent where stated, so a coordinator may repeat them
 * after a timeout. Their effects are durable at the next {@link NodeStorage#sync()}.
 */
public interface ShardStore {

  int shardId();

  ReadResult read(byte[] key, long readTs);

  /**
   * The keys in {@code [startInclusive, endExclusive)} in ascending order, each with what a
   * {@link #read} at {@code readTs} would return; keys whose visible state is absent (never
   * written, or a tombstone, and no visible lock) are skipped. Reads a consistent snapshot at
   * {@code readTs} as far as the read rule allows; the iterator must be closed.
   */
  ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs);

  /**
   * Phase 1 for this shard's part of a transaction: for every mutation, fail if a version was
   * committed after {@code startTs} or another transaction holds a lock on the key; otherwise lock
   * every key, storing the intended value with the lock. All or nothing: on failure no lock of
   * this call remains. Repeating a successful prepare is a no-op.
   */
  PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs);

  /**
   * Phase 2 commit point: commits the primary key's lock (and {@code otherKeys} on this shard) at
   * {@code commitTs} and records the transaction as committed. Returns false, changing nothing, if
   * the transaction's primary lock is gone because it was rolled back (for example by a resolver
   * after its lock expired). Returns true if it already committed.
   */
  boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys);

  /** Phase 2 for keys whose primary already committed: turns this transaction's locks into versions. Idempotent. */
  void commitSecondaries(long startTs, long commitTs, List<byte[]> keys);

  /**
   * Removes this transaction's locks on {@code keys}. If {@code primaryKey} is among them, records
   * the transaction as rolled back so that a late commit of it fails. Idempotent.
   */
  void rollback(long startTs, byte[] primaryKey, List<byte[]> keys);

  /**
   * The status of the transaction whose primary key is {@code primaryKey} on this shard, rolling it
   * back first if its primary lock expired before {@code nowMs} or if neither lock nor record
   * exists (so it can never commit later).
   */
  TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs);

  /** Moves the expiry of this transaction's locks on {@code keys} to {@code lockExpiresAtMs} (a live coordinator's heartbeat). */
  void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs);

  /**
   * One-shard transaction in one step: the same checks as {@link #prepare}, then a commit timestamp
   * from {@code commitTimestamps} (taken only after the checks pass and while the keys are
   * protected from readers missing the write), then the versions. All or nothing.
   */
  OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations, LongSupplier commitTimestamps);

  /** Locks held on this shard, e.g. to resolve those left by a crashed coordinator after restart. */
  List<LockInfo> locks();

  /**
   * Removes what no read at or after {@code safeTs} can need (MVCC garbage collection): for every
   * key, the versions older than its newest version with {@code commitTs <= safeTs} (the version
   * such a read sees), and that version too if it is a tombstone; and the status records of
   * transactions that started before {@code safeTs}.
   *
   * <p>Preconditions, which the caller guarantees: no read at a timestamp below {@code safeTs} is
   * in progress or will start; no transaction that started before {@code safeTs} holds a lock on
   * any shard or will take one (so nobody will ask for the status of such a transaction again);
   * every commit timestamp handed out from now on is above {@code safeTs}. Reads, scans and
   * commits at or above {@code safeTs} may run concurrently and see no difference.
   *
   * <p>Streams through the shard in batches of bounded size, each removed atomically with respect
   * to crashes (durable at the next {@link NodeStorage#sync()}), so commits interleave with it and
   * memory stays bounded whatever the shard's size. Idempotent.
   */
  GcResult collectGarbage(long safeTs);
}
