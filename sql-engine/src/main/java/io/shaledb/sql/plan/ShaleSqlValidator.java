package io.shaledb.sql.plan;

import java.util.List;
import java.util.function.IntPredicate;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.FamilyOperandTypeChecker;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Calcite's validator, with one change: a {@code ?} inside an expression gets its type from that
 * expression's other operands. Calcite infers parameter types top-down only, so in {@code WHERE
 * price * ? > ?} it derives the type of {@code price * ?} (to type the second {@code ?}) before the
 * first {@code ?} has a type, and fails. Here each operand expression that holds a parameter is
 * first typed on its own (bottom-up), where its siblings are known, so the first {@code ?} becomes
 * price's numeric type and the second follows from the product. Clients that convert values by the
 * reported parameter type (Python's phoenixdb) depend on this.
 */
final class ShaleSqlValidator extends SqlValidatorImpl {
  private final Runnable checkpoint;

  /** @param checkpoint run for every expression typed, to stop a cancelled or overlong validation */
  ShaleSqlValidator(SqlOperatorTable operators, SqlValidatorCatalogReader catalogReader,
      RelDataTypeFactory typeFactory, Config config, Runnable checkpoint) {
    super(operators, catalogReader, typeFactory, config);
    this.checkpoint = checkpoint;
  }

  @Override
  public RelDataType deriveType(SqlValidatorScope scope, SqlNode expr) {
    checkpoint.run();
    return super.deriveType(scope, expr);
  }

  /** {@code NEXT VALUE FOR s} is {@code nextval('s')} ({@link SequenceFunctions}). */
  @Override
  protected SqlNode performUnconditionalRewrites(SqlNode node, boolean underFrom) {
    if (node instanceof SqlCall call && call.getKind() == SqlKind.NEXT_VALUE) {
      return SequenceFunctions.asNextval(call);
    }
    if (node instanceof SqlCall call && call.getKind() == SqlKind.CURRENT_VALUE) {
      throw new io.shaledb.common.ShaleException(io.shaledb.common.SqlState.FEATURE_NOT_SUPPORTED,
          "CURRENT VALUE FOR is not supported; sequences keep no per-session last value");
    }
    return super.performUnconditionalRewrites(node, underFrom);
  }

  @Override
  protected void inferUnknownTypes(RelDataType inferredType, SqlValidatorScope scope, SqlNode node) {
    if (node instanceof SqlCall call && inferTextParameters(call, scope)) {
      return;
    }
    if (node instanceof SqlCall call && !(node instanceof SqlCase) && !node.isA(SqlKind.QUERY)) {
      for (SqlNode operand : call.getOperandList()) {
        if (operand instanceof SqlCall inner && !(inner instanceof SqlCase) && !inner.isA(SqlKind.QUERY)
            && inner.getKind() != SqlKind.AS && hasDirectParameter(inner)) {
          try {
            super.inferUnknownTypes(getUnknownType(), scope, inner);
          } catch (CalciteContextException e) {
            // The expression alone does not say (e.g. "? * ?"); the top-down pass below decides.
          }
        }
      }
    }
    super.inferUnknownTypes(inferredType, scope, node);
  }

  /**
   * Result columns without an alias are named as PostgreSQL names them ({@link ColumnNames}); the
   * hidden row id of tables without a primary key stays out of {@code *} ({@link HiddenColumns}).
   */
  @Override
  public SqlNode validate(SqlNode topNode) {
    ColumnNames.nameUnaliasedItems(topNode);
    HiddenColumns.excludeFromStars(topNode, getCatalogReader());
    return super.validate(topNode);
  }

  /**
   * Types each {@code ?} that is a direct operand of a text function as VARCHAR, as PostgreSQL
   * resolves {@code char_length($1)} to its text form: Calcite infers nothing for functions that
   * declare no operand type inference (CHAR_LENGTH, UPPER, LOWER, INITCAP, ||, ...) and refused such a
   * parameter (42804). Only where the function's operand checker asks for text in that place; the
   * other operands are inferred as Calcite would. Returns whether the call was handled.
   */
  private boolean inferTextParameters(SqlCall call, SqlValidatorScope scope) {
    if (call.getOperator().getOperandTypeInference() != null) {
      return false;
    }
    IntPredicate textOperand;
    if (call.getOperator() == SqlStdOperatorTable.CONCAT) {
      textOperand = operand -> true;
    } else if (call.getOperator().getOperandTypeChecker() instanceof FamilyOperandTypeChecker families) {
      textOperand = operand -> textFamily(families, operand);
    } else {
      return false;
    }
    List<SqlNode> operands = call.getOperandList();
    boolean textParameter = false;
    for (int i = 0; i < operands.size() && !textParameter; i++) {
      textParameter = operands.get(i) instanceof SqlDynamicParam && textOperand.test(i);
    }
    if (!textParameter) {
      return false;
    }
    RelDataType text = getTypeFactory().createSqlType(SqlTypeName.VARCHAR);
    for (int i = 0; i < operands.size(); i++) {
      SqlNode operand = operands.get(i);
      if (operand != null) {
        inferUnknownTypes(operand instanceof SqlDynamicParam && textOperand.test(i) ? text : getUnknownType(),
            scope, operand);
      }
    }
    return true;
  }

  private static boolean textFamily(FamilyOperandTypeChecker families, int operand) {
    if (operand >= families.getOperandCountRange().getMax()) {
      return false;
    }
    SqlTypeFamily family = families.getOperandSqlTypeFamily(operand);
    return family == SqlTypeFamily.CHARACTER || family == SqlTypeFamily.STRING;
  }

  private static boolean hasDirectParameter(SqlCall call) {
    for (SqlNode operand : call.getOperandList()) {
      if (operand instanceof SqlDynamicParam) {
        return true;
      }
    }
    return false;
  }
}
