package io.shaledb.sql.schema;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.SqlColumnType;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/** Maps between declared column types, storage types and Calcite's types. */
public final class ShaleTypes {
  private ShaleTypes() {}

  /**
   * The column type for a declared type name (as the parser reports it, any case) with optional
   * precision and scale.
   *
   * @throws ShaleException 42704-like (reported as 42601) for a type ShaleDB does not store
   */
  public static SqlColumnType declared(String typeName, int precision, int scale) {
    String name = typeName.toUpperCase(Locale.ROOT);
    name = ALIASES.getOrDefault(name, name);
    ColumnType storage = switch (name) {
      case "BOOLEAN", "BOOL" -> ColumnType.BOOLEAN;
      case "SMALLINT", "TINYINT" -> ColumnType.SMALLINT;
      case "INT", "INTEGER" -> ColumnType.INTEGER;
      case "BIGINT" -> ColumnType.BIGINT;
      case "DECIMAL", "NUMERIC", "DEC" -> ColumnType.DECIMAL;
      case "REAL" -> ColumnType.REAL;
      case "DOUBLE", "FLOAT", "DOUBLE PRECISION" -> ColumnType.DOUBLE;
      case "CHAR", "CHARACTER" -> ColumnType.CHAR;
      case "VARCHAR", "CHARACTER VARYING", "TEXT" -> ColumnType.VARCHAR;
      case "DATE" -> ColumnType.DATE;
      case "TIME" -> ColumnType.TIME;
      case "TIMESTAMP" -> ColumnType.TIMESTAMP;
      case "BLOB", "BYTEA", "LONGBLOB" -> throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
          "type " + typeName + " is not supported: ShaleDB has no binary type yet; store bytes as TEXT (e.g. base64)");
      default -> throw new ShaleException(SqlState.SYNTAX_ERROR, "type " + typeName + " is not supported; use one of "
          + "BOOLEAN, SMALLINT, INT, BIGINT, DECIMAL(p,s), REAL, DOUBLE, CHAR(n), VARCHAR(n), TEXT, DATE, TIME, TIMESTAMP "
          + "(or INT2, INT4, INT8, FLOAT4, FLOAT8, DATETIME, CLOB, SERIAL, BIGSERIAL)");
    };
    boolean lengthed = storage == ColumnType.CHAR || storage == ColumnType.VARCHAR || storage == ColumnType.DECIMAL;
    if (!lengthed) {
      return new SqlColumnType(storage, name, SqlColumnType.UNSPECIFIED, SqlColumnType.UNSPECIFIED);
    }
    if (name.equals("TEXT") && precision >= 0) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "TEXT takes no length; use VARCHAR(n) for a bounded string");
    }
    if (storage == ColumnType.CHAR && precision < 0) {
      precision = 1;
    }
    if (storage == ColumnType.DECIMAL) {
      if (precision > SqlColumnType.MAX_DECIMAL_PRECISION) {
        throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
            "DECIMAL precision " + precision + " exceeds the maximum of " + SqlColumnType.MAX_DECIMAL_PRECISION);
      }
      if (precision >= 0 && scale > precision) {
        throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "DECIMAL scale " + scale + " exceeds its precision " + precision);
      }
      if (precision < 0) {
        precision = SqlColumnType.MAX_DECIMAL_PRECISION;
      }
      if (scale < 0) {
        scale = 0;
      }
    } else {
      scale = SqlColumnType.UNSPECIFIED;
      if (precision == 0) {
        throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "length of " + name + " must be at least 1");
      }
    }
    return new SqlColumnType(storage, name, precision, scale);
  }

  /**
   * Other databases' names for ShaleDB's types, as ORMs and migration tools write them, each with
   * the name ShaleDB shows for it.
   */
  private static final Map<String, String> ALIASES = Map.of(
      "INT2", "SMALLINT",
      "INT4", "INTEGER",
      "INT8", "BIGINT",
      "FLOAT4", "REAL",
      "FLOAT8", "DOUBLE",
      "DATETIME", "TIMESTAMP",
      "CLOB", "TEXT",
      "LONGTEXT", "TEXT");

  /**
   * The integer type of PostgreSQL's serial types (SERIAL, BIGSERIAL, ...), which declare an
   * identity column of that type, or null if {@code typeName} is not one.
   */
  public static ColumnType serialType(String typeName) {
    return switch (typeName.toUpperCase(Locale.ROOT)) {
      case "SMALLSERIAL", "SERIAL2" -> ColumnType.SMALLINT;
      case "SERIAL", "SERIAL4" -> ColumnType.INTEGER;
      case "BIGSERIAL", "SERIAL8" -> ColumnType.BIGINT;
      default -> null;
    };
  }

  /** The Calcite type of a column as SQL statements see it. */
  public static RelDataType relType(RelDataTypeFactory factory, ColumnDef column) {
    // Generated columns are nullable for Calcite so an INSERT may omit them; the writer fills them
    // in and enforces NOT NULL afterwards.
    boolean nullable = column.nullable() || column.generation().generates();
    return factory.createTypeWithNullability(relType(factory, column.type()), nullable);
  }

  static RelDataType relType(RelDataTypeFactory factory, SqlColumnType type) {
    return switch (type.storage()) {
      case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
      case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
      case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
      case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
      case DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), Math.max(type.scale(), 0));
      case REAL -> factory.createSqlType(SqlTypeName.REAL);
      case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
      // Strings are unbounded for Calcite: it would otherwise truncate silently on assignment,
      // where SQL requires an error; the writer checks declared lengths (SQLSTATE 22001).
      case CHAR, VARCHAR -> factory.createSqlType(SqlTypeName.VARCHAR);
      case DATE -> factory.createSqlType(SqlTypeName.DATE);
      case TIME -> factory.createSqlType(SqlTypeName.TIME, 3);
      case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, 3);
    };
  }

  /** The storage type whose values a Calcite value of {@code type} has, or null if none does. */
  public static ColumnType storageType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> ColumnType.BOOLEAN;
      case SMALLINT -> ColumnType.SMALLINT;
      case INTEGER -> ColumnType.INTEGER;
      case BIGINT -> ColumnType.BIGINT;
      case DECIMAL -> ColumnType.DECIMAL;
      case REAL -> ColumnType.REAL;
      case DOUBLE, FLOAT -> ColumnType.DOUBLE;
      case CHAR, VARCHAR -> ColumnType.VARCHAR;
      case DATE -> ColumnType.DATE;
      case TIME -> ColumnType.TIME;
      case TIMESTAMP -> ColumnType.TIMESTAMP;
      default -> null;
    };
  }

  /**
   * The SQL type a value for a column of {@code type} is cast to before it is written: the
   * column's own, but strings unbounded, so that a value too long fails the writer's check (22001)
   * instead of being cut (the same rule as {@link #relType}).
   */
  public static String castType(SqlColumnType type) {
    return switch (type.storage()) {
      case BOOLEAN -> "BOOLEAN";
      case SMALLINT -> "SMALLINT";
      case INTEGER -> "INTEGER";
      case BIGINT -> "BIGINT";
      case DECIMAL -> "DECIMAL(" + type.precision() + ", " + Math.max(type.scale(), 0) + ")";
      case REAL -> "REAL";
      case DOUBLE -> "DOUBLE";
      case CHAR, VARCHAR -> "VARCHAR";
      case DATE -> "DATE";
      case TIME -> "TIME(3)";
      case TIMESTAMP -> "TIMESTAMP(3)";
    };
  }
}
