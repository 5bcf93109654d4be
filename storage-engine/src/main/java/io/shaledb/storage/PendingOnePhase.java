package io.shaledb.storage;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * In-memory marker of a one-phase commit between its checks and the end of its version writes. It
 * is installed on every key of the commit before the commit timestamp is taken, so a reader whose
 * read timestamp may be at or above that commit timestamp finds it and waits instead of missing the
 * versions about to appear.
 */
final class PendingOnePhase {
  private static final long UNKNOWN = -1;

  private final long startTs;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long commitTs = UNKNOWN;

  PendingOnePhase(long startTs) {
    this.startTs = startTs;
  }

  void commitTimestampTaken(long timestamp) {
    commitTs = timestamp;
  }

  void finish() {
    finished.countDown();
  }

  /**
   * Whether a read at {@code readTs} must wait for this commit. Commit timestamps exceed start
   * timestamps, so a read below the start never sees it; once the commit timestamp is known, only
   * reads at or above it do. While it is unknown the commit may already hold a timestamp below the
   * read's.
   */
  boolean mayBeVisibleAt(long readTs) {
    if (startTs >= readTs) {
      return false;
    }
    long known = commitTs;
    return known == UNKNOWN || known <= readTs;
  }

  /**
   * Waits until the commit's versions are written or it failed.
   *
   * @throws ShaleException (retryable) if that takes longer than {@code limitMs}, or the thread is interrupted
   */
  void awaitFinished(long limitMs) {
    try {
      if (!finished.await(limitMs, TimeUnit.MILLISECONDS)) {
        throw new ShaleException(
            SqlState.SERIALIZATION_FAILURE, "a one-phase commit of the key has been in progress for over " + limitMs + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShaleException(SqlState.QUERY_CANCELED, "interrupted while waiting for a one-phase commit", e);
    }
  }
}
