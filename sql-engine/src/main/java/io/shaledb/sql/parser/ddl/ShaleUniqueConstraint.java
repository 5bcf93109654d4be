package io.shaledb.sql.parser.ddl;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code [CONSTRAINT name] UNIQUE (columns)}, or {@code UNIQUE} inside a column
 * declaration. Immutable.
 */
public final class ShaleUniqueConstraint extends ShaleConstraint {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("UNIQUE", SqlKind.UNIQUE) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleUniqueConstraint(pos, (SqlIdentifier) operands[0],
              (SqlNodeList) operands[1], ((SqlLiteral) operands[2]).booleanValue());
        }
      };

  private final SqlNodeList columns;

  /**
   * @param name the constraint's name, or null
   * @param columns the columns whose combined values must be unique, simple identifiers;
   *     exactly one if inline
   * @param inline whether it was written inside that column's declaration
   */
  public ShaleUniqueConstraint(SqlParserPos pos, @Nullable SqlIdentifier name,
      SqlNodeList columns, boolean inline) {
    super(pos, name, inline);
    this.columns = requireColumns(columns, inline, "unique columns");
  }

  /** The columns whose combined values must be unique, as declared (simple identifiers). */
  public SqlNodeList columns() {
    return columns;
  }

  /** {@link #columns()} as names, in declared order. */
  public List<String> columnNames() {
    return simpleNames(columns);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name(), columns,
        SqlLiteral.createBoolean(isInline(), SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    unparseName(writer);
    writer.keyword("UNIQUE");
    if (!isInline()) {
      unparseColumnList(writer, columns);
    }
  }
}
