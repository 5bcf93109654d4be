package io.shaledb.bench.workload;

import java.util.Arrays;

/** Latencies of one thread's operations in nanoseconds; not thread-safe, one per worker. */
public final class LatencyRecorder {
  private long[] values = new long[1024];
  private int size;

  public void record(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  public int size() {
    return size;
  }

  /** All recorded latencies of the given recorders, sorted. */
  public static long[] merged(Iterable<LatencyRecorder> recorders) {
    int total = 0;
    for (LatencyRecorder r : recorders) {
      total += r.size;
    }
    long[] all = new long[total];
    int at = 0;
    for (LatencyRecorder r : recorders) {
      System.arraycopy(r.values, 0, all, at, r.size);
      at += r.size;
    }
    Arrays.sort(all);
    return all;
  }

  /** The value at quantile q (0..1) of a sorted array, in microseconds; 0 for an empty one. */
  public static double quantileMicros(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }
}
