package io.shaledb.sql.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlCase;
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

  @Override
  protected void inferUnknownTypes(RelDataType inferredType, SqlValidatorScope scope, SqlNode node) {
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

  private static boolean hasDirectParameter(SqlCall call) {
    for (SqlNode operand : call.getOperandList()) {
      if (operand instanceof SqlDynamicParam) {
        return true;
      }
    }
    return false;
  }
}
