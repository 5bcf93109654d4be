package io.shaledb.cluster.replication;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.storage.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The leader's one-phase commits between the moment it takes their commit timestamp and the moment
 * their log entry is applied (or given up). The store's own marker covers only the apply; on a
 * replica group the commit timestamp is taken before the entry is even in the log, so a read at or
 * above it that reaches the leader meanwhile must wait here instead of missing the versions about
 * to appear. Reads are served by the leader only, so only the leader keeps this table; a new leader
 * serves no read before it applied every entry of earlier terms (Raft's read index).
 */
final class PendingOnePhases {
  private final ConcurrentSkipListMap<byte[], Pending> byKey = new ConcurrentSkipListMap<>(ByteArrays.UNSIGNED);
  /**
   * Ratis may drop a request after {@code startTransaction} and before giving it a log index (too
   * many requests pending, leadership lost) without telling the state machine. A marker whose entry
   * has not reached the log ({@link Pending#enterLog}) after this long is expired by the read that
   * waits for it, and its entry, should it arrive after all, is refused.
   */
  static final long ENTER_LOG_LIMIT_MS = 2_000;
  private final long waitLimitMs;

  PendingOnePhases(long waitLimitMs) {
    this.waitLimitMs = waitLimitMs;
  }

  /** Installs a marker on every key of a one-phase commit; call before taking its commit timestamp. */
  Pending register(long startTs, List<Mutation> mutations) {
    List<byte[]> keys = new ArrayList<>(mutations.size());
    for (Mutation mutation : mutations) {
      keys.add(mutation.key().clone());
    }
    Pending pending = new Pending(startTs, keys);
    for (byte[] key : keys) {
      byKey.put(key, pending); // a later commit of the same key waits for this one in the apply order anyway
    }
    return pending;
  }

  /** Waits for the pending commits on {@code key} a read at {@code readTs} might see. */
  void awaitVisible(byte[] key, long readTs) {
    Pending pending = byKey.get(key);
    if (pending != null && pending.mayBeVisibleAt(readTs)) {
      pending.await(waitLimitMs);
    }
  }

  /** Waits for the pending commits in {@code [from, to)} a read at {@code readTs} might see. */
  void awaitVisible(byte[] from, byte[] to, long readTs) {
    if (byKey.isEmpty() || ByteArrays.compare(from, to) >= 0) {
      return;
    }
    for (Pending pending : new ArrayList<>(byKey.subMap(from, to).values())) {
      if (pending.mayBeVisibleAt(readTs)) {
        pending.await(waitLimitMs);
      }
    }
  }

  /**
   * Ends every marker, failing the reads that wait for one: this replica no longer leads, and the
   * entry may still be committed by the next leader, so such a read can no longer be answered here.
   */
  void abandonAll() {
    for (Pending pending : new ArrayList<>(byKey.values())) {
      pending.abandoned = true;
      pending.finish();
    }
  }

  int size() {
    return byKey.size();
  }

  /** A read waited for a one-phase commit that this replica, no longer the leader, cannot see to its end. */
  static final class LeadershipLostException extends ShaleException {
    private static final long serialVersionUID = 1L;

    LeadershipLostException() {
      super(SqlState.CONNECTION_FAILURE, "the replica lost its leadership while a read waited for a one-phase commit");
    }
  }

  /** One one-phase commit in flight. */
  final class Pending {
    private static final long UNKNOWN = -1;
    private final long startTs;
    private final List<byte[]> keys;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile long commitTs = UNKNOWN;
    private volatile boolean abandoned;
    /** REGISTERED, then IN_LOG (its entry got a log index) or EXPIRED (it never will). */
    private final java.util.concurrent.atomic.AtomicInteger stage = new java.util.concurrent.atomic.AtomicInteger(REGISTERED);
    private static final int REGISTERED = 0;
    private static final int IN_LOG = 1;
    private static final int EXPIRED = 2;

    private Pending(long startTs, List<byte[]> keys) {
      this.startTs = startTs;
      this.keys = keys;
    }

    void commitTimestampTaken(long timestamp) {
      commitTs = timestamp;
    }

    /** Called just before the entry gets its log index; false if the marker expired and the entry must be refused. */
    boolean enterLog() {
      return stage.compareAndSet(REGISTERED, IN_LOG) || stage.get() == IN_LOG;
    }

    /** The entry was applied, refused or dropped: reads go on. Idempotent. */
    void finish() {
      for (byte[] key : keys) {
        byKey.remove(key, this);
      }
      finished.countDown();
    }

    /** Commit timestamps exceed start timestamps; while it is unknown it may still come out at or below the read's. */
    private boolean mayBeVisibleAt(long readTs) {
      if (startTs >= readTs) {
        return false;
      }
      long known = commitTs;
      return known == UNKNOWN || known <= readTs;
    }

    private void await(long limitMs) {
      try {
        if (!finished.await(Math.min(limitMs, ENTER_LOG_LIMIT_MS), TimeUnit.MILLISECONDS)
            && stage.compareAndSet(REGISTERED, EXPIRED)) {
          finish(); // the request never reached the log, and now never will
          return;
        }
        if (!finished.await(limitMs, TimeUnit.MILLISECONDS)) {
          throw new ShaleException(SqlState.SERIALIZATION_FAILURE,
              "a one-phase commit of the key has been waiting for its log entry for over " + limitMs + " ms");
        }
        if (abandoned) {
          throw new LeadershipLostException();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShaleException(SqlState.QUERY_CANCELED, "interrupted while waiting for a one-phase commit", e);
      }
    }
  }
}
