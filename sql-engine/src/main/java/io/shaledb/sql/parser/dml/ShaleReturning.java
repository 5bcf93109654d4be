package io.shaledb.sql.parser.dml;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code INSERT | UPDATE | DELETE ... RETURNING items}: the statement's rows as they were written
 * (DELETE: as they were before), projected to {@code items}.
 *
 * @see io.shaledb.sql.plan.StatementPlan.Returning
 */
public final class ShaleReturning extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("RETURNING", SqlKind.OTHER);

  private final SqlNode statement;
  private final @Nullable SqlNodeList items;

  /** @param items the select list, or null for RETURNING GENERATED KEY */
  public ShaleReturning(SqlParserPos pos, SqlNode statement, @Nullable SqlNodeList items) {
    super(pos);
    this.statement = statement;
    this.items = items;
  }

  /** The INSERT, UPDATE or DELETE. */
  public SqlNode statement() {
    return statement;
  }

  /** The select list, or null for the generated keys. */
  public @Nullable SqlNodeList items() {
    return items;
  }

  public boolean generatedKeys() {
    return items == null;
  }

  /** Whether {@code dml} is a DELETE that took an unquoted RETURNING for its alias (see the grammar). */
  public static boolean hasReturningAlias(SqlNode dml) {
    return dml instanceof SqlDelete delete && delete.getAlias() != null
        && delete.getAlias().getSimple().equalsIgnoreCase("returning");
  }

  /** {@code delete} without its alias. */
  public static SqlNode withoutAlias(SqlNode delete) {
    SqlDelete withAlias = (SqlDelete) delete;
    return new SqlDelete(withAlias.getParserPosition(), withAlias.getTargetTable(), withAlias.getCondition(), null, null);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(statement, items);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    statement.unparse(writer, 0, 0);
    writer.keyword("RETURNING");
    if (items == null) {
      writer.keyword("GENERATED KEY");
    } else {
      items.unparse(writer, 0, 0);
    }
  }
}
