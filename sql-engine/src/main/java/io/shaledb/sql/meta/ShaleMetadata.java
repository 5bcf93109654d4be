package io.shaledb.sql.meta;

import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.UniqueDef;
import io.shaledb.sql.catalog.ViewDef;
import io.shaledb.sql.security.MetadataVisibility;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.SortOrder;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta.DatabaseProperty;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The answers to {@link DatabaseMetaData} calls, computed from the catalog: what generic tools
 * (DBeaver, IntelliJ, sqlline) ask on connect and while browsing tables. Everything lives in one
 * schema, {@code public}, without a catalog, as PostgreSQL's default schema.
 *
 * <p>Name arguments follow JDBC: patterns (where JDBC says "pattern") use {@code %} and {@code _}
 * with {@code \} as escape; null means "don't filter"; non-pattern names must match exactly.
 */
final class ShaleMetadata {
  private static final String TABLE_TYPE = "TABLE";
  private static final String VIEW_TYPE = "VIEW";

  /** A metadata result: its columns and its rows, each an {@code Object[]} as wide as the columns. */
  record Result(List<ColumnMetaData> columns, List<Object[]> rows) {}

  private final Catalog catalog;
  private final Function<String, Optional<RelDataType>> viewRowType;
  private final MetadataVisibility visibility;
  private final String user;

  /**
   * Metadata as {@code user} sees it ({@link MetadataVisibility}).
   *
   * @param viewRowType a view's columns by its name (see {@code ShaleEngine.viewRowType})
   */
  ShaleMetadata(Catalog catalog, Function<String, Optional<RelDataType>> viewRowType, MetadataVisibility visibility,
      String user) {
    this.catalog = catalog;
    this.viewRowType = viewRowType;
    this.visibility = visibility;
    this.user = user;
  }

  private boolean visible(TableDef table) {
    return visibility.seesTable(user, table.tableId());
  }

  private List<ViewDef> visibleViews() {
    return visibility.seesViews(user) ? new ArrayList<>(catalog.views()) : new ArrayList<>();
  }

  static Map<DatabaseProperty, Object> databaseProperties() {
    Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "ShaleDB");
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, io.shaledb.sql.plan.SessionFunctions.PRODUCT_VERSION);
    properties.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, 0);
    properties.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, 1);
    properties.put(DatabaseProperty.GET_DRIVER_NAME, "ShaleDB JDBC Driver");
    properties.put(DatabaseProperty.GET_DRIVER_VERSION, "0.1.0");
    properties.put(DatabaseProperty.GET_DRIVER_MAJOR_VERSION, 0);
    properties.put(DatabaseProperty.GET_DRIVER_MINOR_VERSION, 1);
    properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_REPEATABLE_READ);
    properties.put(DatabaseProperty.GET_S_Q_L_KEYWORDS, "AUTO_INCREMENT,SHARDS,TEXT");
    properties.put(DatabaseProperty.GET_NUMERIC_FUNCTIONS, "ABS,CEIL,FLOOR,MOD,POWER,ROUND,SQRT,EXP,LN,LOG10");
    properties.put(DatabaseProperty.GET_STRING_FUNCTIONS, "CHAR_LENGTH,CONCAT,LOWER,UPPER,SUBSTRING,TRIM,POSITION,REPLACE");
    properties.put(DatabaseProperty.GET_SYSTEM_FUNCTIONS, "COALESCE,NULLIF");
    properties.put(DatabaseProperty.GET_TIME_DATE_FUNCTIONS, "CURRENT_DATE,CURRENT_TIME,CURRENT_TIMESTAMP,EXTRACT");
    return properties;
  }

  Result catalogs() {
    return new Result(MetadataTable.of().text("TABLE_CAT").columns(), List.of());
  }

  Result schemas(String catalogName, String schemaPattern) {
    List<Object[]> rows = new ArrayList<>();
    if (noCatalog(catalogName) && matches(schemaPattern, ShaleMeta.SCHEMA)) {
      rows.add(new Object[] {ShaleMeta.SCHEMA, null});
    }
    return new Result(MetadataTable.of().text("TABLE_SCHEM").text("TABLE_CATALOG").columns(), rows);
  }

  Result tableTypes() {
    return new Result(MetadataTable.of().text("TABLE_TYPE").columns(),
        List.<Object[]>of(new Object[] {TABLE_TYPE}, new Object[] {VIEW_TYPE}));
  }

  /** Tables, then views (JDBC orders by TABLE_TYPE, then name). */
  Result tables(String catalogName, String schemaPattern, String tablePattern, List<String> types) {
    List<Object[]> rows = new ArrayList<>();
    if (inSchema(catalogName, schemaPattern, true) && (types == null || types.contains(TABLE_TYPE))) {
      for (TableDef table : sortedTables()) {
        if (matches(tablePattern, table.name())) {
          rows.add(new Object[] {null, ShaleMeta.SCHEMA, table.name(), TABLE_TYPE, null, null, null, null, null, null});
        }
      }
    }
    if (inSchema(catalogName, schemaPattern, true) && (types == null || types.contains(VIEW_TYPE))) {
      List<ViewDef> views = visibleViews();
      views.sort(Comparator.comparing(ViewDef::name));
      for (ViewDef view : views) {
        if (matches(tablePattern, view.name())) {
          rows.add(new Object[] {null, ShaleMeta.SCHEMA, view.name(), VIEW_TYPE, null, null, null, null, null, null});
        }
      }
    }
    return new Result(MetadataTable.of().text("TABLE_CAT").text("TABLE_SCHEM").text("TABLE_NAME").text("TABLE_TYPE")
        .text("REMARKS").text("TYPE_CAT").text("TYPE_SCHEM").text("TYPE_NAME").text("SELF_REFERENCING_COL_NAME")
        .text("REF_GENERATION").columns(), rows);
  }

  Result columns(String catalogName, String schemaPattern, String tablePattern, String columnPattern) {
    List<Object[]> rows = new ArrayList<>();
    if (inSchema(catalogName, schemaPattern, true)) {
      for (TableDef table : sortedTables()) {
        if (!matches(tablePattern, table.name())) {
          continue;
        }
        for (int i = 0; i < table.visibleColumns().size(); i++) {
          ColumnDef column = table.columns().get(i);
          if (!matches(columnPattern, column.name())) {
            continue;
          }
          SqlColumnType type = column.type();
          Integer size = columnSize(type);
          Integer digits = decimalDigits(type);
          Integer radix = isNumeric(type) ? 10 : null;
          Integer octets = isText(type) ? size : null;
          String generated = column.generation().generates() ? "YES" : "NO";
          rows.add(new Object[] {null, ShaleMeta.SCHEMA, table.name(), column.name(), jdbcType(type), type.declaredName(),
              size, null, digits, radix, JdbcTypes.nullability(column.nullable()), null, column.defaultSql(), null,
              null, octets, i + 1, column.nullable() ? "YES" : "NO", null, null, null, null, generated, "NO"});
        }
      }
      List<ViewDef> views = new ArrayList<>(catalog.views());
      views.sort(Comparator.comparing(ViewDef::name));
      for (ViewDef view : views) {
        if (matches(tablePattern, view.name())) {
          addViewColumns(rows, view, columnPattern);
        }
      }
    }
    return new Result(MetadataTable.of().text("TABLE_CAT").text("TABLE_SCHEM").text("TABLE_NAME").text("COLUMN_NAME")
        .integer("DATA_TYPE").text("TYPE_NAME").integer("COLUMN_SIZE").integer("BUFFER_LENGTH")
        .integer("DECIMAL_DIGITS").integer("NUM_PREC_RADIX").integer("NULLABLE").text("REMARKS").text("COLUMN_DEF")
        .integer("SQL_DATA_TYPE").integer("SQL_DATETIME_SUB").integer("CHAR_OCTET_LENGTH").integer("ORDINAL_POSITION")
        .text("IS_NULLABLE").text("SCOPE_CATALOG").text("SCOPE_SCHEMA").text("SCOPE_TABLE").smallint("SOURCE_DATA_TYPE")
        .text("IS_AUTOINCREMENT").text("IS_GENERATEDCOLUMN").columns(), rows);
  }

  /** A view's columns as its query yields them: types, sizes and nullability from the validated query. */
  private void addViewColumns(List<Object[]> rows, ViewDef view, String columnPattern) {
    Optional<RelDataType> rowType;
    try {
      rowType = viewRowType.apply(view.name());
    } catch (RuntimeException e) {
      // A view whose query no longer validates has no columns to show; the other relations still do.
      return;
    }
    List<RelDataTypeField> fields = rowType.map(RelDataType::getFieldList).orElse(List.of());
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).getName();
      if (!matches(columnPattern, name)) {
        continue;
      }
      RelDataType type = fields.get(i).getType();
      SqlTypeName sqlType = JdbcTypes.reportedType(type);
      boolean text = sqlType == SqlTypeName.CHAR || sqlType == SqlTypeName.VARCHAR;
      boolean numeric = SqlTypeName.NUMERIC_TYPES.contains(sqlType);
      Integer size = text && type.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED ? Integer.valueOf(
          Integer.MAX_VALUE) : (text || numeric || SqlTypeName.DATETIME_TYPES.contains(sqlType))
          ? Integer.valueOf(JdbcTypes.precision(type)) : null;
      Integer digits = SqlTypeName.EXACT_TYPES.contains(sqlType) ? Integer.valueOf(JdbcTypes.scale(type)) : null;
      rows.add(new Object[] {null, ShaleMeta.SCHEMA, view.name(), name, JdbcTypes.jdbcType(type),
          JdbcTypes.typeName(type), size, null, digits, numeric ? 10 : null, JdbcTypes.nullability(type.isNullable()),
          null, null, null, null, text ? size : null, i + 1, type.isNullable() ? "YES" : "NO", null, null, null, null,
          "NO", "NO"});
    }
  }

  Result primaryKeys(String catalogName, String schema, String tableName) {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : exactTables(catalogName, schema, tableName)) {
      for (int position = 0; position < table.visiblePrimaryKeyNames().size(); position++) {
        String column = table.visiblePrimaryKeyNames().get(position);
        rows.add(new Object[] {null, ShaleMeta.SCHEMA, table.name(), column, (short) (position + 1),
            primaryKeyName(table)});
      }
    }
    rows.sort(Comparator.comparing((Object[] row) -> (String) row[3]));
    return new Result(MetadataTable.of().text("TABLE_CAT").text("TABLE_SCHEM").text("TABLE_NAME").text("COLUMN_NAME")
        .smallint("KEY_SEQ").text("PK_NAME").columns(), rows);
  }

  /**
   * The indexes of a table: its primary key (rows are stored by it, so it is a unique index) and
   * its secondary indexes, including those that enforce UNIQUE constraints and serve foreign keys.
   * An index that CREATE INDEX is still filling is listed too: writers already maintain it.
   */
  Result indexInfo(String catalogName, String schema, String tableName, boolean uniqueOnly) {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : exactTables(catalogName, schema, tableName)) {
      for (int position = 0; position < table.visiblePrimaryKeyNames().size(); position++) {
        String column = table.visiblePrimaryKeyNames().get(position);
        rows.add(new Object[] {null, ShaleMeta.SCHEMA, table.name(), false, null, primaryKeyName(table),
            DatabaseMetaData.tableIndexOther, (short) (position + 1), column, "A", null, null, null});
      }
      for (IndexDef index : table.indexes()) {
        if (uniqueOnly && !index.unique()) {
          continue;
        }
        for (int position = 0; position < index.columns().size(); position++) {
          rows.add(new Object[] {null, ShaleMeta.SCHEMA, table.name(), !index.unique(), null, index.name(),
              DatabaseMetaData.tableIndexOther, (short) (position + 1), index.columns().get(position),
              index.orders().get(position) == SortOrder.DESC ? "D" : "A", null, null, null});
        }
      }
    }
    // JDBC orders by NON_UNIQUE, TYPE, INDEX_NAME, ORDINAL_POSITION.
    rows.sort(Comparator.comparing((Object[] row) -> (Boolean) row[3]).thenComparing(row -> (String) row[2])
        .thenComparing(row -> (String) row[5]).thenComparing(row -> (Short) row[7]));
    return new Result(MetadataTable.of().text("TABLE_CAT").text("TABLE_SCHEM").text("TABLE_NAME").bool("NON_UNIQUE")
        .text("INDEX_QUALIFIER").text("INDEX_NAME").smallint("TYPE").smallint("ORDINAL_POSITION").text("COLUMN_NAME")
        .text("ASC_OR_DESC").bigint("CARDINALITY").bigint("PAGES").text("FILTER_CONDITION").columns(), rows);
  }

  /** Foreign keys declared by {@code tableName}, i.e. the primary keys it references. */
  Result importedKeys(String catalogName, String schema, String tableName) {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : exactTables(catalogName, schema, tableName)) {
      for (ForeignKeyDef foreignKey : table.foreignKeys()) {
        addForeignKeyRows(rows, table, foreignKey);
      }
    }
    // JDBC orders imported keys by the referenced table, then key sequence.
    rows.sort(Comparator.comparing((Object[] row) -> (String) row[2]).thenComparing(row -> (Short) row[8]));
    return foreignKeyResult(rows);
  }

  /** Foreign keys of other tables that reference {@code tableName}. */
  Result exportedKeys(String catalogName, String schema, String tableName) {
    List<Object[]> rows = new ArrayList<>();
    if (inSchema(catalogName, schema, false) && tableName != null) {
      for (TableDef table : sortedTables()) {
        for (ForeignKeyDef foreignKey : table.foreignKeys()) {
          if (foreignKey.referencedTable().equals(tableName)) {
            addForeignKeyRows(rows, table, foreignKey);
          }
        }
      }
    }
    rows.sort(Comparator.comparing((Object[] row) -> (String) row[6]).thenComparing(row -> (String) row[11])
        .thenComparing(row -> (Short) row[8]));
    return foreignKeyResult(rows);
  }

  /** Foreign keys of {@code foreignTable} that reference {@code parentTable} (JDBC's getCrossReference). */
  Result crossReference(String parentCatalog, String parentSchema, String parentTable, String foreignCatalog,
      String foreignSchema, String foreignTable) {
    List<Object[]> rows = new ArrayList<>();
    if (inSchema(parentCatalog, parentSchema, false)) {
      for (Object[] row : importedKeys(foreignCatalog, foreignSchema, foreignTable).rows()) {
        if (parentTable == null || parentTable.equals(row[2])) {
          rows.add(row);
        }
      }
    }
    // JDBC orders by the foreign table, then key sequence (rows are per foreign key already).
    rows.sort(Comparator.comparing((Object[] row) -> (String) row[6]).thenComparing(row -> (String) row[11])
        .thenComparing(row -> (Short) row[8]));
    return foreignKeyResult(rows);
  }

  private void addForeignKeyRows(List<Object[]> rows, TableDef table, ForeignKeyDef foreignKey) {
    Optional<TableDef> referenced = catalog.table(foreignKey.referencedTable());
    if (referenced.isPresent() && !visible(referenced.get())) {
      // A key into a table the user may not see would name it and its columns.
      return;
    }
    List<String> referencedColumns = foreignKey.referencedColumns();
    if (referencedColumns.isEmpty()) {
      // REFERENCES t without a column list means t's primary key.
      referencedColumns = referenced.map(t -> t.primaryKey().stream().map(i -> t.columns().get(i).name()).toList())
          .orElse(List.of());
    }
    String pkName = referenced.map(t -> referencedKeyName(t, foreignKey)).orElse(null);
    short deleteRule = switch (foreignKey.onDelete()) {
      case CASCADE -> (short) DatabaseMetaData.importedKeyCascade;
      case SET_NULL -> (short) DatabaseMetaData.importedKeySetNull;
      case RESTRICT -> (short) DatabaseMetaData.importedKeyRestrict;
      case NO_ACTION -> (short) DatabaseMetaData.importedKeyNoAction;
    };
    for (int i = 0; i < foreignKey.columns().size() && i < referencedColumns.size(); i++) {
      rows.add(new Object[] {null, ShaleMeta.SCHEMA, foreignKey.referencedTable(), referencedColumns.get(i), null,
          ShaleMeta.SCHEMA, table.name(), foreignKey.columns().get(i), (short) (i + 1),
          (short) DatabaseMetaData.importedKeyNoAction, deleteRule, foreignKey.name(), pkName,
          (short) DatabaseMetaData.importedKeyNotDeferrable});
    }
  }

  /**
   * The primary key or UNIQUE constraint of {@code referenced} whose columns {@code foreignKey}
   * references (information_schema names the same one).
   */
  private static String referencedKeyName(TableDef referenced, ForeignKeyDef foreignKey) {
    if (!foreignKey.referencedColumns().isEmpty()
        && !foreignKey.referencedColumns().equals(referenced.primaryKeyNames())) {
      for (UniqueDef unique : referenced.uniqueConstraints()) {
        if (unique.columns().equals(foreignKey.referencedColumns())) {
          return unique.name();
        }
      }
    }
    return primaryKeyName(referenced);
  }

  private static Result foreignKeyResult(List<Object[]> rows) {
    return new Result(MetadataTable.of().text("PKTABLE_CAT").text("PKTABLE_SCHEM").text("PKTABLE_NAME")
        .text("PKCOLUMN_NAME").text("FKTABLE_CAT").text("FKTABLE_SCHEM").text("FKTABLE_NAME").text("FKCOLUMN_NAME")
        .smallint("KEY_SEQ").smallint("UPDATE_RULE").smallint("DELETE_RULE").text("FK_NAME").text("PK_NAME")
        .smallint("DEFERRABILITY").columns(), rows);
  }

  /** The types a column can be declared with, in the order JDBC asks for (by DATA_TYPE). */
  Result typeInfo() {
    record TypeRow(String name, int jdbcType, int precision, String quote, String params, boolean caseSensitive,
        boolean numeric, boolean autoIncrement, short maxScale) {}
    List<TypeRow> types = List.of(
        new TypeRow("BIGINT", Types.BIGINT, 19, null, null, false, true, true, (short) 0),
        new TypeRow("CHAR", Types.CHAR, Integer.MAX_VALUE, "'", "length", true, false, false, (short) 0),
        new TypeRow("DECIMAL", Types.DECIMAL, 38, null, "precision,scale", false, true, false, (short) 38),
        new TypeRow("INTEGER", Types.INTEGER, 10, null, null, false, true, true, (short) 0),
        new TypeRow("SMALLINT", Types.SMALLINT, 5, null, null, false, true, true, (short) 0),
        new TypeRow("REAL", Types.REAL, 7, null, null, false, true, false, (short) 0),
        new TypeRow("DOUBLE", Types.DOUBLE, 15, null, null, false, true, false, (short) 0),
        new TypeRow("VARCHAR", Types.VARCHAR, Integer.MAX_VALUE, "'", "length", true, false, false, (short) 0),
        new TypeRow("TEXT", Types.VARCHAR, Integer.MAX_VALUE, "'", null, true, false, false, (short) 0),
        new TypeRow("BOOLEAN", Types.BOOLEAN, 1, null, null, false, false, false, (short) 0),
        new TypeRow("DATE", Types.DATE, 10, "'", null, false, false, false, (short) 0),
        new TypeRow("TIME", Types.TIME, 12, "'", null, false, false, false, (short) 0),
        new TypeRow("TIMESTAMP", Types.TIMESTAMP, 23, "'", null, false, false, false, (short) 3));
    List<Object[]> rows = new ArrayList<>();
    types.stream().sorted(Comparator.comparingInt(TypeRow::jdbcType)).forEach(t -> rows.add(new Object[] {
        t.name(), t.jdbcType(), t.precision(), t.quote(), t.quote(), t.params(),
        (short) DatabaseMetaData.typeNullable, t.caseSensitive(), (short) DatabaseMetaData.typeSearchable,
        !t.numeric(), false, t.autoIncrement(), t.name(), (short) 0, t.maxScale(), null, null,
        t.numeric() ? 10 : null}));
    return new Result(MetadataTable.of().text("TYPE_NAME").integer("DATA_TYPE").integer("PRECISION")
        .text("LITERAL_PREFIX").text("LITERAL_SUFFIX").text("CREATE_PARAMS").smallint("NULLABLE")
        .bool("CASE_SENSITIVE").smallint("SEARCHABLE").bool("UNSIGNED_ATTRIBUTE").bool("FIXED_PREC_SCALE")
        .bool("AUTO_INCREMENT").text("LOCAL_TYPE_NAME").smallint("MINIMUM_SCALE").smallint("MAXIMUM_SCALE")
        .integer("SQL_DATA_TYPE").integer("SQL_DATETIME_SUB").integer("NUM_PREC_RADIX").columns(), rows);
  }

  /** User-defined functions: ShaleDB has none; built-in functions are listed by the database properties. */
  Result functions() {
    return new Result(MetadataTable.of().text("FUNCTION_CAT").text("FUNCTION_SCHEM").text("FUNCTION_NAME")
        .text("REMARKS").smallint("FUNCTION_TYPE").text("SPECIFIC_NAME").columns(), List.of());
  }

  // ---------------------------------------------------------------- helpers

  private List<TableDef> sortedTables() {
    List<TableDef> tables = new ArrayList<>(catalog.tables());
    tables.removeIf(table -> !visible(table));
    tables.sort(Comparator.comparing(TableDef::name));
    return tables;
  }

  private List<TableDef> exactTables(String catalogName, String schema, String tableName) {
    if (!inSchema(catalogName, schema, false)) {
      return List.of();
    }
    if (tableName == null) {
      return sortedTables();
    }
    return catalog.table(tableName).filter(this::visible).map(List::of).orElse(List.of());
  }

  /** Whether the one schema matches; {@code ""} as catalog means "without a catalog", which it is. */
  private static boolean inSchema(String catalogName, String schema, boolean schemaIsPattern) {
    if (!noCatalog(catalogName)) {
      return false;
    }
    if (schema == null) {
      return true;
    }
    return schemaIsPattern ? matches(schema, ShaleMeta.SCHEMA) : schema.equals(ShaleMeta.SCHEMA);
  }

  private static boolean noCatalog(String catalogName) {
    return catalogName == null || catalogName.isEmpty();
  }

  private static String primaryKeyName(TableDef table) {
    return table.name() + "_pkey";
  }

  /** JDBC pattern matching: {@code %} any run, {@code _} one character, {@code \} escapes the next one. */
  static boolean matches(String pattern, String name) {
    if (pattern == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append("(?s).*");
      } else if (c == '_') {
        regex.append("(?s).");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(regex.toString(), name);
  }

  private static Integer columnSize(SqlColumnType type) {
    return switch (type.storage()) {
      case CHAR, VARCHAR -> type.precision() == SqlColumnType.UNSPECIFIED ? Integer.MAX_VALUE : type.precision();
      case DECIMAL -> type.precision() == SqlColumnType.UNSPECIFIED ? SqlColumnType.MAX_DECIMAL_PRECISION
          : type.precision();
      case SMALLINT -> 5;
      case INTEGER -> 10;
      case BIGINT -> 19;
      case REAL -> 7;
      case DOUBLE -> 15;
      case BOOLEAN -> 1;
      case DATE -> 10;
      case TIME -> 12;
      case TIMESTAMP -> 23;
    };
  }

  private static Integer decimalDigits(SqlColumnType type) {
    return switch (type.storage()) {
      case DECIMAL -> type.scale() == SqlColumnType.UNSPECIFIED ? 0 : type.scale();
      case SMALLINT, INTEGER, BIGINT -> 0;
      case TIMESTAMP, TIME -> 3;
      default -> null;
    };
  }

  private static boolean isNumeric(SqlColumnType type) {
    return switch (type.storage()) {
      case SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE -> true;
      default -> false;
    };
  }

  private static boolean isText(SqlColumnType type) {
    return type.storage() == ColumnType.CHAR || type.storage() == ColumnType.VARCHAR;
  }

  static int jdbcType(SqlColumnType type) {
    return switch (type.storage()) {
      case BOOLEAN -> Types.BOOLEAN;
      case SMALLINT -> Types.SMALLINT;
      case INTEGER -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case DECIMAL -> Types.DECIMAL;
      case REAL -> Types.REAL;
      case DOUBLE -> Types.DOUBLE;
      case CHAR -> Types.CHAR;
      case VARCHAR -> Types.VARCHAR;
      case DATE -> Types.DATE;
      case TIME -> Types.TIME;
      case TIMESTAMP -> Types.TIMESTAMP;
    };
  }
}
