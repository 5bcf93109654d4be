package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code [CONSTRAINT name] CHECK (condition)}, as a table element or inside a column
 * declaration. An inline check may still mention other columns of the row, as in SQL; the
 * condition is unvalidated parse output. Immutable.
 */
public final class ShaleCheckConstraint extends ShaleConstraint {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CHECK", SqlKind.CHECK) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleCheckConstraint(pos, (SqlIdentifier) operands[0], operands[1],
              ((SqlLiteral) operands[2]).booleanValue());
        }
      };

  private final SqlNode condition;

  /**
   * @param name the constraint's name, or null
   * @param condition the condition every row must not make FALSE
   * @param inline whether it was written inside a column declaration
   */
  public ShaleCheckConstraint(SqlParserPos pos, @Nullable SqlIdentifier name,
      SqlNode condition, boolean inline) {
    super(pos, name, inline);
    this.condition = Objects.requireNonNull(condition, "condition");
  }

  /** The condition; a row violates the constraint when it evaluates to FALSE (not UNKNOWN). */
  public SqlNode condition() {
    return condition;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name(), condition,
        SqlLiteral.createBoolean(isInline(), SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    unparseName(writer);
    writer.keyword("CHECK");
    SqlWriter.Frame frame = writer.startList("(", ")");
    condition.unparse(writer, 0, 0);
    writer.endList(frame);
  }
}
