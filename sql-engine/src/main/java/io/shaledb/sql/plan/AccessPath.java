package io.shaledb.sql.plan;

import java.util.List;

/** How a scan reaches a table's rows; shown by EXPLAIN. */
public sealed interface AccessPath {
  /** Every row of every shard. */
  record FullScan() implements AccessPath {
    @Override
    public String toString() {
      return "full scan";
    }
  }

  /**
   * Rows whose first {@code keyValues.size()} primary key columns equal the operands: one key
   * (a point get on one shard) when all primary key columns are given, otherwise a key-prefix range.
   */
  record KeyLookup(List<KeyOperand> keyValues, boolean complete) implements AccessPath {
    public KeyLookup {
      keyValues = List.copyOf(keyValues);
      if (keyValues.isEmpty()) {
        throw new IllegalArgumentException("a key lookup needs at least one key value");
      }
    }

    @Override
    public String toString() {
      return (complete ? "point get " : "primary key prefix range ") + keyValues;
    }
  }

  /** One end of a range over a key column: the value and whether the range includes it. */
  record Bound(KeyOperand value, boolean inclusive) {}

  /**
   * Rows whose first {@code prefix.size()} primary key columns equal the operands and whose next
   * primary key column lies between {@code lower} and {@code upper} (null: unbounded; at least one
   * is given): one key range.
   */
  record KeyRange(List<KeyOperand> prefix, Bound lower, Bound upper) implements AccessPath {
    public KeyRange {
      prefix = List.copyOf(prefix);
      if (lower == null && upper == null) {
        throw new IllegalArgumentException("a key range needs a bound");
      }
    }

    @Override
    public String toString() {
      return "primary key range " + prefix + " " + interval(lower, upper);
    }
  }

  /**
   * Rows found through secondary index {@code indexName}: entries whose first {@code prefix.size()}
   * indexed columns equal the operands and, if a bound is given, whose next indexed column lies in
   * the range; each entry's row is then fetched by its primary key.
   *
   * @param unique whether the index is unique and the prefix covers all its columns (at most one row)
   */
  record IndexScan(String indexName, List<KeyOperand> prefix, Bound lower, Bound upper, boolean unique)
      implements AccessPath {
    public IndexScan {
      prefix = List.copyOf(prefix);
      if (prefix.isEmpty() && lower == null && upper == null) {
        throw new IllegalArgumentException("an index scan needs a key value or a bound");
      }
    }

    @Override
    public String toString() {
      String range = lower == null && upper == null ? "" : " " + interval(lower, upper);
      return "index scan " + indexName + " " + prefix + range;
    }
  }

  AccessPath FULL_SCAN = new FullScan();

  private static String interval(Bound lower, Bound upper) {
    String from = lower == null ? "(-inf" : (lower.inclusive() ? "[" : "(") + lower.value();
    String to = upper == null ? "+inf)" : upper.value() + (upper.inclusive() ? "]" : ")");
    return from + ", " + to;
  }
}
