package io.shaledb.txn.tso;

import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.NodeStorage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link TimestampOracle} of one node. Timestamps are handed out from memory; the invariant that
 * makes restarts safe is: every timestamp handed out is below {@link #durableBound}, and that
 * bound is durable (put into meta and synced) before any timestamp near it is handed out. A new
 * incarnation starts at the persisted bound, so it never repeats a timestamp.
 */
final class LocalTimestampOracle implements TimestampOracle {
  static final String BOUND_META = PersistedNames.TSO_UPPER_BOUND_META;

  private final NodeStorage storage;
  private final Clock clock;
  private final long windowMs;
  private final AtomicLong lastHandedOut;
  /** Exclusive upper bound of what may be handed out; already durable. Only grows. */
  private volatile long durableBound;

  private LocalTimestampOracle(NodeStorage storage, Clock clock, long windowMs, long persistedBound) {
    this.storage = storage;
    this.clock = clock;
    this.windowMs = windowMs;
    // Everything an earlier incarnation handed out is below persistedBound.
    this.lastHandedOut = new AtomicLong(Math.max(persistedBound - 1, 0));
    this.durableBound = persistedBound;
  }

  static LocalTimestampOracle open(NodeStorage storage, Clock clock, long windowMs) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(clock, "clock");
    if (windowMs < 1) {
      throw new IllegalArgumentException("windowMs must be >= 1: " + windowMs);
    }
    byte[] stored = storage.getMeta(BOUND_META);
    long persistedBound = 0;
    if (stored != null) {
      if (stored.length != Long.BYTES) {
        throw new IllegalStateException("corrupt timestamp oracle bound: " + stored.length + " bytes");
      }
      persistedBound = ByteBuffer.wrap(stored).getLong();
      if (persistedBound < 0) {
        throw new IllegalStateException("corrupt timestamp oracle bound: " + persistedBound);
      }
    }
    LocalTimestampOracle oracle = new LocalTimestampOracle(storage, clock, windowMs, persistedBound);
    oracle.extendBound(oracle.lastHandedOut.get() + 1);
    return oracle;
  }

  @Override
  public long next() {
    while (true) {
      long previous = lastHandedOut.get();
      long candidate = Math.max(previous + 1, physicalNow());
      if (candidate >= durableBound) {
        extendBound(candidate);
        continue;
      }
      if (lastHandedOut.compareAndSet(previous, candidate)) {
        return candidate;
      }
    }
  }

  /** The largest timestamp handed out so far (or the restart floor); for tests and diagnostics. */
  long lastHandedOut() {
    return lastHandedOut.get();
  }

  long durableBound() {
    return durableBound;
  }

  private long physicalNow() {
    long millis = clock.millis();
    return millis <= 0 ? 0 : HybridTimestamps.firstOf(Math.min(millis, HybridTimestamps.MAX_EPOCH_MILLIS));
  }

  /** Makes a bound above {@code needed} durable; callers that lose the race find it already done. */
  private synchronized void extendBound(long needed) {
    if (needed < durableBound) {
      return;
    }
    long baseMillis = Math.max(HybridTimestamps.epochMillisOf(needed), clock.millis());
    long boundMillis = baseMillis + windowMs;
    if (boundMillis > HybridTimestamps.MAX_EPOCH_MILLIS) {
      throw new IllegalStateException("timestamp space exhausted");
    }
    long newBound = HybridTimestamps.firstOf(boundMillis);
    storage.putMeta(BOUND_META, ByteBuffer.allocate(Long.BYTES).putLong(newBound).array());
    storage.sync();
    durableBound = newBound;
  }
}
