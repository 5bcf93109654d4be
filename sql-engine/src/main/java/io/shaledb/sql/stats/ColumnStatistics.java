package io.shaledb.sql.stats;

import java.util.List;

/**
 * What ANALYZE found in one column.
 *
 * @param distinctCount distinct non-null values (estimated above {@link DistinctSketch#CAPACITY})
 * @param nullFraction share of rows whose value is NULL, in [0, 1]
 * @param histogram bounds of an equi-depth histogram of the non-null values as numbers (each
 *     bucket holds the same share of them), ascending; empty for text and binary columns and
 *     columns without values. DATE is days, TIME and TIMESTAMP milliseconds, BOOLEAN 0 or 1.
 */
public record ColumnStatistics(long distinctCount, double nullFraction, List<Double> histogram) {
  public ColumnStatistics {
    if (distinctCount < 0) {
      throw new IllegalArgumentException("distinctCount must not be negative");
    }
    if (!(nullFraction >= 0 && nullFraction <= 1)) {
      throw new IllegalArgumentException("nullFraction must be in [0, 1]: " + nullFraction);
    }
    histogram = List.copyOf(histogram);
    if (histogram.size() == 1) {
      throw new IllegalArgumentException("a histogram has no bounds or at least two");
    }
  }

  /**
   * Share of the non-null values below {@code value} (at or below it with {@code inclusive}),
   * interpolated linearly inside a bucket; -1 without a histogram.
   */
  public double fractionBelow(double value, boolean inclusive) {
    if (histogram.isEmpty()) {
      return -1;
    }
    int buckets = histogram.size() - 1;
    if (value < histogram.get(0) || (!inclusive && value == histogram.get(0))) {
      return 0;
    }
    if (value > histogram.get(buckets) || (inclusive && value == histogram.get(buckets))) {
      return 1;
    }
    for (int bucket = 0; bucket < buckets; bucket++) {
      double low = histogram.get(bucket);
      double high = histogram.get(bucket + 1);
      if (value <= high) {
        double within = high > low ? (value - low) / (high - low) : (inclusive ? 1 : 0);
        return (bucket + within) / buckets;
      }
    }
    return 1;
  }
}
