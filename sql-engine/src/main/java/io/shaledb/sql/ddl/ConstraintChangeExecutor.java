package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvStore;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.CheckDef;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.UniqueDef;
import io.shaledb.sql.parser.ddl.ShaleAlterColumn;
import io.shaledb.sql.parser.ddl.ShaleAlterConstraint;
import io.shaledb.sql.parser.ddl.ShaleCheckConstraint;
import io.shaledb.sql.parser.ddl.ShaleConstraint;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShalePrimaryKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleUniqueConstraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.calcite.sql.SqlNode;

/**
 * Executes {@code ALTER TABLE ... ADD / DROP CONSTRAINT} and {@code ALTER TABLE ... ALTER COLUMN}:
 * the schema changes ORMs and migration tools emit after CREATE TABLE.
 *
 * <p>A constraint added to a table with rows is checked against them. The new definition is
 * published first, so that writes from then on obey it, and the existing rows are checked after:
 * a violation (23505, 23503, 23514) takes the change back and the table is as it was. SET NOT NULL
 * checks the rows just before it publishes (23502). Like
 * all DDL, a change commits on its own. No change rewrites rows: ALTER COLUMN TYPE only widens a
 * type within its storage representation (a longer VARCHAR, a DECIMAL with more digits).
 */
public final class ConstraintChangeExecutor {
  private final Catalog catalog;
  private final KvStore kv;
  private final SchemaServices services;
  private final Consumer<TableDef> checkCompiler;

  /** @param checkCompiler compiles a table's CHECK constraints, throwing if one is invalid */
  public ConstraintChangeExecutor(Catalog catalog, KvStore kv, SchemaServices services, Consumer<TableDef> checkCompiler) {
    this.catalog = catalog;
    this.kv = kv;
    this.services = services;
    this.checkCompiler = checkCompiler;
  }

  /** Whether {@code statement} is one this executor runs. */
  public static boolean handles(SqlNode statement) {
    return statement instanceof ShaleAlterConstraint || statement instanceof ShaleAlterColumn;
  }

  public void execute(SqlNode statement) {
    // As in SchemaChangeExecutor: the catalog's lock keeps other DDL from landing between reading a
    // definition and replacing it.
    synchronized (catalog) {
      if (statement instanceof ShaleAlterConstraint alter) {
        TableDef table = SchemaChangeExecutor.alteredTable(catalog, alter.table(), alter.tableIfExists());
        if (table == null) {
          return;
        }
        if (alter.added() != null) {
          addConstraint(table, alter.added());
        } else {
          dropConstraint(table, Objects.requireNonNull(alter.droppedName()).getSimple(), alter.dropIfExists(),
              alter.cascade());
        }
      } else if (statement instanceof ShaleAlterColumn alter) {
        TableDef table = SchemaChangeExecutor.alteredTable(catalog, alter.table(), alter.tableIfExists());
        if (table != null) {
          alterColumn(table, alter);
        }
      } else {
        throw new IllegalArgumentException("not a constraint change: " + statement.getKind());
      }
    }
  }

  private void addConstraint(TableDef table, ShaleConstraint constraint) {
    List<String> columnNames = table.columns().stream().map(ColumnDef::name).toList();
    if (constraint instanceof ShalePrimaryKeyConstraint) {
      throw table.primaryKey().isEmpty()
          ? new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "ADD PRIMARY KEY is not supported: rows are stored "
              + "by their key, so a new primary key would rewrite the table; declare it in CREATE TABLE")
          : new ShaleException(SqlState.INVALID_TABLE_DEFINITION,
              "multiple primary keys for table \"" + table.name() + "\" are not allowed");
    }
    if (constraint instanceof ShaleUniqueConstraint unique) {
      addUnique(table, unique, columnNames);
    } else if (constraint instanceof ShaleForeignKeyConstraint foreignKey) {
      addForeignKey(table, foreignKey, columnNames);
    } else if (constraint instanceof ShaleCheckConstraint check) {
      addCheck(table, check);
    } else {
      throw new IllegalArgumentException("unknown constraint " + constraint.getClass().getSimpleName());
    }
  }

  private void addUnique(TableDef table, ShaleUniqueConstraint unique, List<String> columnNames) {
    List<String> columns = unique.columnNames();
    for (String column : columns) {
      requireColumn(table, columnNames, column);
    }
    if (new HashSet<>(columns).size() != columns.size()) {
      throw new ShaleException(SqlState.DUPLICATE_COLUMN, "a column appears twice in a UNIQUE constraint");
    }
    String name = DdlExecutor.constraintName(unique, table.name() + "_" + String.join("_", columns) + "_key");
    requireFreeConstraintName(table, name);
    boolean enforcedAlready = new HashSet<>(columns).equals(new HashSet<>(table.primaryKeyNames()))
        || table.indexes().stream().anyMatch(index -> index.unique() && index.ready()
            && new HashSet<>(index.columns()).equals(new HashSet<>(columns)));
    if (!enforcedAlready) {
      if (catalog.tableOfIndex(name).isPresent() || catalog.table(name).isPresent() || catalog.view(name).isPresent()) {
        throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
      }
      // Building the unique index is the check of the existing rows: it fails with 23505 on duplicates.
      DdlExecutor.buildIndex(catalog, kv, table.name(), new IndexDef(name, 0, columns,
          DdlExecutor.ascending(columns.size()), true, IndexDef.Origin.UNIQUE_CONSTRAINT, false));
    }
    TableDef current = current(table);
    List<UniqueDef> uniques = new ArrayList<>(current.uniqueConstraints());
    uniques.add(new UniqueDef(name, columns));
    catalog.replaceTables(List.of(current.withSchemaChange(current.columns(), current.primaryKey(), uniques,
        current.foreignKeys(), current.checks(), current.indexes(), current.rowFormat())));
  }

  private void addForeignKey(TableDef table, ShaleForeignKeyConstraint constraint, List<String> columnNames) {
    ForeignKeyDef declared = DdlExecutor.foreignKey(catalog, constraint, table.name(), columnNames);
    requireFreeConstraintName(table, declared.name());
    ForeignKeyDef foreignKey = DdlExecutor.checkForeignKey(catalog, declared, table);
    List<IndexDef> indexes = new ArrayList<>(table.indexes());
    boolean served = DdlExecutor.startsWith(table.primaryKeyNames(), foreignKey.columns())
        || indexes.stream().anyMatch(index -> DdlExecutor.startsWith(index.columns(), foreignKey.columns()));
    if (!served) {
      // As CREATE TABLE does: an index on the referencing columns, so deleting a parent row finds its children.
      DdlExecutor.buildIndex(catalog, kv, table.name(), new IndexDef(
          DdlExecutor.freeIndexName(catalog, foreignKey.name(), List.of()), 0, foreignKey.columns(),
          DdlExecutor.ascending(foreignKey.columns().size()), false, IndexDef.Origin.FOREIGN_KEY, false));
    }
    TableDef before = current(table);
    List<ForeignKeyDef> foreignKeys = new ArrayList<>(before.foreignKeys());
    foreignKeys.add(foreignKey);
    catalog.replaceTables(List.of(before.withSchemaChange(before.columns(), before.primaryKey(),
        before.uniqueConstraints(), foreignKeys, before.checks(), before.indexes(), before.rowFormat())));
    try {
      if (services.anyRow(orphanQuery(table.name(), foreignKey))) {
        throw new ShaleException(SqlState.FOREIGN_KEY_VIOLATION, "insert or update on table \"" + table.name()
            + "\" violates foreign key constraint \"" + foreignKey.name() + "\": a row references a key that \""
            + foreignKey.referencedTable() + "\" does not hold");
      }
    } catch (RuntimeException e) {
      TableDef added = current(table);
      undo(e, () -> catalog.replaceTables(List.of(SchemaChangeExecutor.withoutForeignKeys(added,
          added.foreignKeys().stream().filter(fk -> !fk.name().equals(foreignKey.name())).toList()))));
      throw e;
    }
  }

  /** A query that returns a row if a row of {@code table} references no row of the parent (MATCH SIMPLE: a NULL never does). */
  private static String orphanQuery(String table, ForeignKeyDef foreignKey) {
    StringBuilder sql = new StringBuilder("SELECT 1 FROM ").append(quote(table)).append(" AS c WHERE ");
    for (String column : foreignKey.columns()) {
      sql.append("c.").append(quote(column)).append(" IS NOT NULL AND ");
    }
    sql.append("NOT EXISTS (SELECT 1 FROM ").append(quote(foreignKey.referencedTable())).append(" AS p WHERE ");
    for (int i = 0; i < foreignKey.columns().size(); i++) {
      if (i > 0) {
        sql.append(" AND ");
      }
      sql.append("p.").append(quote(foreignKey.referencedColumns().get(i))).append(" = c.")
          .append(quote(foreignKey.columns().get(i)));
    }
    return sql.append(")").toString();
  }

  private void addCheck(TableDef table, ShaleCheckConstraint constraint) {
    String name = DdlExecutor.constraintName(constraint, table.name() + "_check" + (table.checks().size() + 1));
    requireFreeConstraintName(table, name);
    String conditionSql = DdlExecutor.toSql(constraint.condition());
    List<CheckDef> checks = new ArrayList<>(table.checks());
    checks.add(new CheckDef(name, conditionSql));
    TableDef checked = table.withSchemaChange(table.columns(), table.primaryKey(), table.uniqueConstraints(),
        table.foreignKeys(), checks, table.indexes(), table.rowFormat());
    checkCompiler.accept(checked);
    catalog.replaceTables(List.of(checked));
    // A row violates a CHECK where its condition is false; NULL (unknown) passes, as in SQL.
    String violations = "SELECT 1 FROM " + quote(table.name()) + " WHERE NOT (" + conditionSql + ")";
    validateOrRevert(table, violations, new ShaleException(SqlState.CHECK_VIOLATION,
        "check constraint \"" + name + "\" of relation \"" + table.name() + "\" is violated by some row"));
  }

  private void dropConstraint(TableDef table, String name, boolean ifExists, boolean cascade) {
    for (UniqueDef unique : table.uniqueConstraints()) {
      if (unique.name().equals(name)) {
        dropUnique(table, unique, cascade);
        return;
      }
    }
    for (ForeignKeyDef foreignKey : table.foreignKeys()) {
      if (foreignKey.name().equals(name)) {
        catalog.replaceTables(List.of(SchemaChangeExecutor.withoutForeignKeys(table,
            table.foreignKeys().stream().filter(fk -> !fk.name().equals(name)).toList())));
        return;
      }
    }
    for (CheckDef check : table.checks()) {
      if (check.name().equals(name)) {
        List<CheckDef> checks = table.checks().stream().filter(c -> !c.name().equals(name)).toList();
        catalog.replaceTables(List.of(table.withSchemaChange(table.columns(), table.primaryKey(),
            table.uniqueConstraints(), table.foreignKeys(), checks, table.indexes(), table.rowFormat())));
        return;
      }
    }
    if (name.equals(table.name() + "_pkey")) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "cannot drop the primary key of \"" + table.name()
          + "\": rows are stored by their key");
    }
    if (!ifExists) {
      throw new ShaleException(SqlState.UNDEFINED_OBJECT,
          "constraint \"" + name + "\" of relation \"" + table.name() + "\" does not exist");
    }
  }

  /**
   * Drops a UNIQUE constraint and its index. Foreign keys that reference exactly its columns need
   * it: without CASCADE they refuse the drop (2BP01), with CASCADE they are dropped too.
   */
  private void dropUnique(TableDef table, UniqueDef unique, boolean cascade) {
    Set<String> columns = new HashSet<>(unique.columns());
    boolean primaryKeyToo = columns.equals(new HashSet<>(table.primaryKeyNames()));
    List<TableDef> changed = new ArrayList<>();
    for (TableDef other : catalog.tables()) {
      List<ForeignKeyDef> dependent = other.foreignKeys().stream()
          .filter(fk -> !primaryKeyToo && fk.referencedTable().equals(table.name())
              && new HashSet<>(fk.referencedColumns()).equals(columns))
          .toList();
      if (dependent.isEmpty()) {
        continue;
      }
      if (!cascade) {
        throw new ShaleException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop constraint \"" + unique.name()
            + "\" on table \"" + table.name() + "\" because constraint \"" + dependent.get(0).name() + "\" on table \""
            + other.name() + "\" depends on it; use DROP CONSTRAINT ... CASCADE to drop it too");
      }
      if (other.tableId() != table.tableId()) {
        List<ForeignKeyDef> kept = other.foreignKeys().stream().filter(fk -> !dependent.contains(fk)).toList();
        changed.add(SchemaChangeExecutor.withoutForeignKeys(other, kept));
      }
    }
    List<ForeignKeyDef> ownKept = table.foreignKeys().stream()
        .filter(fk -> primaryKeyToo || !(fk.referencedTable().equals(table.name())
            && new HashSet<>(fk.referencedColumns()).equals(columns)))
        .toList();
    TableDef withoutKeys = SchemaChangeExecutor.withoutForeignKeys(table, ownKept);
    List<IndexDef> indexes = withoutKeys.indexes().stream()
        .filter(index -> !(index.origin() == IndexDef.Origin.UNIQUE_CONSTRAINT && index.name().equals(unique.name())))
        .toList();
    List<UniqueDef> uniques = table.uniqueConstraints().stream().filter(u -> !u.name().equals(unique.name())).toList();
    changed.add(withoutKeys.withSchemaChange(withoutKeys.columns(), withoutKeys.primaryKey(), uniques,
        withoutKeys.foreignKeys(), withoutKeys.checks(), indexes, withoutKeys.rowFormat()));
    catalog.replaceTables(changed);
  }

  private void alterColumn(TableDef table, ShaleAlterColumn alter) {
    String columnName = alter.column().getSimple();
    int index = table.columnIndex(columnName);
    if (index < 0) {
      throw new ShaleException(SqlState.UNDEFINED_COLUMN,
          "column \"" + columnName + "\" of relation \"" + table.name() + "\" does not exist");
    }
    ColumnDef old = table.columns().get(index);
    ColumnDef changed = switch (alter.action()) {
      case SET_DEFAULT -> {
        if (old.generation().generates()) {
          throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
              "column \"" + columnName + "\" is an identity column; it cannot have a DEFAULT");
        }
        String defaultSql = DdlExecutor.toSql(Objects.requireNonNull(alter.defaultValue()));
        services.evaluateDefault(defaultSql, old, table.name()); // refuses a default that does not fit the column
        yield new ColumnDef(old.name(), old.type(), old.nullable(), defaultSql, old.generation());
      }
      case DROP_DEFAULT -> new ColumnDef(old.name(), old.type(), old.nullable(), null, old.generation());
      case SET_NOT_NULL -> new ColumnDef(old.name(), old.type(), false, old.defaultSql(), old.generation());
      case DROP_NOT_NULL -> {
        if (table.isPrimaryKeyColumn(index)) {
          throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION,
              "column \"" + columnName + "\" is in a primary key");
        }
        yield new ColumnDef(old.name(), old.type(), true, old.defaultSql(), old.generation());
      }
      case SET_TYPE -> new ColumnDef(old.name(),
          widened(old, DdlExecutor.columnType(Objects.requireNonNull(alter.type()), columnName)), old.nullable(),
          old.defaultSql(), old.generation());
    };
    // Checked before the change is published: once the column is NOT NULL, the planner folds the
    // IS NULL away. A NULL written by a statement that planned before the change can slip through.
    if (alter.action() == ShaleAlterColumn.Action.SET_NOT_NULL && old.nullable()
        && services.anyRow("SELECT 1 FROM " + quote(table.name()) + " WHERE " + quote(columnName) + " IS NULL")) {
      throw new ShaleException(SqlState.NOT_NULL_VIOLATION,
          "column \"" + columnName + "\" of relation \"" + table.name() + "\" contains null values");
    }
    List<ColumnDef> columns = new ArrayList<>(table.columns());
    columns.set(index, changed);
    catalog.replaceTables(List.of(table.withSchemaChange(columns, table.primaryKey(), table.uniqueConstraints(),
        table.foreignKeys(), table.checks(), table.indexes(), table.rowFormat())));
  }

  /**
   * {@code wanted} if every value of {@code column} is one of it with the same stored form, so no
   * row needs rewriting: the same storage type, strings no shorter, decimals with the same scale
   * and no fewer digits.
   *
   * @throws ShaleException 0A000 for any other change of type
   */
  private static SqlColumnType widened(ColumnDef column, SqlColumnType wanted) {
    SqlColumnType current = column.type();
    boolean widens = current.storage() == wanted.storage() && switch (current.storage()) {
      case CHAR -> wanted.precision() == current.precision();
      case VARCHAR -> wanted.precision() == SqlColumnType.UNSPECIFIED
          || (current.precision() != SqlColumnType.UNSPECIFIED && wanted.precision() >= current.precision());
      case DECIMAL -> wanted.scale() == current.scale() && wanted.precision() >= current.precision();
      default -> true;
    };
    if (!widens) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "cannot change column \"" + column.name() + "\" from "
          + current.display() + " to " + wanted.display() + ": ShaleDB changes a column's type only where no stored "
          + "row changes (a longer VARCHAR, a DECIMAL with more digits and the same scale)");
    }
    return wanted;
  }

  /**
   * Runs {@code violationsQuery} against the committed rows; if it finds one, puts {@code before}
   * back (its changed definition is already published) and throws {@code violation}.
   */
  private void validateOrRevert(TableDef before, String violationsQuery, ShaleException violation) {
    boolean violated;
    try {
      violated = services.anyRow(violationsQuery);
    } catch (RuntimeException e) {
      undo(e, () -> restore(before));
      throw e;
    }
    if (violated) {
      undo(violation, () -> restore(before));
      throw violation;
    }
  }

  /** Publishes {@code before}'s definition again, as a newer schema version of the table. */
  private void restore(TableDef before) {
    TableDef now = current(before);
    catalog.replaceTables(List.of(now.withSchemaChange(before.columns(), before.primaryKey(), before.uniqueConstraints(),
        before.foreignKeys(), before.checks(), now.indexes(), before.rowFormat())));
  }

  private static void undo(RuntimeException failure, Runnable undo) {
    try {
      undo.run();
    } catch (RuntimeException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  private TableDef current(TableDef table) {
    return catalog.tables().stream().filter(t -> t.tableId() == table.tableId()).findFirst()
        .orElseThrow(() -> new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + table.name() + "\" does not exist"));
  }

  private static void requireColumn(TableDef table, List<String> columnNames, String column) {
    if (!columnNames.contains(column)) {
      throw new ShaleException(SqlState.UNDEFINED_COLUMN, "column \"" + column + "\" named in a constraint does not "
          + "exist in \"" + table.name() + "\"");
    }
  }

  /** Constraint names are unique per table, as in PostgreSQL. */
  private static void requireFreeConstraintName(TableDef table, String name) {
    Set<String> taken = new HashSet<>();
    table.uniqueConstraints().forEach(u -> taken.add(u.name()));
    table.foreignKeys().forEach(fk -> taken.add(fk.name()));
    table.checks().forEach(c -> taken.add(c.name()));
    if (taken.contains(name)) {
      throw new ShaleException(SqlState.DUPLICATE_OBJECT,
          "constraint \"" + name + "\" for relation \"" + table.name() + "\" already exists");
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
