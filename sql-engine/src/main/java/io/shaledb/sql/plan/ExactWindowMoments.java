package io.shaledb.sql.plan;

import io.shaledb.sql.runtime.ExactMoments;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Converts AVG, VAR and STDDEV of an exact number in a window ({@code AVG(x) OVER w}) into the
 * exact computation {@link ExactArithmetic} gives their GROUP BY forms: {@link ExactMoments} over
 * the window's SUM of the value as a DECIMAL, SUM of its square and COUNT.
 *
 * <p>Calcite converts a windowed AVG by expanding it into {@code SUM(x) / COUNT(x)} with its
 * DECIMAL division, which keeps 16 significant digits: the average of 9000000000000000001 and
 * 9000000000000000002 came out 9000000000000000000, and VAR of large BIGINTs overflowed the
 * doubled scale it casts to. The converter applies the window to every aggregate call in what a
 * convertlet returns, so the SUMs and COUNT built here become {@code SUM(..) OVER w} and
 * {@code COUNT(..) OVER w}. Only called for windowed calls: GROUP BY aggregates are converted
 * without convertlets. Stateless.
 */
final class ExactWindowMoments implements SqlRexConvertlet {
  static final ExactWindowMoments INSTANCE = new ExactWindowMoments();

  private static final Set<SqlKind> MOMENTS = Set.of(SqlKind.AVG, SqlKind.STDDEV_POP, SqlKind.STDDEV_SAMP,
      SqlKind.VAR_POP, SqlKind.VAR_SAMP);

  private ExactWindowMoments() {}

  /** Whether {@code call} is one of the moments; whether its argument is exact is checked on conversion. */
  static boolean converts(SqlCall call) {
    return MOMENTS.contains(call.getKind()) && call.operandCount() == 1;
  }

  @Override
  public RexNode convertCall(SqlRexContext cx, SqlCall call) {
    RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(call);
    RexNode argument = cx.convertExpression(call.operand(0));
    if (type == null || type.getSqlTypeName() != SqlTypeName.DECIMAL
        || !SqlTypeUtil.isExactNumeric(argument.getType())) {
      return StandardConvertletTable.INSTANCE.get(call).convertCall(cx, call);
    }
    RexBuilder rexBuilder = cx.getRexBuilder();
    RelDataTypeFactory types = cx.getTypeFactory();
    RelDataType argumentType = argument.getType();
    RelDataType decimal = types.createTypeWithNullability(types.createSqlType(SqlTypeName.DECIMAL,
        types.getTypeSystem().getMaxPrecision(SqlTypeName.DECIMAL), Math.max(argumentType.getScale(), 0)),
        argumentType.isNullable());
    RexNode value = rexBuilder.makeCast(decimal, argument);
    RexNode sum = aggregate(rexBuilder, SqlStdOperatorTable.SUM, value);
    RexNode count = aggregate(rexBuilder, SqlStdOperatorTable.COUNT, argument);
    RexNode scale = rexBuilder.makeExactLiteral(BigDecimal.valueOf(type.getScale()));
    SqlKind kind = call.getKind();
    if (kind == SqlKind.AVG) {
      return rexBuilder.makeCall(type, ExactMoments.AVERAGE, List.of(sum, count, scale));
    }
    RexNode sumSquares = aggregate(rexBuilder, SqlStdOperatorTable.SUM,
        rexBuilder.makeCall(SqlStdOperatorTable.MULTIPLY, value, value));
    return rexBuilder.makeCall(type, ExactMoments.MOMENT, List.of(sum, sumSquares, count,
        rexBuilder.makeLiteral(kind == SqlKind.VAR_SAMP || kind == SqlKind.STDDEV_SAMP),
        rexBuilder.makeLiteral(kind == SqlKind.STDDEV_POP || kind == SqlKind.STDDEV_SAMP), scale));
  }

  private static RexNode aggregate(RexBuilder rexBuilder, SqlAggFunction function, RexNode operand) {
    RelDataType type = function.inferReturnType(rexBuilder.getTypeFactory(), List.of(operand.getType()));
    return rexBuilder.makeCall(type, function, List.of(operand));
  }
}
