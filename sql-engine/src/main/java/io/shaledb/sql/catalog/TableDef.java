package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A table as the catalog stores it. Rows live in keyspace {@link #tableId()}, keyed by the primary
 * key columns, hash-partitioned into {@link #shardCount()} shards.
 *
 * @param primaryKey indexes into {@link #columns()}, in key order
 * @param schemaVersion written into every row so that rows written before a schema change still decode
 * @param rowFormat where each column lives in stored rows (see {@link RowFormat})
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
    RowFormat rowFormat,
    List<IndexDef> indexes) {

  /** A table whose rows store its columns in order (no ALTER TABLE has changed it) and without secondary indexes. */
  public TableDef(int tableId, String name, List<ColumnDef> columns, List<Integer> primaryKey,
      List<UniqueDef> uniqueConstraints, List<ForeignKeyDef> foreignKeys, List<CheckDef> checks, int shardCount,
      int schemaVersion) {
    this(tableId, name, columns, primaryKey, uniqueConstraints, foreignKeys, checks, shardCount, schemaVersion,
        RowFormat.identity(columns), List.of());
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
    Objects.requireNonNull(rowFormat, "rowFormat");
    if (rowFormat.columnSlots().size() != columns.size()) {
      throw new IllegalArgumentException("row format has " + rowFormat.columnSlots().size() + " columns, table " + columns.size());
    }
    for (int i = 0; i < columns.size(); i++) {
      if (rowFormat.slotTypes().get(rowFormat.columnSlots().get(i)) != columns.get(i).type().storage()) {
        throw new IllegalArgumentException("slot type of column " + columns.get(i).name() + " differs from its type");
      }
    }
    Set<String> indexNames = new HashSet<>();
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

  /**
   * The name of the hidden row id: a table created without a primary key gets this BIGINT column,
   * generated ALWAYS from the table's sequence, as its last column and its primary key, so its rows
   * have a unique, never reused storage key that spreads them over the shards. Users cannot name a
   * column so; {@code SELECT *}, INSERT without a column list and the metadata leave it out.
   * Persisted in catalogs: never change it.
   */
  public static final String HIDDEN_ROW_ID = "_shaledb_rowid";

  /** Whether this table was created without a primary key and keys its rows by {@link #HIDDEN_ROW_ID}. */
  public boolean hasHiddenRowId() {
    int last = columns.size() - 1;
    return primaryKey.size() == 1 && primaryKey.get(0) == last && columns.get(last).name().equals(HIDDEN_ROW_ID);
  }

  /** Whether column {@code column} is the hidden row id. */
  public boolean isHidden(int column) {
    return column == columns.size() - 1 && hasHiddenRowId();
  }

  /** The columns users see: all but the hidden row id. */
  public List<ColumnDef> visibleColumns() {
    return hasHiddenRowId() ? columns.subList(0, columns.size() - 1) : columns;
  }

  /** The primary key users see: none for a table keyed by its hidden row id. */
  public List<String> visiblePrimaryKeyNames() {
    return hasHiddenRowId() ? List.of() : primaryKeyNames();
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

  /**
   * This table with other columns, primary key positions, constraints, indexes and row format, and
   * the next schema version. Index entries do not depend on the row format, so a schema change that
   * keeps an index's columns keeps its entries valid.
   */
  public TableDef withSchemaChange(List<ColumnDef> newColumns, List<Integer> newPrimaryKey, List<UniqueDef> newUniques,
      List<ForeignKeyDef> newForeignKeys, List<CheckDef> newChecks, List<IndexDef> newIndexes, RowFormat newRowFormat) {
    return new TableDef(tableId, name, newColumns, newPrimaryKey, newUniques, newForeignKeys, newChecks, shardCount,
        schemaVersion + 1, newRowFormat, newIndexes);
  }

  /** This table under another name. */
  public TableDef withName(String newName) {
    return new TableDef(tableId, newName, columns, primaryKey, uniqueConstraints, foreignKeys, checks, shardCount,
        schemaVersion, rowFormat, indexes);
  }

  /** This table with other foreign keys (a referenced table or column was renamed). */
  public TableDef withForeignKeys(List<ForeignKeyDef> newForeignKeys) {
    return new TableDef(tableId, name, columns, primaryKey, uniqueConstraints, newForeignKeys, checks, shardCount,
        schemaVersion, rowFormat, indexes);
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
        schemaVersion, rowFormat, newIndexes);
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
