package io.shaledb.sql.schema;

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

  AccessPath FULL_SCAN = new FullScan();
}
