package io.shaledb.sql.schema;

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

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case TIMESTAMP, TIME -> MILLISECONDS;
      default -> super.getDefaultPrecision(typeName);
    };
  }
}
