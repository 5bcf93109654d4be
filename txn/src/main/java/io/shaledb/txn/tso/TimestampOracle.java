package io.shaledb.txn.tso;

import io.shaledb.storage.NodeStorage;
import java.time.Clock;

/**
 * Hands out transaction timestamps ({@link HybridTimestamps} layout).
 *
 * <p>Contract: every {@link #next()} returns a timestamp strictly greater than every timestamp
 * handed out before it by this oracle, and by every earlier oracle over the same durable storage
 * (across restarts, even if the wall clock went backwards). Thread-safe.
 */
public interface TimestampOracle {

  /** A fresh timestamp, strictly greater than every one handed out before. */
  long next();

  /**
   * The timestamp that reads the store as of the end of millisecond {@code epochMillis}: the
   * largest timestamp of that millisecond. Allocates nothing.
   *
   * @throws IllegalArgumentException if {@code epochMillis} is negative or too large to encode
   */
  default long timestampAt(long epochMillis) {
    return HybridTimestamps.lastOf(epochMillis);
  }

  /**
   * As {@link #timestampAt}, for an instant a user gave (time travel): instants before 1970 read
   * the empty store (timestamp 0).
   *
   * @throws io.shaledb.common.ShaleException {@link io.shaledb.common.SqlState#INVALID_PARAMETER_VALUE}
   *     if the instant is too far in the future to encode
   */
  default long readTimestampAt(long epochMillis) {
    if (epochMillis < 0) {
      return 0;
    }
    if (epochMillis > HybridTimestamps.MAX_EPOCH_MILLIS) {
      throw new io.shaledb.common.ShaleException(
          io.shaledb.common.SqlState.INVALID_PARAMETER_VALUE, "instant out of range: " + epochMillis + " ms");
    }
    return timestampAt(epochMillis);
  }

  /**
   * Opens the oracle of one node. It keeps a durable upper bound in {@code storage}'s meta values
   * that stays up to {@code windowMs} ahead of what it hands out, so only about one call per
   * window pays a {@link NodeStorage#sync()}. Opening syncs once.
   *
   * @param clock wall clock the timestamps follow while it moves forward
   * @param windowMs how far ahead of the clock the durable bound is placed; at least 1
   */
  static TimestampOracle openLocal(NodeStorage storage, Clock clock, long windowMs) {
    return LocalTimestampOracle.open(storage, clock, windowMs);
  }
}
