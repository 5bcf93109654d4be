package io.shaledb.sql.plan;

import io.shaledb.sql.runtime.CodePointText;
import java.util.Map;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Replaces the calls of string functions that count characters (CHAR_LENGTH, SUBSTRING, POSITION,
 * LEFT, LPAD, OVERLAY, TRANSLATE, ...) with calls of {@link CodePointText}, which counts code
 * points as PostgreSQL does, where Calcite's own implementations count UTF-16 units.
 *
 * <p>The rewrite runs on the logical plan, before optimization, so constant folding evaluates the
 * replacements too; calls on binary strings are left alone. Subqueries are rewritten as well.
 * Stateless apart from the builder.
 */
final class CodePointCalls extends RelHomogeneousShuttle {
  /** A Calcite operator called with a number of operands. */
  private record Signature(SqlOperator operator, int operands) {}

  private static final Map<Signature, SqlUserDefinedFunction> REPLACEMENTS = Map.ofEntries(
      replacement(SqlStdOperatorTable.CHAR_LENGTH, 1, "charLength"),
      replacement(SqlStdOperatorTable.CHARACTER_LENGTH, 1, "charLength"),
      replacement(SqlLibraryOperators.LENGTH, 1, "charLength"),
      replacement(SqlStdOperatorTable.SUBSTRING, 2, "substringFrom"),
      replacement(SqlStdOperatorTable.SUBSTRING, 3, "substringFromFor"),
      replacement(SqlLibraryOperators.SUBSTR_POSTGRESQL, 2, "substringFrom"),
      replacement(SqlLibraryOperators.SUBSTR_POSTGRESQL, 3, "substringFromFor"),
      replacement(SqlStdOperatorTable.POSITION, 2, "position"),
      replacement(SqlStdOperatorTable.POSITION, 3, "positionFrom"),
      replacement(SqlLibraryOperators.STRPOS, 2, "strpos"),
      replacement(SqlLibraryOperators.LEFT, 2, "left"),
      replacement(SqlLibraryOperators.RIGHT, 2, "right"),
      replacement(SqlLibraryOperators.LPAD, 2, "lpadSpaces"),
      replacement(SqlLibraryOperators.LPAD, 3, "lpad"),
      replacement(SqlLibraryOperators.RPAD, 2, "rpadSpaces"),
      replacement(SqlLibraryOperators.RPAD, 3, "rpad"),
      replacement(SqlStdOperatorTable.OVERLAY, 3, "overlay"),
      replacement(SqlStdOperatorTable.OVERLAY, 4, "overlayFor"),
      replacement(SqlLibraryOperators.REVERSE, 1, "reverse"),
      replacement(SqlLibraryOperators.TRANSLATE3, 3, "translate"));

  private final RexBuilder rexBuilder;
  private final RexShuttle expressions = new RexShuttle() {
    @Override
    public RexNode visitCall(RexCall call) {
      RexNode visited = super.visitCall(call);
      if (visited instanceof RexCall replaced) {
        SqlUserDefinedFunction function = REPLACEMENTS.get(new Signature(replaced.getOperator(),
            replaced.getOperands().size()));
        if (function != null && onText(replaced)) {
          return rexBuilder.makeCall(replaced.getType(), function, replaced.getOperands());
        }
      }
      return visited;
    }

    @Override
    public RexNode visitSubQuery(RexSubQuery subQuery) {
      RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
      return visited.clone(visited.rel.accept(CodePointCalls.this));
    }
  };

  private CodePointCalls(RexBuilder rexBuilder) {
    this.rexBuilder = rexBuilder;
  }

  static RelNode rewrite(RelNode rel) {
    return rel.accept(new CodePointCalls(rel.getCluster().getRexBuilder()));
  }

  @Override
  public RelNode visit(RelNode other) {
    return super.visit(other).accept(expressions);
  }

  /** Whether the call works on character strings; BINARY and VARBINARY keep Calcite's byte functions. */
  private static boolean onText(RexCall call) {
    // POSITION's text is its second operand, every other function's its first.
    RexNode text = call.getOperator() == SqlStdOperatorTable.POSITION ? call.getOperands().get(1) : call.getOperands().get(0);
    return SqlTypeUtil.inCharFamily(text.getType());
  }

  private static Map.Entry<Signature, SqlUserDefinedFunction> replacement(SqlOperator operator, int operands,
      String method) {
    ScalarFunctionImpl implementation = (ScalarFunctionImpl) ScalarFunctionImpl.create(CodePointText.class, method);
    SqlReturnTypeInference returnType = implementation.method.getReturnType() == int.class
        ? ReturnTypes.INTEGER_NULLABLE : ReturnTypes.ARG0_NULLABLE_VARYING;
    SqlUserDefinedFunction function = new SqlUserDefinedFunction(
        new SqlIdentifier("SHALE_" + operator.getName() + "_" + operands, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, returnType, null, null, implementation);
    return Map.entry(new Signature(operator, operands), function);
  }
}
