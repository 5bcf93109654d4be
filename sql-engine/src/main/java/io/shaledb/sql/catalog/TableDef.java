package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table as the catalog stores it. Rows live in keyspace {@link #tableId()}, keyed by the primary
 * key columns, hash-partitioned into {@link #shardCount()} shards.
 *
 * @param primaryKey indexes into {@link #columns()}, in key order
 * @param schemaVersion written into every row so that rows written before a schema change still decode
 * @param indexes secondary indexes, including those that enforce UNIQUE constraints and serve foreign keys
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
    int schemaVersion,
    List<IndexDef> indexes) {

  /** A table without secondary indexes. */
  public TableDef(int tableId, String name, List<ColumnDef> columns, List<Integer> primaryKey,
      List<UniqueDef> uniqueConstraints, List<ForeignKeyDef> foreignKeys, List<CheckDef> checks, int shardCount,
      int schemaVersion) {
    this(tableId, name, columns, primaryKey, uniqueConstraints, foreignKeys, checks, shardCount, schemaVersion, List.of());
  }

  public TableDef {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    uniqueConstraints = List.copyOf(uniqueConstraints);
    foreignKeys = List.copyOf(foreignKeys);
    checks = List.copyOf(checks);
    indexes = List.copyOf(indexes);
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
    java.util.Set<String> indexNames = new java.util.HashSet<>();
    for (IndexDef index : indexes) {
      if (!indexNames.add(index.name())) {
        throw new IllegalArgumentException("table " + name + " has two indexes named " + index.name());
      }
      for (String column : index.columns()) {
        if (columns.stream().noneMatch(c -> c.name().equals(column))) {
          throw new IllegalArgumentException("index " + index.name() + " names unknown column " + column);
        }
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

  /** The index named {@code indexName}, or null. */
  public IndexDef index(String indexName) {
    for (IndexDef index : indexes) {
      if (index.name().equals(indexName)) {
        return index;
      }
    }
    return null;
  }

  /** This table with {@code newIndexes} instead of its indexes. */
  public TableDef withIndexes(List<IndexDef> newIndexes) {
    return new TableDef(tableId, name, columns, primaryKey, uniqueConstraints, foreignKeys, checks, shardCount,
        schemaVersion, newIndexes);
  }

  /** This table with {@code index} added, or replacing the index of the same name. */
  public TableDef withIndex(IndexDef index) {
    List<IndexDef> next = new ArrayList<>(indexes.size() + 1);
    boolean replaced = false;
    for (IndexDef existing : indexes) {
      if (existing.name().equals(index.name())) {
        next.add(index);
        replaced = true;
      } else {
        next.add(existing);
      }
    }
    if (!replaced) {
      next.add(index);
    }
    return withIndexes(next);
  }

  /** The names of the primary key columns, in key order. */
  public List<String> primaryKeyNames() {
    return primaryKey.stream().map(i -> columns.get(i).name()).toList();
  }

  public boolean isPrimaryKeyColumn(int column) {
    return primaryKey.contains(column);
  }
}
