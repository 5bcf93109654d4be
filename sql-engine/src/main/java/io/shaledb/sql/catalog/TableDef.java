package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
import java.util.List;
import java.util.Objects;

/**
 * A table as the catalog stores it. Rows live in keyspace {@link #tableId()}, keyed by the primary
 * key columns, hash-partitioned into {@link #shardCount()} shards.
 *
 * @param primaryKey indexes into {@link #columns()}, in key order
 * @param schemaVersion written into every row so that rows written before a schema change still decode
 */
public record TableDef(
    int tableId,
    String name,
    List<ColumnDef> columns,
    List<Integer> primaryKey,
    List<UniqueDef> uniqueConstraints,
    List<ForeignKeyDef> foreignKeys,
    List<CheckDef> checks,
    int shardCount,
    int schemaVersion) {

  public TableDef {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    uniqueConstraints = List.copyOf(uniqueConstraints);
    foreignKeys = List.copyOf(foreignKeys);
    checks = List.copyOf(checks);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no columns");
    }
    if (primaryKey.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no primary key");
    }
    for (int column : primaryKey) {
      if (column < 0 || column >= columns.size()) {
        throw new IllegalArgumentException("primary key column index out of range: " + column);
      }
      if (columns.get(column).nullable()) {
        throw new IllegalArgumentException("primary key column " + columns.get(column).name() + " is nullable");
      }
    }
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be positive: " + shardCount);
    }
  }

  /** The index of the column named {@code columnName}, or -1. */
  public int columnIndex(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) {
        return i;
      }
    }
    return -1;
  }

  public List<ColumnType> storageTypes() {
    return columns.stream().map(c -> c.type().storage()).toList();
  }

  public boolean isPrimaryKeyColumn(int column) {
    return primaryKey.contains(column);
  }
}
