package io.shaledb.txn;

import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.LockInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Starts transactions over the shards of a {@link ParticipantDirectory} with timestamps from a
 * {@link TimestampOracle}: snapshot isolation, Percolator-style commit (see {@link Transaction}
 * for the contract). Thread-safe; each transaction it starts is for one thread at a time.
 */
public final class TransactionCoordinator {
  private final ParticipantDirectory directory;
  private final TimestampOracle oracle;
  private final LockResolver resolver;
  private final CommitProtocol commitProtocol;
  private final ActiveSnapshots snapshots = new ActiveSnapshots();
  private final Clock clock;

  /**
   * @param clock wall clock for lock expiry
   * @param random jitter for lock-wait back-off; shared by all threads, so it must be thread-safe
   *     (as {@link java.util.Random} is)
   * @param sleeper how back-off pauses
   */
  public TransactionCoordinator(
      ParticipantDirectory directory,
      TimestampOracle oracle,
      TxnConfig config,
      Clock clock,
      RandomGenerator random,
      Sleeper sleeper) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.oracle = Objects.requireNonNull(oracle, "oracle");
    Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.resolver =
        new LockResolver(directory, clock, config, Objects.requireNonNull(random, "random"),
            Objects.requireNonNull(sleeper, "sleeper"));
    this.commitProtocol = new CommitProtocol(directory, oracle, resolver, config, clock);
  }

  /** A read-write transaction reading at a fresh timestamp. Its snapshot stays open (holding back garbage collection) until it ends. */
  public Transaction begin() {
    long startTs = snapshots.openFresh(oracle::next);
    return open(startTs, false);
  }

  /**
   * A read-only transaction reading at {@code readTimestamp}. A timestamp later than any handed
   * out so far is read at a fresh timestamp instead: reading beyond it could miss commits that are
   * yet to be given a smaller timestamp, so a future instant is read as "now".
   *
   * @throws ShaleException {@link SqlState#INVALID_PARAMETER_VALUE} if {@code readTimestamp} is negative
   */
  public Transaction beginReadOnlyAt(long readTimestamp) {
    return beginReadOnlyAt(readTimestamp, 0);
  }

  /**
   * As {@link #beginReadOnlyAt(long)}, refusing timestamps below {@code notBefore} (the start of
   * the version retention window) or below {@link #readableFloor()}.
   *
   * @throws ShaleException {@link SqlState#SNAPSHOT_TOO_OLD} if the timestamp is too old
   */
  public Transaction beginReadOnlyAt(long readTimestamp, long notBefore) {
    if (readTimestamp < 0) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "read timestamp must not be negative: " + readTimestamp);
    }
    long readTs = Math.min(readTimestamp, oracle.next());
    snapshots.openAt(readTs, notBefore);
    return open(readTs, true);
  }

  private Transaction open(long startTs, boolean readOnly) {
    try {
      return new PercolatorTransaction(startTs, readOnly, directory, resolver, commitProtocol, () -> snapshots.close(startTs));
    } catch (RuntimeException | Error e) {
      snapshots.close(startTs);
      throw e;
    }
  }

  /**
   * Chooses the timestamp that garbage collection may clean up to now: at most {@code wantedTs}
   * (the start of the retention window), at or below the snapshot of every transaction in
   * progress, and below every commit timestamp handed out from now on. Reads below it are refused
   * from now on ({@link #readableFloor()} rises to it).
   */
  public long advanceReadableFloor(long wantedTs) {
    return snapshots.advanceFloor(wantedTs, oracle::next);
  }

  /** Raises the readable floor, e.g. to what garbage collection reached before a restart. */
  public void raiseReadableFloor(long ts) {
    snapshots.raiseFloor(ts);
  }

  /** The oldest timestamp a new transaction may read at: versions below it may be garbage-collected. */
  public long readableFloor() {
    return snapshots.floor();
  }

  /** The snapshot timestamp of the oldest transaction in progress, or {@code Long.MAX_VALUE} if none is. */
  public long oldestActiveSnapshot() {
    return snapshots.oldestOpen();
  }

  /** Transactions started and not yet ended (committed, rolled back or closed). */
  public int activeTransactionCount() {
    return snapshots.openCount();
  }

  /**
   * Resolves the locks in {@code participants} of transactions that started before {@code
   * beforeTs}, which must be at or below {@link #oldestActiveSnapshot()}: no transaction of this
   * coordinator owns them, so their coordinator is gone (this is a single-coordinator store).
   * Rolls each forward or back as recovery at open does.
   *
   * @return how many such locks were found
   */
  public int resolveAbandonedLocks(Collection<ShardParticipant> participants, long beforeTs) {
    if (beforeTs > snapshots.oldestOpen()) {
      throw new IllegalArgumentException(
          "locks before " + beforeTs + " may belong to the transaction in progress at " + snapshots.oldestOpen());
    }
    List<LockInfo> found = new ArrayList<>();
    for (ShardParticipant participant : participants) {
      for (LockInfo lock : participant.locks()) {
        if (lock.startTs() < beforeTs) {
          found.add(lock);
        }
      }
    }
    for (LockInfo lock : found) {
      if (resolver.resolve(lock, Long.MAX_VALUE) == LockResolver.Outcome.PENDING) {
        throw new IllegalStateException(
            "abandoned lock on " + Keys.describe(lock.key()) + " of transaction " + lock.startTs() + " still pending");
      }
    }
    return found.size();
  }

  /**
   * Resolves the locks in {@code participants} whose lease has expired: their coordinator stopped
   * renewing them, most likely because it died. Each is rolled forward if its transaction
   * committed and rolled back otherwise; locks of live coordinators are left alone. In a cluster
   * this is how a node cleans up after coordinators on any node, its own previous process included.
   *
   * @return how many locks were resolved
   * @throws RuntimeException the first failure to resolve a lock, after trying all the others
   */
  public int resolveExpiredLocks(Collection<ShardParticipant> participants) {
    int resolved = 0;
    RuntimeException firstFailure = null;
    for (ShardParticipant participant : participants) {
      for (LockInfo lock : participant.locks()) {
        if (lock.expiresAtMs() >= clock.millis()) {
          continue;
        }
        try {
          if (resolver.resolveNow(lock)) {
            resolved++;
          }
        } catch (RuntimeException e) {
          // E.g. the primary's node is down: that lock waits for the next sweep, the others need not.
          if (firstFailure == null) {
            firstFailure = e;
          } else {
            firstFailure.addSuppressed(e);
          }
        }
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
    return resolved;
  }

  /**
   * Resolves every lock held in {@code participants}, treating each as left by a coordinator that
   * is gone: transactions whose primary committed are rolled forward, all others rolled back. Each
   * verdict is durable before its locks are touched (the status request is durable before its
   * reply); the locks' own resolution is redone after a crash if lost. Only correct when no coordinator that could own these locks is alive, e.g.
   * when a single-node store opens.
   *
   * @return how many locks were found
   */
  public int resolveLocksOfDeadCoordinators(Collection<ShardParticipant> participants) {
    // Collected first: resolving one lock can remove others of the same transaction, and every
    // resolution is idempotent, so each lock found counts once whoever removes it.
    List<LockInfo> found = new ArrayList<>();
    for (ShardParticipant participant : participants) {
      found.addAll(participant.locks());
    }
    for (LockInfo lock : found) {
      // At the end of time every lock has expired: nothing is left pending.
      LockResolver.Outcome outcome = resolver.resolve(lock, Long.MAX_VALUE);
      if (outcome == LockResolver.Outcome.PENDING) {
        throw new IllegalStateException(
            "lock on " + Keys.describe(lock.key()) + " of transaction " + lock.startTs() + " still pending at the end of time");
      }
    }
    return found.size();
  }
}
