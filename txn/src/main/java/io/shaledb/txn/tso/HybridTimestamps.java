package io.shaledb.txn.tso;

/**
 * The layout of a ShaleDB timestamp: {@code (epochMillis << 16) | logical}, a 47-bit wall-clock
 * millisecond and a 16-bit counter that orders timestamps handed out in the same millisecond.
 * Timestamps compare as plain longs, and a timestamp names an instant closely enough for time
 * travel ({@code AS OF}).
 */
public final class HybridTimestamps {
  public static final int LOGICAL_BITS = 16;
  public static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;
  /** The largest millisecond a timestamp can carry (keeps every timestamp a positive long). */
  public static final long MAX_EPOCH_MILLIS = Long.MAX_VALUE >>> LOGICAL_BITS;

  private HybridTimestamps() {}

  /** The timestamp of {@code epochMillis} with logical part {@code logical}. */
  public static long of(long epochMillis, long logical) {
    checkMillis(epochMillis);
    if (logical < 0 || logical > LOGICAL_MASK) {
      throw new IllegalArgumentException("logical part out of range: " + logical);
    }
    return (epochMillis << LOGICAL_BITS) | logical;
  }

  /** The smallest timestamp of millisecond {@code epochMillis}. */
  public static long firstOf(long epochMillis) {
    return of(epochMillis, 0);
  }

  /** The largest timestamp of millisecond {@code epochMillis}: a read at it sees everything of that millisecond. */
  public static long lastOf(long epochMillis) {
    return of(epochMillis, LOGICAL_MASK);
  }

  public static long epochMillisOf(long timestamp) {
    return timestamp >>> LOGICAL_BITS;
  }

  public static long logicalOf(long timestamp) {
    return timestamp & LOGICAL_MASK;
  }

  private static void checkMillis(long epochMillis) {
    if (epochMillis < 0 || epochMillis > MAX_EPOCH_MILLIS) {
      throw new IllegalArgumentException("epoch millis out of range: " + epochMillis);
    }
  }
}
