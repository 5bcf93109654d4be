package io.shaledb.sql.exec;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.CheckDef;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.UniqueDef;
import io.shaledb.sql.parser.ddl.ShaleCheckConstraint;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration;
import io.shaledb.sql.parser.ddl.ShaleConstraint;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleDropTable;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShalePrimaryKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleUniqueConstraint;
import io.shaledb.sql.schema.ShaleTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;

/** Executes CREATE TABLE and DROP TABLE against the catalog. */
final class DdlExecutor {
  private final Catalog catalog;
  private final int defaultShardCount;

  DdlExecutor(Catalog catalog, int defaultShardCount) {
    this.catalog = catalog;
    this.defaultShardCount = defaultShardCount;
  }

  void execute(SqlNode statement) {
    if (statement instanceof ShaleCreateTable create) {
      createTable(create);
    } else if (statement instanceof ShaleDropTable drop) {
      String name = tableName(drop.name());
      if (catalog.view(name).isPresent()) {
        throw new ShaleException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is a view; use DROP VIEW");
      }
      if (catalog.table(name).isEmpty() && drop.ifExists()) {
        return;
      }
      catalog.dropTable(name);
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
        foreignKeys.add(foreignKey(fk, name, columnNames));
      } else if (constraint instanceof ShaleCheckConstraint check) {
        checks.add(new CheckDef(constraintName(constraint, name + "_check" + (checks.size() + 1)), toSql(check.condition())));
      }
    }
    if (primaryKey == null) {
      throw new ShaleException(SqlState.INVALID_TABLE_DEFINITION, "table \"" + name
          + "\" needs a PRIMARY KEY: ShaleDB stores and shards rows by their primary key");
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
    int shards = create.shardCount() == null ? defaultShardCount : create.shardCount();
    if (shards < 1 || shards > 4096) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "SHARDS must be between 1 and 4096, not " + shards);
    }
    catalog.createTable(new TableDef(0, name, columns, primaryKey, uniques, foreignKeys, checks, shards, 1));
  }

  static ColumnDef column(ShaleColumnDeclaration declaration, boolean inPrimaryKey, String table) {
    SqlColumnType type = columnType(declaration);
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
    ColumnDef.Generation generation = switch (declaration.generation()) {
      case NONE -> ColumnDef.Generation.NONE;
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

  private static SqlColumnType columnType(ShaleColumnDeclaration declaration) {
    SqlTypeNameSpec spec = declaration.dataType().getTypeNameSpec();
    if (spec instanceof SqlAlienSystemTypeNameSpec alien) {
      // The grammar's only alien type name is MySQL's TEXT.
      return ShaleTypes.declared("TEXT", alien.getPrecision(), alien.getScale());
    }
    if (spec instanceof SqlBasicTypeNameSpec basic) {
      return ShaleTypes.declared(basic.getTypeName().getSimple(), basic.getPrecision(), basic.getScale());
    }
    throw new ShaleException(SqlState.SYNTAX_ERROR, "type " + spec.getTypeName() + " of column \""
        + declaration.simpleName() + "\" is not supported");
  }

  private ForeignKeyDef foreignKey(ShaleForeignKeyConstraint fk, String table, List<String> columnNames) {
    for (String column : fk.columnNames()) {
      columnIndex(columnNames, column, table);
    }
    String referenced = tableName(fk.referencedTable());
    List<String> referencedColumns = fk.referencedColumnNames();
    if (!referenced.equals(table)) {
      TableDef target = catalog.table(referenced).orElseThrow(() -> new ShaleException(SqlState.UNDEFINED_TABLE,
          "table \"" + referenced + "\" referenced by a foreign key of \"" + table + "\" does not exist"));
      if (referencedColumns.isEmpty()) {
        referencedColumns = target.primaryKey().stream().map(i -> target.columns().get(i).name()).toList();
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

  private static String constraintName(ShaleConstraint constraint, String generated) {
    return constraint.name() == null ? generated : constraint.name().getSimple();
  }

  /** The table a possibly schema-qualified name refers to; only the {@code public} schema exists. */
  static String tableName(SqlIdentifier identifier) {
    if (identifier.names.size() > 2 || (identifier.names.size() == 2 && !identifier.names.get(0).equals(SchemaSnapshot.SCHEMA_NAME))) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "schema of \"" + identifier + "\" does not exist; tables live in \"public\"");
    }
    return identifier.names.get(identifier.names.size() - 1);
  }

  static String toSql(SqlNode node) {
    return node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
  }
}
