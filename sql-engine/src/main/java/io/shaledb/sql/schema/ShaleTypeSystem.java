package io.shaledb.sql.schema;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/** Calcite's defaults, but DECIMAL as wide as PostgreSQL's common use (38 digits) and millisecond timestamps. */
public final class ShaleTypeSystem extends RelDataTypeSystemImpl {
  public static final ShaleTypeSystem INSTANCE = new ShaleTypeSystem();

  private static final int MAX_DECIMAL_PRECISION = 38;
  private static final int MILLISECONDS = 3;

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
   * SUM of SMALLINT or INT is a BIGINT, as in PostgreSQL, so summing many INTs does not overflow
   * (Calcite's default keeps the argument type, and its aggregate adds without a check).
   */
  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    RelDataType sum = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER -> typeFactory.createSqlType(SqlTypeName.BIGINT);
      default -> null;
    };
    if (sum == null) {
      return super.deriveSumType(typeFactory, argumentType);
    }
    return typeFactory.createTypeWithNullability(sum, argumentType.isNullable());
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case TIMESTAMP, TIME -> MILLISECONDS;
      default -> super.getDefaultPrecision(typeName);
    };
  }
}
