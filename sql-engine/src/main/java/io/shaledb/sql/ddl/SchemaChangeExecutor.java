package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.CheckDef;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.RowFormat;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.UniqueDef;
import io.shaledb.sql.catalog.ViewDef;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.parser.ddl.ShaleAlterTable;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration;
import io.shaledb.sql.parser.ddl.ShaleCreateView;
import io.shaledb.sql.parser.ddl.ShaleDropTable;
import io.shaledb.sql.parser.ddl.ShaleDropView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.util.SqlVisitor;

/**
 * Executes ALTER TABLE (columns and the table's name), CREATE VIEW, DROP VIEW and DROP TABLE against
 * the catalog; {@link ConstraintChangeExecutor} changes constraints and column definitions. Like all DDL, each change
 * commits on its own, immediately; a change that fails leaves the catalog as it was.
 *
 * <p>No ALTER TABLE rewrites rows: see {@link RowFormat}. Views are stored as SQL text and
 * resolved where they are used, so a view over a table that was dropped or changed fails when
 * queried (with the error the expanded query gets), as in MySQL.
 */
public final class SchemaChangeExecutor {
  /** Views deeper than this are refused: a chain that long is a mistake or a cycle. */
  private static final int VIEW_NESTING_MAX = 32;

  private final Catalog catalog;
  private final SchemaServices services;

  public SchemaChangeExecutor(Catalog catalog, SchemaServices services) {
    this.catalog = catalog;
    this.services = services;
  }

  /** Whether {@code statement} is one this executor runs. */
  public static boolean handles(SqlNode statement) {
    return statement instanceof ShaleAlterTable || statement instanceof ShaleCreateView
        || statement instanceof ShaleDropView || statement instanceof ShaleDropTable;
  }

  public void execute(SqlNode statement) {
    // A change reads table definitions and then replaces them whole. Holding the catalog's lock
    // (its DDL methods synchronize on it) keeps other DDL, e.g. CREATE INDEX adding an index,
    // from landing in between and being overwritten.
    synchronized (catalog) {
      if (statement instanceof ShaleAlterTable alter) {
        alter(alter);
      } else if (statement instanceof ShaleCreateView create) {
        createView(create);
      } else if (statement instanceof ShaleDropView drop) {
        dropView(drop);
      } else if (statement instanceof ShaleDropTable drop) {
        dropTable(drop);
      } else {
        throw new IllegalArgumentException("not a schema change: " + statement.getKind());
      }
    }
  }

  private void alter(ShaleAlterTable alter) {
    TableDef table = alteredTable(catalog, alter.name(), alter.tableIfExists());
    if (table == null) {
      return;
    }
    switch (alter.action()) {
      case ADD_COLUMN -> addColumn(table, Objects.requireNonNull(alter.column()), alter.ifExistsOrNot());
      case DROP_COLUMN -> dropColumn(table, Objects.requireNonNull(alter.columnName()).getSimple(), alter.ifExistsOrNot());
      case RENAME_COLUMN -> renameColumn(table, Objects.requireNonNull(alter.columnName()).getSimple(),
          Objects.requireNonNull(alter.newName()).getSimple());
      case RENAME_TABLE -> renameTable(table, DdlExecutor.tableName(Objects.requireNonNull(alter.newName())));
    }
  }

  /**
   * The table ALTER TABLE changes, or null if it does not exist and IF EXISTS was written.
   *
   * @throws ShaleException 42809 for a view, 42P01 for a missing table
   */
  static TableDef alteredTable(Catalog catalog, SqlIdentifier nameId, boolean ifExists) {
    String name = DdlExecutor.tableName(nameId);
    if (catalog.view(name).isPresent()) {
      throw new ShaleException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is a view, not a table");
    }
    if (catalog.table(name).isEmpty() && ifExists) {
      return null;
    }
    return catalog.table(name).orElseThrow(() ->
        new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist"));
  }

  /**
   * DROP TABLE. Without CASCADE, a table that a foreign key of another table references is
   * refused (2BP01). With CASCADE those foreign keys and the views that name the table go first,
   * each as its own change, as PostgreSQL drops them; the referencing tables and their rows stay.
   */
  private void dropTable(ShaleDropTable drop) {
    String name = DdlExecutor.tableName(drop.name());
    if (catalog.view(name).isPresent()) {
      throw new ShaleException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is a view; use DROP VIEW");
    }
    if (catalog.table(name).isEmpty() && drop.ifExists()) {
      return;
    }
    if (drop.cascade() && catalog.table(name).isPresent()) {
      List<TableDef> changed = new ArrayList<>();
      for (TableDef other : catalog.tables()) {
        if (other.name().equals(name)) {
          continue;
        }
        List<ForeignKeyDef> kept = other.foreignKeys().stream().filter(fk -> !fk.referencedTable().equals(name)).toList();
        if (kept.size() != other.foreignKeys().size()) {
          changed.add(withoutForeignKeys(other, kept));
        }
      }
      if (!changed.isEmpty()) {
        catalog.replaceTables(changed);
      }
      dropDependentViews(name);
    }
    catalog.dropTable(name);
  }

  /**
   * {@code table} keeping only the foreign keys {@code kept}, and without the indexes that were
   * made only for the others (an index made for a foreign key that another kept key also starts
   * with stays).
   */
  static TableDef withoutForeignKeys(TableDef table, List<ForeignKeyDef> kept) {
    List<IndexDef> indexes = new ArrayList<>();
    for (IndexDef index : table.indexes()) {
      if (index.origin() != IndexDef.Origin.FOREIGN_KEY
          || kept.stream().anyMatch(fk -> DdlExecutor.startsWith(index.columns(), fk.columns()))) {
        indexes.add(index);
      }
    }
    return table.withSchemaChange(table.columns(), table.primaryKey(), table.uniqueConstraints(), kept, table.checks(),
        indexes, table.rowFormat());
  }

  /** Drops the views whose query names {@code name}, and the views on those, innermost last. */
  private void dropDependentViews(String name) {
    Deque<String> pending = new ArrayDeque<>(List.of(name));
    Set<String> seen = new HashSet<>();
    List<String> dependents = new ArrayList<>();
    while (!pending.isEmpty()) {
      String dropped = pending.pop();
      for (ViewDef view : catalog.views()) {
        if (!view.name().equals(dropped) && identifiers(view.sql()).contains(dropped) && seen.add(view.name())) {
          dependents.add(view.name());
          pending.add(view.name());
        }
      }
    }
    for (String view : dependents) {
      catalog.dropView(view);
    }
  }

  private void addColumn(TableDef table, ShaleColumnDeclaration declaration, boolean ifNotExists) {
    String columnName = declaration.simpleName();
    if (columnName.equals(TableDef.HIDDEN_ROW_ID)) {
      throw new ShaleException(SqlState.DUPLICATE_COLUMN, "column name \"" + columnName
          + "\" conflicts with the hidden row id of tables without a primary key");
    }
    if (table.columnIndex(columnName) >= 0) {
      if (ifNotExists) {
        return;
      }
      throw new ShaleException(SqlState.DUPLICATE_COLUMN,
          "column \"" + columnName + "\" of relation \"" + table.name() + "\" already exists");
    }
    if (!declaration.constraints().isEmpty()) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "ADD COLUMN takes NOT NULL and DEFAULT only; "
          + "keys and constraints on a new column are not supported");
    }
    ColumnDef column = DdlExecutor.column(declaration, false, table.name());
    if (column.generation().generates()) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
          "ADD COLUMN cannot add an AUTO_INCREMENT or identity column: existing rows would need values");
    }
    // Existing rows read the DEFAULT as evaluated now (PostgreSQL does the same), so none is rewritten.
    Object backfill = column.defaultSql() == null ? null : services.evaluateDefault(column.defaultSql(), column, table.name());
    if (backfill == null && !column.nullable() && services.hasRows(table)) {
      throw new ShaleException(SqlState.NOT_NULL_VIOLATION, "column \"" + columnName + "\" of relation \""
          + table.name() + "\" contains null values: a NOT NULL column added to a table with rows needs a DEFAULT");
    }
    RowFormat format = table.rowFormat();
    RowFormat.SlotDefault slotDefault = backfill == null ? null
        : new RowFormat.SlotDefault(format.nextSlot(), table.schemaVersion() + 1, backfill);
    List<ColumnDef> columns = new ArrayList<>(table.columns());
    if (table.hasHiddenRowId()) {
      // The hidden row id stays last, so INSERT without a column list still fills the visible columns.
      columns.add(columns.size() - 1, column);
      catalog.replaceTables(List.of(table.withSchemaChange(columns, List.of(columns.size() - 1),
          table.uniqueConstraints(), table.foreignKeys(), table.checks(), table.indexes(),
          format.withAddedColumnBeforeLast(column.type().storage(), slotDefault))));
      return;
    }
    columns.add(column);
    catalog.replaceTables(List.of(table.withSchemaChange(columns, table.primaryKey(), table.uniqueConstraints(),
        table.foreignKeys(), table.checks(), table.indexes(), format.withAddedColumn(column.type().storage(), slotDefault))));
  }

  private void dropColumn(TableDef table, String columnName, boolean ifExists) {
    int index = table.columnIndex(columnName);
    if (index < 0 || table.isHidden(index)) {
      if (ifExists) {
        return;
      }
      throw missingColumn(table, columnName);
    }
    String why = null;
    if (table.isPrimaryKeyColumn(index)) {
      why = "it is part of the primary key, which stores and shards the rows";
    } else if (table.uniqueConstraints().stream().anyMatch(u -> u.columns().contains(columnName))) {
      why = "a UNIQUE constraint uses it";
    } else if (table.foreignKeys().stream().anyMatch(fk -> fk.columns().contains(columnName))) {
      why = "a FOREIGN KEY uses it";
    } else if (table.checks().stream().anyMatch(c -> mentions(c.conditionSql(), columnName))) {
      why = "a CHECK constraint uses it";
    } else {
      for (TableDef other : catalog.tables()) {
        for (ForeignKeyDef fk : other.foreignKeys()) {
          if (fk.referencedTable().equals(table.name()) && fk.referencedColumns().contains(columnName)) {
            why = "FOREIGN KEY \"" + fk.name() + "\" of \"" + other.name() + "\" references it";
          }
        }
      }
    }
    if (why != null) {
      throw new ShaleException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
          "cannot drop column \"" + columnName + "\" of table \"" + table.name() + "\": " + why);
    }
    List<ColumnDef> columns = new ArrayList<>(table.columns());
    columns.remove(index);
    List<Integer> primaryKey = new ArrayList<>();
    for (int column : table.primaryKey()) {
      primaryKey.add(column > index ? column - 1 : column);
    }
    // As in PostgreSQL, indexes on the column go with it (constraint indexes cannot be among them:
    // their constraints refused the drop above); the catalog drops their entries.
    List<IndexDef> indexes = new ArrayList<>();
    for (IndexDef candidate : table.indexes()) {
      if (!candidate.columns().contains(columnName)) {
        indexes.add(candidate);
      } else if (candidate.origin() != IndexDef.Origin.USER) {
        throw new ShaleException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop column \"" + columnName
            + "\" of table \"" + table.name() + "\": index \"" + candidate.name() + "\" of a constraint uses it");
      }
    }
    catalog.replaceTables(List.of(table.withSchemaChange(columns, primaryKey, table.uniqueConstraints(),
        table.foreignKeys(), table.checks(), indexes, table.rowFormat().withoutColumn(index))));
  }

  private void renameColumn(TableDef table, String oldName, String newName) {
    int index = table.columnIndex(oldName);
    if (index < 0 || table.isHidden(index)) {
      throw missingColumn(table, oldName);
    }
    if (table.columnIndex(newName) >= 0 || newName.equals(TableDef.HIDDEN_ROW_ID)) {
      throw new ShaleException(SqlState.DUPLICATE_COLUMN,
          "column \"" + newName + "\" of relation \"" + table.name() + "\" already exists");
    }
    List<ColumnDef> columns = new ArrayList<>(table.columns());
    ColumnDef old = columns.get(index);
    columns.set(index, new ColumnDef(newName, old.type(), old.nullable(), old.defaultSql(), old.generation()));
    List<UniqueDef> uniques = new ArrayList<>();
    for (UniqueDef unique : table.uniqueConstraints()) {
      uniques.add(new UniqueDef(unique.name(), rename(unique.columns(), oldName, newName)));
    }
    List<ForeignKeyDef> foreignKeys = new ArrayList<>();
    for (ForeignKeyDef fk : table.foreignKeys()) {
      List<String> referenced = fk.referencedTable().equals(table.name())
          ? rename(fk.referencedColumns(), oldName, newName) : fk.referencedColumns();
      foreignKeys.add(new ForeignKeyDef(fk.name(), rename(fk.columns(), oldName, newName), fk.referencedTable(),
          referenced, fk.onDelete()));
    }
    List<CheckDef> checks = new ArrayList<>();
    for (CheckDef check : table.checks()) {
      checks.add(new CheckDef(check.name(), renameIdentifier(check.conditionSql(), oldName, newName)));
    }
    List<IndexDef> indexes = new ArrayList<>();
    for (IndexDef existing : table.indexes()) {
      indexes.add(new IndexDef(existing.name(), existing.indexId(), rename(existing.columns(), oldName, newName),
          existing.orders(), existing.unique(), existing.origin(), existing.ready()));
    }
    List<TableDef> changed = new ArrayList<>();
    changed.add(table.withSchemaChange(columns, table.primaryKey(), uniques, foreignKeys, checks, indexes,
        table.rowFormat()));
    for (TableDef other : catalog.tables()) {
      if (other.tableId() == table.tableId()) {
        continue;
      }
      List<ForeignKeyDef> otherKeys = new ArrayList<>();
      boolean touched = false;
      for (ForeignKeyDef fk : other.foreignKeys()) {
        if (fk.referencedTable().equals(table.name()) && fk.referencedColumns().contains(oldName)) {
          touched = true;
          otherKeys.add(new ForeignKeyDef(fk.name(), fk.columns(), fk.referencedTable(),
              rename(fk.referencedColumns(), oldName, newName), fk.onDelete()));
        } else {
          otherKeys.add(fk);
        }
      }
      if (touched) {
        changed.add(other.withForeignKeys(otherKeys));
      }
    }
    catalog.replaceTables(changed);
  }

  private void renameTable(TableDef table, String newName) {
    if (newName.equals(table.name())) {
      return;
    }
    List<TableDef> changed = new ArrayList<>();
    for (TableDef candidate : catalog.tables()) {
      List<ForeignKeyDef> keys = new ArrayList<>();
      boolean touched = false;
      for (ForeignKeyDef fk : candidate.foreignKeys()) {
        if (fk.referencedTable().equals(table.name())) {
          touched = true;
          keys.add(new ForeignKeyDef(fk.name(), fk.columns(), newName, fk.referencedColumns(), fk.onDelete()));
        } else {
          keys.add(fk);
        }
      }
      TableDef updated = touched ? candidate.withForeignKeys(keys) : candidate;
      if (candidate.tableId() == table.tableId()) {
        changed.add(updated.withName(newName));
      } else if (touched) {
        changed.add(updated);
      }
    }
    catalog.replaceTables(changed);
  }

  private void createView(ShaleCreateView create) {
    String name = DdlExecutor.tableName(create.name());
    if (catalog.table(name).isPresent()) {
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    if (!create.replace() && catalog.view(name).isPresent()) {
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    String sql = DdlExecutor.toSql(create.query());
    List<String> columnNames = new ArrayList<>();
    if (create.columnList() != null) {
      for (SqlNode column : create.columnList()) {
        String columnName = ((SqlIdentifier) column).getSimple();
        if (columnNames.contains(columnName)) {
          throw new ShaleException(SqlState.DUPLICATE_COLUMN, "column \"" + columnName + "\" specified more than once");
        }
        columnNames.add(columnName);
      }
    }
    checkNoCycle(name, sql);
    List<String> produced = services.viewColumns(sql);
    if (!columnNames.isEmpty() && columnNames.size() != produced.size()) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "view \"" + name + "\" names " + columnNames.size()
          + " columns but its query produces " + produced.size());
    }
    catalog.createView(new ViewDef(name, sql, columnNames), create.replace());
  }

  private void dropView(ShaleDropView drop) {
    String name = DdlExecutor.tableName(drop.name());
    if (catalog.view(name).isEmpty()) {
      if (catalog.table(name).isPresent()) {
        throw new ShaleException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is a table; use DROP TABLE");
      }
      if (drop.ifExists()) {
        return;
      }
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "view \"" + name + "\" does not exist");
    }
    if (drop.cascade()) {
      dropDependentViews(name);
    }
    catalog.dropView(name);
  }

  /**
   * Refuses a view whose query reaches the view itself through other views, which CREATE OR
   * REPLACE could otherwise create. Names are matched wherever they appear in a query, so this
   * errs on the side of refusing.
   */
  private void checkNoCycle(String viewName, String sql) {
    Deque<String> pending = new ArrayDeque<>(identifiers(sql));
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (name.equals(viewName)) {
        throw new ShaleException(SqlState.INVALID_OBJECT_DEFINITION,
            "infinite recursion detected: view \"" + viewName + "\" would select from itself");
      }
      if (seen.add(name)) {
        if (seen.size() > VIEW_NESTING_MAX * 64) {
          throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "views nest too deeply");
        }
        catalog.view(name).ifPresent(view -> pending.addAll(identifiers(view.sql())));
      }
    }
  }

  /** The last part of every identifier in a query. */
  private static Set<String> identifiers(String sql) {
    Set<String> names = new HashSet<>();
    SqlNode query;
    try {
      query = SqlParser.create(sql, ShaleSqlParser.CONFIG).parseQuery();
    } catch (SqlParseException e) {
      return names;
    }
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlIdentifier id) {
        if (!id.names.isEmpty()) {
          names.add(id.names.get(id.names.size() - 1));
          names.add(id.names.get(0));
        }
        return null;
      }
    });
    return names;
  }

  private static boolean mentions(String expressionSql, String columnName) {
    SqlNode expression = parseExpression(expressionSql);
    boolean[] found = {false};
    SqlVisitor<Void> visitor = new SqlBasicVisitor<>() {
      @Override
      public Void visit(SqlIdentifier id) {
        if (id.names.get(id.names.size() - 1).equals(columnName)) {
          found[0] = true;
        }
        return null;
      }
    };
    expression.accept(visitor);
    return found[0];
  }

  private static String renameIdentifier(String expressionSql, String oldName, String newName) {
    SqlNode renamed = parseExpression(expressionSql).accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlIdentifier id) {
        int last = id.names.size() - 1;
        return id.names.get(last).equals(oldName) ? id.setName(last, newName) : id;
      }
    });
    return DdlExecutor.toSql(Objects.requireNonNull(renamed));
  }

  private static SqlNode parseExpression(String sql) {
    try {
      return SqlParser.create(sql, ShaleSqlParser.CONFIG).parseExpression();
    } catch (SqlParseException e) {
      throw new IllegalStateException("stored CHECK condition does not parse: " + sql, e);
    }
  }

  private static List<String> rename(List<String> names, String oldName, String newName) {
    List<String> renamed = new ArrayList<>(names.size());
    for (String name : names) {
      renamed.add(name.equals(oldName) ? newName : name);
    }
    return renamed;
  }

  private static ShaleException missingColumn(TableDef table, String columnName) {
    return new ShaleException(SqlState.UNDEFINED_COLUMN,
        "column \"" + columnName + "\" of relation \"" + table.name() + "\" does not exist");
  }
}
