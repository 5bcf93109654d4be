package io.shaledb.sql.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates the statistics of the rows of one part of a table (a shard) in bounded memory: a row
 * count, per column a null count and a {@link DistinctSketch}, and a sample of the rows for the
 * histograms. The sample keeps the {@link #SAMPLE_ROWS} rows whose keys hash smallest, so samples
 * of disjoint parts merge into exactly the sample the whole table would have given, and so does
 * every other part of the state: {@link #merge} is how a node's shards combine, and how the nodes
 * of a cluster would. Not thread-safe.
 */
public final class StatisticsCollector {
  static final int SAMPLE_ROWS = 2048;
  static final int HISTOGRAM_BUCKETS = 32;

  private final int columnCount;
  private long rows;
  private final long[] nulls;
  private final DistinctSketch[] distinct;
  /** Hash of the row key to the row's values as numbers (NaN where NULL or not a number). */
  private final TreeMap<Long, double[]> sample = new TreeMap<>();

  public StatisticsCollector(int columnCount) {
    this.columnCount = columnCount;
    this.nulls = new long[columnCount];
    this.distinct = new DistinctSketch[columnCount];
    for (int i = 0; i < columnCount; i++) {
      distinct[i] = new DistinctSketch();
    }
  }

  /** Counts the row stored under {@code key} with every column's value in {@code row}. */
  public void add(byte[] key, Object[] row) {
    if (row.length != columnCount) {
      throw new IllegalArgumentException("row has " + row.length + " values, the table " + columnCount + " columns");
    }
    rows++;
    for (int i = 0; i < columnCount; i++) {
      if (row[i] == null) {
        nulls[i]++;
      } else {
        distinct[i].add(ValueHash.of(row[i]));
      }
    }
    long keyHash = ValueHash.mix(ValueHash.bytes(key));
    if (sample.size() < SAMPLE_ROWS || keyHash < sample.lastKey()) {
      double[] numbers = new double[columnCount];
      for (int i = 0; i < columnCount; i++) {
        numbers[i] = asNumber(row[i]);
      }
      addSampled(keyHash, numbers);
    }
  }

  private void addSampled(long keyHash, double[] numbers) {
    sample.put(keyHash, numbers);
    if (sample.size() > SAMPLE_ROWS) {
      sample.pollLastEntry();
    }
  }

  /** Adds what {@code other} collected from rows this collector has not seen (another shard). */
  public void merge(StatisticsCollector other) {
    if (other.columnCount != columnCount) {
      throw new IllegalArgumentException("collectors of different tables");
    }
    rows += other.rows;
    for (int i = 0; i < columnCount; i++) {
      nulls[i] += other.nulls[i];
      distinct[i].merge(other.distinct[i]);
    }
    for (Map.Entry<Long, double[]> entry : other.sample.entrySet()) {
      addSampled(entry.getKey(), entry.getValue());
    }
  }

  /** The statistics of the rows added and merged, for the columns named {@code columnNames} in row order. */
  public TableStatistics result(List<String> columnNames, long analyzedAtMillis) {
    if (columnNames.size() != columnCount) {
      throw new IllegalArgumentException(columnNames.size() + " names for " + columnCount + " columns");
    }
    Map<String, ColumnStatistics> columns = new LinkedHashMap<>();
    for (int i = 0; i < columnCount; i++) {
      double nullFraction = rows == 0 ? 0 : (double) nulls[i] / rows;
      long nonNull = rows - nulls[i];
      // The sketch may overshoot a little where every value is distinct; a count above the rows is never right.
      long distinctCount = Math.min(distinct[i].estimate(), nonNull);
      columns.put(columnNames.get(i), new ColumnStatistics(distinctCount, nullFraction, histogram(i)));
    }
    return new TableStatistics(rows, columns, analyzedAtMillis);
  }

  private List<Double> histogram(int column) {
    double[] values = new double[sample.size()];
    int count = 0;
    for (double[] numbers : sample.values()) {
      if (!Double.isNaN(numbers[column])) {
        values[count++] = numbers[column];
      }
    }
    if (count == 0) {
      return List.of();
    }
    Arrays.sort(values, 0, count);
    int buckets = Math.min(HISTOGRAM_BUCKETS, count);
    List<Double> bounds = new ArrayList<>(buckets + 1);
    for (int b = 0; b <= buckets; b++) {
      int position = (int) Math.min(count - 1, Math.round((double) b * (count - 1) / buckets));
      bounds.add(values[position]);
    }
    if (bounds.size() == 1) {
      bounds.add(bounds.get(0));
    }
    return bounds;
  }

  private static double asNumber(Object value) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof Boolean bool) {
      return bool ? 1 : 0;
    }
    return Double.NaN;
  }
}
