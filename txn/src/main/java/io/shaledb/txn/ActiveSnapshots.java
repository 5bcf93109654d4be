package io.shaledb.txn;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The read timestamps of the transactions in progress, and the readable floor: the timestamp
 * below which old versions may have been garbage-collected, so that no read may start there.
 *
 * <p>Contract that makes collection safe: {@link #advanceFloor} returns a timestamp at or below
 * every open snapshot, and every snapshot opened later is at or above it ({@link #openFresh} takes
 * its timestamp from the oracle while holding the same monitor, {@link #openAt} refuses timestamps
 * below the floor). Thread-safe; one monitor, held for map updates and one oracle call.
 */
final class ActiveSnapshots {
  /** Open snapshots per read timestamp (several transactions may read at one time-travel timestamp). */
  private final TreeMap<Long, Integer> open = new TreeMap<>();
  private long floor;

  /** Opens a snapshot at a fresh timestamp from {@code oracle} and returns it. */
  synchronized long openFresh(LongSupplier oracle) {
    long ts = oracle.getAsLong();
    // The floor came from the oracle (or lies below what it handed out): fresh timestamps are above it.
    assert ts >= floor : "fresh snapshot " + ts + " below the GC floor " + floor;
    open.merge(ts, 1, Integer::sum);
    return ts;
  }

  /**
   * Opens a snapshot at {@code readTs}.
   *
   * @throws ShaleException {@link SqlState#SNAPSHOT_TOO_OLD} if {@code readTs} is below the floor
   *     or below {@code notBefore}
   */
  synchronized void openAt(long readTs, long notBefore) {
    long oldest = Math.max(floor, notBefore);
    if (readTs < oldest) {
      throw new ShaleException(
          SqlState.SNAPSHOT_TOO_OLD,
          "cannot read as of timestamp "
              + readTs
              + ": it is older than the version retention window, and the row versions it needs may be gone; "
              + "the oldest readable timestamp is "
              + oldest);
    }
    open.merge(readTs, 1, Integer::sum);
  }

  /** Closes one snapshot opened at {@code readTs}. */
  synchronized void close(long readTs) {
    Integer count = open.get(readTs);
    if (count == null) {
      throw new IllegalStateException("no open snapshot at " + readTs);
    }
    if (count == 1) {
      open.remove(readTs);
    } else {
      open.put(readTs, count - 1);
    }
  }

  /**
   * Picks the timestamp garbage collection may clean up to: the smallest of {@code wantedTs}, the
   * oldest open snapshot and a fresh oracle timestamp (so every later commit timestamp is above
   * it). Raises the floor to it (the floor never goes down) and returns it.
   */
  synchronized long advanceFloor(long wantedTs, LongSupplier oracle) {
    long safeTs = Math.min(wantedTs, oracle.getAsLong());
    if (!open.isEmpty()) {
      safeTs = Math.min(safeTs, open.firstKey());
    }
    floor = Math.max(floor, safeTs);
    assert open.isEmpty() || floor <= open.firstKey() : "GC floor " + floor + " above the open snapshot " + open.firstKey();
    return safeTs;
  }

  /** Raises the floor to at least {@code ts} (e.g. to what an earlier process collected up to). */
  synchronized void raiseFloor(long ts) {
    floor = Math.max(floor, ts);
  }

  synchronized long floor() {
    return floor;
  }

  /** The read timestamp of the oldest open snapshot, or {@code Long.MAX_VALUE} if none is open. */
  synchronized long oldestOpen() {
    return open.isEmpty() ? Long.MAX_VALUE : open.firstKey();
  }

  synchronized int openCount() {
    return open.values().stream().mapToInt(Integer::intValue).sum();
  }
}
