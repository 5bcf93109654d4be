package io.shaledb.txn;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.TxnStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Finishes the transactions whose locks other transactions meet, by asking the primary key's
 * shard for their fate (Percolator's lock resolution): committed locks are rolled forward, rolled
 * back or expired ones are removed, pending ones are waited for with bounded, jittered back-off.
 * Thread-safe.
 */
final class LockResolver {
  /** What {@link #resolve} did to a lock. */
  enum Outcome {
    ROLLED_FORWARD,
    ROLLED_BACK,
    /** The lock's transaction may still commit; the lock is still there. */
    PENDING
  }

  private final ParticipantDirectory directory;
  private final Clock clock;
  private final TxnConfig config;
  private final RandomGenerator random;
  private final Sleeper sleeper;

  LockResolver(ParticipantDirectory directory, Clock clock, TxnConfig config, RandomGenerator random, Sleeper sleeper) {
    this.directory = directory;
    this.clock = clock;
    this.config = config;
    this.random = random;
    this.sleeper = sleeper;
  }

  /**
   * Resolves {@code lock} as of wall-clock {@code nowMs}: locks of transactions whose primary lock
   * expired before then are rolled back. The verdict is durable at the primary's shard before the
   * lock is touched; rolling the lock itself forward or back needs no sync (a lock that comes back
   * after a crash is resolved again, to the same verdict).
   */
  Outcome resolve(LockInfo lock, long nowMs) {
    Optional<ShardParticipant> lockShard = directory.find(lock.key());
    if (lockShard.isEmpty()) {
      return Outcome.ROLLED_BACK; // the keyspace was dropped, and the lock with it
    }
    List<byte[]> lockedKey = List.of(lock.key());
    Optional<ShardParticipant> primaryShard = directory.find(lock.primaryKey());
    if (primaryShard.isEmpty()) {
      // The primary's keyspace was dropped together with the transaction's status record: its
      // fate can no longer be learned and its writes there are gone, so this write goes too.
      lockShard.get().rollback(lock.startTs(), lock.primaryKey(), lockedKey);
      return Outcome.ROLLED_BACK;
    }
    TxnStatus status = primaryShard.get().resolveStatus(lock.primaryKey(), lock.startTs(), nowMs);
    if (status instanceof TxnStatus.Committed committed) {
      lockShard.get().commitSecondaries(lock.startTs(), committed.commitTs(), lockedKey);
      return Outcome.ROLLED_FORWARD;
    }
    if (status instanceof TxnStatus.RolledBack) {
      lockShard.get().rollback(lock.startTs(), lock.primaryKey(), lockedKey);
      return Outcome.ROLLED_BACK;
    }
    return Outcome.PENDING;
  }

  /**
   * Resolves a lock met by a live transaction, now. A rollback decision is durable before this
   * returns (the primary's transport syncs the status request's verdict): the caller is about to act
   * on "that transaction never commits", and a crash must not bring the transaction's primary lock
   * back for its coordinator to commit after all.
   *
   * @return whether the lock is gone
   */
  boolean resolveNow(LockInfo lock) {
    return resolve(lock, clock.millis()) != Outcome.PENDING;
  }

  /**
   * Reads {@code key} at {@code readTs}, resolving and waiting out locks.
   *
   * @return a {@link ReadResult.Value} or {@link ReadResult.Absent}
   * @throws ShaleException {@link SqlState#SERIALIZATION_FAILURE} when a lock stays pending past
   *     the configured wait
   */
  ReadResult read(ShardParticipant participant, byte[] key, long readTs) {
    LockWait wait = null;
    int resolved = 0;
    while (true) {
      ReadResult result = participant.read(key, readTs);
      if (!(result instanceof ReadResult.Locked locked)) {
        return result;
      }
      if (resolveNow(locked.lock())) {
        if (++resolved >= CommitProtocol.RESOLVE_ATTEMPTS_MAX) {
          throw tooManyLocks(locked.lock());
        }
      } else {
        if (wait == null) {
          wait = newWait();
        }
        wait.backOff(locked.lock());
      }
    }
  }

  LockWait newWait() {
    return new LockWait();
  }

  static ShaleException tooManyLocks(LockInfo lock) {
    return new ShaleException(
        SqlState.SERIALIZATION_FAILURE,
        "gave up after resolving "
            + CommitProtocol.RESOLVE_ATTEMPTS_MAX
            + " locks in a row on "
            + Keys.describe(lock.key())
            + "; retry the transaction");
  }

  /**
   * The waiting of one statement for one lock: pauses of growing length (doubling from
   * {@link TxnConfig#backoffInitialMs()} up to {@link TxnConfig#backoffMaxMs()}, each randomized
   * to between half and all of it so that waiters do not retry in step), in total at most
   * {@link TxnConfig#lockWaitMaxMs()}. The budget counts requested pauses, not wall-clock time, so
   * it holds even with a clock that does not move. Not thread-safe.
   */
  final class LockWait {
    private long waitedMs;
    private long nextPauseMs = config.backoffInitialMs();

    void backOff(LockInfo lock) {
      long budgetLeftMs = config.lockWaitMaxMs() - waitedMs;
      if (budgetLeftMs <= 0) {
        throw new ShaleException(
            SqlState.SERIALIZATION_FAILURE,
            "lock wait timeout: "
                + Keys.describe(lock.key())
                + " is still locked by the transaction started at "
                + lock.startTs()
                + " after waiting "
                + waitedMs
                + " ms; retry the transaction");
      }
      long pauseMaxMs = Math.min(nextPauseMs, budgetLeftMs);
      long pauseMinMs = (pauseMaxMs + 1) / 2;
      long pauseMs = pauseMinMs + random.nextLong(pauseMaxMs - pauseMinMs + 1);
      try {
        sleeper.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShaleException(SqlState.QUERY_CANCELED, "interrupted while waiting for a lock", e);
      }
      waitedMs += pauseMs;
      nextPauseMs = Math.min(nextPauseMs * 2, config.backoffMaxMs());
    }
  }
}
