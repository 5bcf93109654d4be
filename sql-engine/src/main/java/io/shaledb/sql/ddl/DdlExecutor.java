package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.SortOrder;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.CheckDef;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.UniqueDef;
import io.shaledb.sql.parser.ddl.ShaleCheckConstraint;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration;
import io.shaledb.sql.parser.ddl.ShaleConstraint;
import io.shaledb.sql.parser.ddl.ShaleCreateIndex;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleDropIndex;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShalePrimaryKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleUniqueConstraint;
import io.shaledb.sql.runtime.KeyValues;
import io.shaledb.sql.schema.ShaleTypes;
import io.shaledb.sql.schema.TableLayout;
import io.shaledb.sql.session.SchemaSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;

/**
 * Executes CREATE TABLE, CREATE INDEX and DROP INDEX against the catalog ({@link SchemaChangeExecutor}
 * drops tables, with what depends on them).
 */
public final class DdlExecutor {
  private final Catalog catalog;
  private final KvStore kv;
  private final int defaultShardCount;
  private final Consumer<TableDef> checkCompiler;

  /** @param checkCompiler compiles a new table's CHECK constraints, throwing if one is invalid */
  public DdlExecutor(Catalog catalog, KvStore kv, int defaultShardCount, Consumer<TableDef> checkCompiler) {
    this.catalog = catalog;
    this.kv = kv;
    this.defaultShardCount = defaultShardCount;
    this.checkCompiler = checkCompiler;
  }

  public void execute(SqlNode statement) {
    if (statement instanceof ShaleCreateTable create) {
      createTable(create);
    } else if (statement instanceof ShaleCreateIndex create) {
      createIndex(create);
    } else if (statement instanceof ShaleDropIndex drop) {
      dropIndex(drop);
    } else {
      throw new IllegalArgumentException("not DDL: " + statement.getKind());
    }
  }

  private void createTable(ShaleCreateTable create) {
    String name = tableName(create.name());
    if (catalog.table(name).isPresent()) {
      if (create.ifNotExists()) {
        return;
      }
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "table \"" + name + "\" already exists");
    }
    List<String> columnNames = new ArrayList<>();
    for (ShaleColumnDeclaration column : create.columns()) {
      if (columnNames.contains(column.simpleName())) {
        throw new ShaleException(SqlState.DUPLICATE_COLUMN, "column \"" + column.simpleName() + "\" specified more than once");
      }
      columnNames.add(column.simpleName());
    }

    List<Integer> primaryKey = null;
    List<UniqueDef> uniques = new ArrayList<>();
    List<ForeignKeyDef> foreignKeys = new ArrayList<>();
    List<CheckDef> checks = new ArrayList<>();
    for (ShaleConstraint constraint : create.allConstraints()) {
      if (constraint instanceof ShalePrimaryKeyConstraint pk) {
        if (primaryKey != null) {
          throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "multiple primary keys for table \"" + name + "\" are not allowed");
        }
        primaryKey = new ArrayList<>();
        for (String column : pk.columnNames()) {
          primaryKey.add(columnIndex(columnNames, column, name));
        }
      } else if (constraint instanceof ShaleUniqueConstraint unique) {
        unique.columnNames().forEach(column -> columnIndex(columnNames, column, name));
        uniques.add(new UniqueDef(constraintName(constraint, name + "_" + String.join("_", unique.columnNames()) + "_key"),
            unique.columnNames()));
      } else if (constraint instanceof ShaleForeignKeyConstraint fk) {
        foreignKeys.add(foreignKey(catalog, fk, name, columnNames));
      } else if (constraint instanceof ShaleCheckConstraint check) {
        checks.add(new CheckDef(constraintName(constraint, name + "_check" + (checks.size() + 1)), toSql(check.condition())));
      }
    }
    if (columnNames.contains(TableDef.HIDDEN_ROW_ID)) {
      throw new ShaleException(SqlState.DUPLICATE_COLUMN, "column name \"" + TableDef.HIDDEN_ROW_ID
          + "\" conflicts with the hidden row id of tables without a primary key");
    }
    boolean hiddenRowId = primaryKey == null;
    if (hiddenRowId) {
      primaryKey = List.of(create.columns().size());
    }
    if (new HashSet<>(primaryKey).size() != primaryKey.size()) {
      throw new ShaleException(SqlState.DUPLICATE_COLUMN, "a column appears twice in the primary key of \"" + name + "\"");
    }

    List<ColumnDef> columns = new ArrayList<>();
    int generatedColumns = 0;
    for (int i = 0; i < create.columns().size(); i++) {
      ShaleColumnDeclaration declaration = create.columns().get(i);
      ColumnDef column = column(declaration, primaryKey.contains(i), name);
      if (column.generation().generates()) {
        generatedColumns++;
      }
      columns.add(column);
    }
    if (generatedColumns > 1) {
      throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION,
          "table \"" + name + "\" may have only one AUTO_INCREMENT or identity column");
    }
    if (hiddenRowId) {
      // Shares the table's sequence with an identity column, if any: both stay unique.
      columns.add(new ColumnDef(TableDef.HIDDEN_ROW_ID, SqlColumnType.of(ColumnType.BIGINT), false, null,
          ColumnDef.Generation.ALWAYS));
    }
    int shards = create.shardCount() == null ? defaultShardCount : create.shardCount();
    if (shards < 1 || shards > 4096) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "SHARDS must be between 1 and 4096, not " + shards);
    }
    TableDef table = new TableDef(0, name, columns, primaryKey, uniques, List.of(), checks, shards, 1);
    List<ForeignKeyDef> checkedForeignKeys = new ArrayList<>();
    for (ForeignKeyDef fk : foreignKeys) {
      checkedForeignKeys.add(checkForeignKey(catalog, fk, table));
    }
    table = new TableDef(0, name, columns, primaryKey, uniques, checkedForeignKeys, checks, shards, 1);
    checkCompiler.accept(table);
    catalog.createTable(table.withIndexes(constraintIndexes(table)));
  }

  /**
   * The indexes a new table's constraints need: a unique index per UNIQUE constraint (unless the
   * primary key already enforces it), and, as MySQL does, an index on each foreign key's columns
   * unless the primary key or another index starts with them, so deleting a parent row finds its
   * children without a scan.
   */
  private List<IndexDef> constraintIndexes(TableDef table) {
    List<IndexDef> indexes = new ArrayList<>();
    List<String> primaryKey = table.primaryKeyNames();
    for (UniqueDef unique : table.uniqueConstraints()) {
      if (new HashSet<>(unique.columns()).equals(new HashSet<>(primaryKey))
          || indexes.stream().anyMatch(index -> index.columns().equals(unique.columns()))) {
        continue;
      }
      indexes.add(new IndexDef(unique.name(), 0, unique.columns(), ascending(unique.columns().size()), true,
          IndexDef.Origin.UNIQUE_CONSTRAINT, true));
    }
    for (ForeignKeyDef fk : table.foreignKeys()) {
      if (startsWith(primaryKey, fk.columns()) || indexes.stream().anyMatch(index -> startsWith(index.columns(), fk.columns()))) {
        continue;
      }
      indexes.add(new IndexDef(freeIndexName(catalog, fk.name(), indexes), 0, fk.columns(), ascending(fk.columns().size()), false,
          IndexDef.Origin.FOREIGN_KEY, true));
    }
    return indexes;
  }

  /** Whether the first {@code columns.size()} of {@code keyColumns} are {@code columns} in some order. */
  public static boolean startsWith(List<String> keyColumns, List<String> columns) {
    return keyColumns.size() >= columns.size()
        && new HashSet<>(keyColumns.subList(0, columns.size())).equals(new HashSet<>(columns));
  }

  static String freeIndexName(Catalog catalog, String wanted, List<IndexDef> taken) {
    String name = wanted;
    for (int suffix = 1; catalog.tableOfIndex(name).isPresent() || hasIndexNamed(taken, name); suffix++) {
      name = wanted + suffix;
    }
    return name;
  }

  private static boolean hasIndexNamed(List<IndexDef> indexes, String name) {
    return indexes.stream().anyMatch(index -> index.name().equals(name));
  }

  static List<SortOrder> ascending(int count) {
    return java.util.Collections.nCopies(count, SortOrder.ASC);
  }

  /**
   * Checks that a foreign key of {@code child} references the primary key or a UNIQUE constraint
   * of its parent (so every lookup finds at most one row) with compatible column types; fills in
   * the parent's primary key when the declaration named no columns.
   */
  static ForeignKeyDef checkForeignKey(Catalog catalog, ForeignKeyDef fk, TableDef child) {
    TableDef parent = fk.referencedTable().equals(child.name()) ? child : catalog.table(fk.referencedTable()).orElseThrow();
    if (fk.referencedColumns().isEmpty() && parent.hasHiddenRowId()) {
      throw new ShaleException(SqlState.INVALID_FOREIGN_KEY, "there is no primary key for referenced table \""
          + parent.name() + "\": a foreign key to it must name the columns of a UNIQUE constraint");
    }
    List<String> referenced = fk.referencedColumns().isEmpty() ? parent.primaryKeyNames() : fk.referencedColumns();
    if (referenced.size() != fk.columns().size()) {
      throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION,
          "number of referencing and referenced columns for foreign key \"" + fk.name() + "\" disagree");
    }
    for (String column : referenced) {
      if (parent.columnIndex(column) < 0) {
        throw new ShaleException(SqlState.UNDEFINED_COLUMN, "column \"" + column
            + "\" referenced in foreign key does not exist in \"" + parent.name() + "\"");
      }
    }
    java.util.Set<String> referencedSet = new HashSet<>(referenced);
    boolean keyed = referencedSet.equals(new HashSet<>(parent.primaryKeyNames()))
        || parent.uniqueConstraints().stream().anyMatch(unique -> referencedSet.equals(new HashSet<>(unique.columns())));
    if (!keyed) {
      throw new ShaleException(SqlState.INVALID_FOREIGN_KEY, "there is no unique constraint matching given keys for "
          + "referenced table \"" + parent.name() + "\": foreign key \"" + fk.name() + "\" must reference its primary key "
          + "or a UNIQUE constraint");
    }
    for (int i = 0; i < referenced.size(); i++) {
      ColumnType childType = child.columns().get(child.columnIndex(fk.columns().get(i))).type().storage();
      ColumnType parentType = parent.columns().get(parent.columnIndex(referenced.get(i))).type().storage();
      if (!KeyValues.compatible(childType, parentType)) {
        throw new ShaleException(SqlState.DATATYPE_MISMATCH, "foreign key \"" + fk.name() + "\" cannot be implemented: "
            + "column \"" + fk.columns().get(i) + "\" is " + childType + " but \"" + parent.name() + "\".\""
            + referenced.get(i) + "\" is " + parentType);
      }
    }
    return new ForeignKeyDef(fk.name(), fk.columns(), fk.referencedTable(), referenced, fk.onDelete());
  }

  private void createIndex(ShaleCreateIndex create) {
    String tableName = tableName(create.table());
    String indexName = create.name().getSimple();
    TableDef table = catalog.table(tableName).orElseThrow(() -> new ShaleException(SqlState.UNDEFINED_TABLE,
        "table \"" + tableName + "\" does not exist"));
    if (catalog.tableOfIndex(indexName).isPresent() || catalog.table(indexName).isPresent()
        || catalog.view(indexName).isPresent()) {
      if (create.ifNotExists()) {
        return;
      }
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + indexName + "\" already exists");
    }
    List<String> columns = new ArrayList<>();
    List<SortOrder> orders = new ArrayList<>();
    for (ShaleCreateIndex.IndexColumn column : create.columns()) {
      if (table.columnIndex(column.name()) < 0) {
        throw new ShaleException(SqlState.UNDEFINED_COLUMN, "column \"" + column.name() + "\" does not exist in \""
            + tableName + "\"");
      }
      if (columns.contains(column.name())) {
        throw new ShaleException(SqlState.DUPLICATE_COLUMN, "column \"" + column.name() + "\" appears twice in index \""
            + indexName + "\"");
      }
      columns.add(column.name());
      orders.add(column.descending() ? SortOrder.DESC : SortOrder.ASC);
    }
    buildIndex(catalog, kv, tableName, new IndexDef(indexName, 0, columns, orders, create.unique(), IndexDef.Origin.USER,
        false));
  }

  /**
   * Adds {@code index} (not yet ready) to a table with rows and fills it; on failure (23505 for a
   * unique index over duplicates) the index is gone again.
   */
  static void buildIndex(Catalog catalog, KvStore kv, String tableName, IndexDef index) {
    // From here on every write maintains the index; plans start reading it only once it is complete.
    TableDef building = catalog.addIndex(tableName, index);
    try {
      new IndexBuilder(kv).build(new TableLayout(building), index.name());
      catalog.markIndexReady(tableName, index.name());
    } catch (RuntimeException e) {
      try {
        catalog.dropIndex(tableName, index.name());
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private void dropIndex(ShaleDropIndex drop) {
    String indexName = tableName(drop.name());
    TableDef table = catalog.tableOfIndex(indexName).orElse(null);
    if (table == null) {
      if (drop.ifExists()) {
        return;
      }
      throw new ShaleException(SqlState.UNDEFINED_OBJECT, "index \"" + indexName + "\" does not exist");
    }
    IndexDef index = table.index(indexName);
    if (index.origin() != IndexDef.Origin.USER) {
      throw new ShaleException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop index \"" + indexName
          + "\" because constraint \"" + index.name() + "\" on table \"" + table.name() + "\" requires it");
    }
    catalog.dropIndex(table.name(), indexName);
  }

  static ColumnDef column(ShaleColumnDeclaration declaration, boolean inPrimaryKey, String table) {
    SqlColumnType type = columnType(declaration.dataType(), declaration.simpleName());
    boolean serial = serial(declaration.dataType());
    boolean nullable = switch (declaration.nullability()) {
      case NOT_NULL -> false;
      case NULLABLE -> {
        if (inPrimaryKey) {
          throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "primary key column \""
              + declaration.simpleName() + "\" of \"" + table + "\" cannot be NULL");
        }
        yield true;
      }
      case UNSPECIFIED -> !inPrimaryKey;
    };
    if (serial && declaration.generation() != ShaleColumnDeclaration.Generation.NONE) {
      throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "column \"" + declaration.simpleName()
          + "\" is serial, which already makes it an identity column");
    }
    // serial is INT GENERATED BY DEFAULT AS IDENTITY, NOT NULL as in PostgreSQL.
    if (serial && declaration.nullability() == ShaleColumnDeclaration.Nullability.NULLABLE) {
      throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "serial column \"" + declaration.simpleName()
          + "\" cannot be NULL");
    }
    if (serial) {
      nullable = false;
    }
    ColumnDef.Generation generation = switch (declaration.generation()) {
      case NONE -> serial ? ColumnDef.Generation.BY_DEFAULT : ColumnDef.Generation.NONE;
      case AUTO_INCREMENT, BY_DEFAULT_AS_IDENTITY -> ColumnDef.Generation.BY_DEFAULT;
      case ALWAYS_AS_IDENTITY -> ColumnDef.Generation.ALWAYS;
    };
    if (generation.generates()) {
      ColumnType storage = type.storage();
      if (storage != ColumnType.SMALLINT && storage != ColumnType.INTEGER && storage != ColumnType.BIGINT) {
        throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "column \"" + declaration.simpleName()
            + "\": AUTO_INCREMENT and identity columns must be SMALLINT, INT or BIGINT");
      }
      if (declaration.defaultValue() != null) {
        throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "column \"" + declaration.simpleName()
            + "\" cannot have both a DEFAULT and generated values");
      }
    }
    String defaultSql = declaration.defaultValue() == null ? null : toSql(declaration.defaultValue());
    return new ColumnDef(declaration.simpleName(), type, nullable, defaultSql, generation);
  }

  /** The type of a column declared with {@code dataType}; serial types are their integer type. */
  static SqlColumnType columnType(SqlDataTypeSpec dataType, String columnName) {
    SqlTypeNameSpec spec = dataType.getTypeNameSpec();
    if (spec instanceof SqlAlienSystemTypeNameSpec alien) {
      // The grammar's alien type names: TEXT and CLOB (VARCHAR), DATETIME (TIMESTAMP), BLOB (VARBINARY).
      String name = switch (alien.getTypeName().getSimple()) {
        case "TIMESTAMP" -> "DATETIME";
        case "VARBINARY" -> "BLOB";
        default -> "TEXT";
      };
      return ShaleTypes.declared(name, alien.getPrecision(), alien.getScale());
    }
    if (spec instanceof SqlBasicTypeNameSpec basic) {
      return ShaleTypes.declared(basic.getTypeName().getSimple(), basic.getPrecision(), basic.getScale());
    }
    if (spec instanceof SqlUserDefinedTypeNameSpec named && named.getTypeName().isSimple()) {
      // Other databases' names (int4, datetime, serial, ...) parse as user-defined types.
      String name = named.getTypeName().getSimple();
      ColumnType serial = ShaleTypes.serialType(name);
      return serial != null ? SqlColumnType.of(serial) : ShaleTypes.declared(name, -1, -1);
    }
    throw new ShaleException(SqlState.SYNTAX_ERROR, "type " + spec.getTypeName() + " of column \""
        + columnName + "\" is not supported");
  }

  /** Whether a column is declared with PostgreSQL's serial, bigserial or smallserial: an identity column. */
  private static boolean serial(SqlDataTypeSpec dataType) {
    return dataType.getTypeNameSpec() instanceof SqlUserDefinedTypeNameSpec named && named.getTypeName().isSimple()
        && ShaleTypes.serialType(named.getTypeName().getSimple()) != null;
  }

  static ForeignKeyDef foreignKey(Catalog catalog, ShaleForeignKeyConstraint fk, String table, List<String> columnNames) {
    for (String column : fk.columnNames()) {
      columnIndex(columnNames, column, table);
    }
    String referenced = tableName(fk.referencedTable());
    List<String> referencedColumns = fk.referencedColumnNames();
    if (!referenced.equals(table)) {
      TableDef target = catalog.table(referenced).orElseThrow(() -> new ShaleException(SqlState.UNDEFINED_TABLE,
          "table \"" + referenced + "\" referenced by a foreign key of \"" + table + "\" does not exist"));
      if (referencedColumns.isEmpty()) {
        if (target.hasHiddenRowId()) {
          throw new ShaleException(SqlState.INVALID_FOREIGN_KEY, "there is no primary key for referenced table \""
              + referenced + "\": a foreign key to it must name the columns of a UNIQUE constraint");
        }
        referencedColumns = target.primaryKeyNames();
      }
      for (String column : referencedColumns) {
        if (target.columnIndex(column) < 0) {
          throw new ShaleException(SqlState.UNDEFINED_COLUMN, "column \"" + column + "\" referenced in foreign key does not exist in \""
              + referenced + "\"");
        }
      }
    }
    if (!referencedColumns.isEmpty() && referencedColumns.size() != fk.columnNames().size()) {
      throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION,
          "number of referencing and referenced columns for foreign key disagree");
    }
    ForeignKeyDef.OnDelete onDelete = switch (fk.onDelete()) {
      case NO_ACTION -> ForeignKeyDef.OnDelete.NO_ACTION;
      case RESTRICT -> ForeignKeyDef.OnDelete.RESTRICT;
      case CASCADE -> ForeignKeyDef.OnDelete.CASCADE;
      case SET_NULL -> ForeignKeyDef.OnDelete.SET_NULL;
    };
    String name = constraintName(fk, table + "_" + String.join("_", fk.columnNames()) + "_fkey");
    return new ForeignKeyDef(name, fk.columnNames(), referenced, referencedColumns, onDelete);
  }

  private static int columnIndex(List<String> columnNames, String column, String table) {
    int index = columnNames.indexOf(column);
    if (index < 0) {
      throw new ShaleException(SqlState.UNDEFINED_COLUMN, "column \"" + column + "\" named in a constraint does not exist in \"" + table + "\"");
    }
    return index;
  }

  static String constraintName(ShaleConstraint constraint, String generated) {
    return constraint.name() == null ? generated : constraint.name().getSimple();
  }

  /** The table a possibly schema-qualified name refers to; only the {@code public} schema exists. */
  public static String tableName(SqlIdentifier identifier) {
    if (identifier.names.size() > 2 || (identifier.names.size() == 2 && !identifier.names.get(0).equals(SchemaSnapshot.SCHEMA_NAME))) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "schema of \"" + identifier + "\" does not exist; tables live in \"public\"");
    }
    return identifier.names.get(identifier.names.size() - 1);
  }

  static String toSql(SqlNode node) {
    return node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
  }
}
