package io.shaledb.sql.stats;

import java.util.TreeSet;

/**
 * Estimates how many distinct values a column has from the {@link #CAPACITY} smallest 53-bit hashes
 * of its values (a "k minimum values" sketch, Bar-Yossef et al. 2002). Exact while fewer than
 * {@code CAPACITY} distinct hashes were seen; above that the relative standard error is about
 * {@code 1 / sqrt(CAPACITY - 2)}, 3 %. Sketches of disjoint parts of a table (its shards) merge
 * into the sketch of the whole, with no loss: the smallest hashes of a union are the smallest of
 * the parts' smallest. Not thread-safe.
 */
final class DistinctSketch {
  static final int CAPACITY = 1024;
  private static final double HASH_RANGE = 0x1p53;

  /** The smallest hashes seen, each in [0, 2^53). */
  private final TreeSet<Long> smallest = new TreeSet<>();

  void add(long hash) {
    long value = hash >>> 11;
    if (smallest.size() < CAPACITY) {
      smallest.add(value);
    } else if (value < smallest.last() && smallest.add(value)) {
      smallest.pollLast();
    }
  }

  void merge(DistinctSketch other) {
    for (long value : other.smallest) {
      add(value << 11);
    }
  }

  long estimate() {
    if (smallest.size() < CAPACITY) {
      return smallest.size();
    }
    // The k-th smallest of n uniform hashes lies near k / n of the range.
    return Math.round((CAPACITY - 1) / (smallest.last() / HASH_RANGE));
  }
}
