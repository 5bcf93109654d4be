package io.shaledb.sql.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * What ANALYZE found in a table, as the planner uses it: the row count and per column (by name)
 * distinct counts, null fractions and histograms. Immutable.
 *
 * @param analyzedAtMillis when the scan that produced it read the table (wall clock of the node)
 */
public record TableStatistics(long rowCount, Map<String, ColumnStatistics> columns, long analyzedAtMillis) {
  public TableStatistics {
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount must not be negative");
    }
    columns = java.util.Collections.unmodifiableMap(new TreeMap<>(columns));
  }

  /** The statistics of column {@code name}, or null if ANALYZE has not seen it (added since, or renamed). */
  public ColumnStatistics column(String name) {
    return columns.get(name);
  }
}
