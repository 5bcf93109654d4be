package io.shaledb.sql.plan;

import io.shaledb.sql.runtime.RealNarrowing;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Converts CAST(x AS REAL) of a DOUBLE, or of text (read as a DOUBLE first), into a call of
 * {@link RealNarrowing#castToReal}, which refuses values out of REAL's range with 22003 as
 * PostgreSQL does; Calcite narrows with Java's {@code (float)}, so {@code CAST(1e300 AS REAL)}
 * was Infinity. Exact numbers always fit a REAL's range and convert as in Calcite. A cast of a
 * literal is still folded while planning: the fold evaluates the replacement. Stateless.
 */
final class RealCasts implements SqlRexConvertlet {
  static final RealCasts INSTANCE = new RealCasts();

  private static final SqlUserDefinedFunction TO_REAL = new SqlUserDefinedFunction(
      new SqlIdentifier("SHALE_CAST_TO_REAL", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null,
      null, ScalarFunctionImpl.create(RealNarrowing.class, "castToReal"));

  private RealCasts() {}

  /** Whether {@code call} is a CAST to REAL; the operand's type is checked once converted. */
  static boolean converts(SqlCall call, RelDataType target) {
    return call.getKind() == SqlKind.CAST && target != null && target.getSqlTypeName() == SqlTypeName.REAL;
  }

  @Override
  public RexNode convertCall(SqlRexContext cx, SqlCall call) {
    RelDataType source = cx.getValidator().getValidatedNodeTypeIfKnown(call.operand(0));
    if (source == null || !(SqlTypeUtil.isApproximateNumeric(source) || SqlTypeUtil.inCharFamily(source))
        || source.getSqlTypeName() == SqlTypeName.REAL) {
      return StandardConvertletTable.INSTANCE.get(call).convertCall(cx, call);
    }
    RexNode operand = cx.convertExpression(call.operand(0));
    RelDataTypeFactory types = cx.getTypeFactory();
    boolean nullable = operand.getType().isNullable();
    RexNode asDouble = cx.getRexBuilder().makeCast(
        types.createTypeWithNullability(types.createSqlType(SqlTypeName.DOUBLE), nullable), operand);
    RelDataType real = types.createTypeWithNullability(types.createSqlType(SqlTypeName.REAL), nullable);
    return cx.getRexBuilder().makeCall(real, TO_REAL, List.of(asDouble));
  }
}
