package io.shaledb.sql.meta;

import java.sql.DatabaseMetaData;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * How SQL types look to JDBC: type codes, names, and the Avatica representation of values, which
 * is Calcite's internal one (dates as day numbers, timestamps as milliseconds), so rows cross from
 * the engine to the client without conversion.
 */
final class JdbcTypes {
  private JdbcTypes() {}

  /**
   * The type as reported. The NULL type (e.g. {@code SELECT NULL}) is reported as INTEGER: clients
   * have no accessor for NULL, and Avatica's integer accessor answers every getter a null value
   * can be read with ({@code getLong} gives 0 and {@code wasNull}, {@code getString} null), where
   * its string accessor throws on {@code getLong}.
   */
  static SqlTypeName reportedType(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    return name == SqlTypeName.NULL ? SqlTypeName.INTEGER : name;
  }

  static int jdbcType(RelDataType type) {
    SqlTypeName name = reportedType(type);
    return switch (name) {
      case CHAR -> Types.VARCHAR; // literals are CHAR(n) to Calcite; users see strings
      default -> name.getJdbcOrdinal();
    };
  }

  static String typeName(RelDataType type) {
    SqlTypeName name = reportedType(type);
    return name == SqlTypeName.CHAR ? "VARCHAR" : name.getName();
  }

  static ColumnMetaData.Rep rep(RelDataType type) {
    return switch (reportedType(type)) {
      case BOOLEAN -> ColumnMetaData.Rep.BOOLEAN;
      case TINYINT -> ColumnMetaData.Rep.BYTE;
      case SMALLINT -> ColumnMetaData.Rep.SHORT;
      case INTEGER, DATE, TIME -> ColumnMetaData.Rep.INTEGER;
      case BIGINT, TIMESTAMP -> ColumnMetaData.Rep.LONG;
      case DECIMAL -> ColumnMetaData.Rep.NUMBER;
      case REAL, FLOAT -> ColumnMetaData.Rep.FLOAT;
      case DOUBLE -> ColumnMetaData.Rep.DOUBLE;
      case CHAR, VARCHAR -> ColumnMetaData.Rep.STRING;
      default -> ColumnMetaData.Rep.OBJECT;
    };
  }

  static String className(RelDataType type) {
    SqlType sqlType = SqlType.valueOf(jdbcType(type));
    return sqlType.clazz.getName();
  }

  static boolean isSigned(RelDataType type) {
    return switch (reportedType(type)) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }

  static int precision(RelDataType type) {
    int precision = type.getPrecision();
    return precision == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : precision;
  }

  static int scale(RelDataType type) {
    int scale = type.getScale();
    return scale == RelDataType.SCALE_NOT_SPECIFIED ? 0 : scale;
  }

  static int displaySize(RelDataType type) {
    return switch (reportedType(type)) {
      case BOOLEAN -> 5;
      case TINYINT -> 4;
      case SMALLINT -> 6;
      case INTEGER -> 11;
      case BIGINT -> 20;
      case DECIMAL -> precision(type) + 2;
      case REAL, FLOAT, DOUBLE -> 24;
      case DATE -> 10;
      case TIME -> 12;
      case TIMESTAMP -> 23;
      default -> precision(type) > 0 ? precision(type) : Integer.MAX_VALUE / 2;
    };
  }

  static ColumnMetaData column(int ordinal, String label, RelDataType type, String table, String column) {
    ColumnMetaData.AvaticaType avaticaType = ColumnMetaData.scalar(jdbcType(type), typeName(type), rep(type));
    int nullable = type.isNullable() ? ResultSetMetaData.columnNullable : ResultSetMetaData.columnNoNulls;
    return new ColumnMetaData(ordinal, false, true, true, false, nullable, isSigned(type), displaySize(type), label,
        column == null ? label : column, table == null ? null : "public", precision(type), scale(type), table, null,
        avaticaType, true, false, false, className(type));
  }

  static AvaticaParameter parameter(int index, RelDataType type) {
    return new AvaticaParameter(isSigned(type), precision(type), scale(type), jdbcType(type), typeName(type),
        className(type), "?" + (index + 1));
  }

  static int nullability(boolean nullable) {
    return nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls;
  }
}
