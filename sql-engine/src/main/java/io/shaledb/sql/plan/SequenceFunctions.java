package io.shaledb.sql.plan;

import io.shaledb.sql.runtime.NextValue;
import io.shaledb.sql.runtime.SequenceValues;
import java.util.List;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;

/**
 * {@code nextval('s')} (PostgreSQL's) and {@code NEXT VALUE FOR s} (the standard's, which the
 * validator turns into the former before validation, so no sequence has to pose as a table in the
 * schema). The call becomes one that generated code runs per row against the statement's {@link
 * SequenceValues}; it is not deterministic, so the optimizer never folds it into a constant.
 */
public final class SequenceFunctions implements SqlRexConvertlet {
  static final SequenceFunctions INSTANCE = new SequenceFunctions();

  /** What the validator sees: {@code nextval(text)} returning BIGINT. */
  private static final SqlFunction NEXTVAL = new SqlFunction("NEXTVAL", SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.BIGINT), null, OperandTypes.CHARACTER, SqlFunctionCategory.SYSTEM) {
    @Override public boolean isDeterministic() {
      return false;
    }
  };

  /** What runs: {@link SequenceValues#nextValue} with the statement's context. */
  private static final SqlUserDefinedFunction DRAW = new SqlUserDefinedFunction(
      new SqlIdentifier("SHALE_NEXTVAL", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.BIGINT), null, null, new DrawFunction()) {
    @Override public boolean isDeterministic() {
      return false;
    }
  };

  private SequenceFunctions() {}

  public static SqlOperatorTable operatorTable() {
    return SqlOperatorTables.of(NEXTVAL);
  }

  /** {@code NEXT VALUE FOR s} as {@code nextval('s')}, with the name already folded as the parser folded it. */
  static SqlNode asNextval(SqlCall nextValueFor) {
    SqlIdentifier name = (SqlIdentifier) nextValueFor.operand(0);
    String quoted = "\"" + name.names.get(name.names.size() - 1).replace("\"", "\"\"") + "\"";
    return NEXTVAL.createCall(nextValueFor.getParserPosition(),
        SqlLiteral.createCharString(quoted, nextValueFor.getParserPosition()));
  }

  /**
   * Whether {@code call} is {@code nextval}: by name, as a column DEFAULT's expression reaches the
   * converter with the operator it was parsed with rather than the validator's.
   */
  static boolean converts(SqlCall call) {
    return call.getOperator() == NEXTVAL
        || (call.getOperator() instanceof SqlFunction function && function.getName().equalsIgnoreCase("NEXTVAL")
            && call.operandCount() == 1);
  }

  @Override
  public RexNode convertCall(SqlRexContext cx, SqlCall call) {
    RexNode name = cx.convertExpression(call.operand(0));
    RelDataType bigint = cx.getTypeFactory().createTypeWithNullability(
        cx.getTypeFactory().createSqlType(SqlTypeName.BIGINT), false);
    return cx.getRexBuilder().makeCall(bigint, DRAW, List.of(name));
  }

  private static final class DrawFunction implements ImplementableFunction {
    @Override
    public CallImplementor getImplementor() {
      return (translator, call, nullAs) -> {
        Expression name = translator.translateList(call.getOperands(), RexImpTable.NullAs.NOT_POSSIBLE).get(0);
        return Expressions.call(NextValue.class, "nextValue", translator.getRoot(),
            Expressions.convert_(name, String.class));
      };
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }
  }
}
