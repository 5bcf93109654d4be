package io.shaledb.sql.schema;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's defaults, but DECIMAL as wide as PostgreSQL's common use (38 digits), millisecond
 * timestamps, and aggregates typed as PostgreSQL types them.
 */
public final class ShaleTypeSystem extends RelDataTypeSystemImpl {
  public static final ShaleTypeSystem INSTANCE = new ShaleTypeSystem();

  private static final int MAX_DECIMAL_PRECISION = 38;
  private static final int MILLISECONDS = 3;
  /** Decimals of AVG, STDDEV and VAR of exact numbers, as PostgreSQL shows them for small values. */
  private static final int MOMENT_SCALE = 16;

  private ShaleTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL_PRECISION : super.getMaxPrecision(typeName);
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL_PRECISION : super.getMaxScale(typeName);
  }

  /** {@code CASE ... THEN 'mid' ELSE 'high' END} is a VARCHAR, not a blank-padded CHAR(4), as in PostgreSQL. */
  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  /**
   * SUM of SMALLINT or INT is a BIGINT, and SUM of BIGINT or DECIMAL a DECIMAL(38, scale), as
   * PostgreSQL's BIGINT and NUMERIC, so summing many values does not overflow (Calcite's default
   * keeps the argument type, and its aggregate adds without a check). The BIGINT arguments are cast
   * to DECIMAL before they are added (io.shaledb.sql.plan.ExactArithmetic).
   */
  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    RelDataType sum = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER -> typeFactory.createSqlType(SqlTypeName.BIGINT);
      case BIGINT -> typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL_PRECISION, 0);
      case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL_PRECISION, argumentType.getScale());
      default -> null;
    };
    if (sum == null) {
      return super.deriveSumType(typeFactory, argumentType);
    }
    return typeFactory.createTypeWithNullability(sum, argumentType.isNullable());
  }

  /**
   * AVG, STDDEV and VAR (all of them derive their type here) of an exact number are a
   * DECIMAL(38, 16), or the argument's scale if larger, as PostgreSQL's NUMERIC (whose averages show
   * 16 decimals). Calcite's default keeps the argument type: AVG of INT was an INT (the average of
   * 1, 2 and 2 was 1), and the sum was cast back to INT first, so it failed with 22003 when the sum
   * left INT's range. The values are computed exactly (io.shaledb.sql.runtime.ExactMoments). REAL and
   * DOUBLE keep their type.
   */
  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    RelDataType avg = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT ->
          typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL_PRECISION, MOMENT_SCALE);
      case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL_PRECISION,
          Math.max(MOMENT_SCALE, argumentType.getScale()));
      default -> null;
    };
    if (avg == null) {
      return super.deriveAvgAggType(typeFactory, argumentType);
    }
    return typeFactory.createTypeWithNullability(avg, argumentType.isNullable());
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case TIMESTAMP, TIME -> MILLISECONDS;
      default -> super.getDefaultPrecision(typeName);
    };
  }
}
