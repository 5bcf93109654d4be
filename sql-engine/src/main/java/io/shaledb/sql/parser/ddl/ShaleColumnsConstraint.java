package io.shaledb.sql.parser.ddl;

import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A constraint that is a keyword over a list of the table's columns: {@code [CONSTRAINT name]
 * KEYWORD (columns)}, or the bare keyword inside a column declaration. The operator's name is the
 * keyword. Immutable.
 */
public abstract sealed class ShaleColumnsConstraint extends ShaleConstraint
    permits ShalePrimaryKeyConstraint, ShaleUniqueConstraint {
  private final SqlNodeList columns;

  ShaleColumnsConstraint(SqlParserPos pos, @Nullable SqlIdentifier name, SqlNodeList columns, boolean inline,
      String what) {
    super(pos, name, inline);
    this.columns = requireColumns(columns, inline, what);
  }

  /** The constrained columns as declared (simple identifiers). */
  public SqlNodeList columns() {
    return columns;
  }

  /** {@link #columns()} as names, in declared order. */
  public List<String> columnNames() {
    return simpleNames(columns);
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name(), columns,
        SqlLiteral.createBoolean(isInline(), SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    unparseName(writer);
    writer.keyword(getOperator().getName());
    if (!isInline()) {
      unparseColumnList(writer, columns);
    }
  }
}
