package io.shaledb.sql.parser.ddl;

import java.util.List;
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

/** {@code ANALYZE [table]}: gathers the statistics of one table, or of every table. Immutable. */
public final class ShaleAnalyze extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("ANALYZE", SqlKind.OTHER_DDL) {
    @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier, SqlParserPos pos,
        @Nullable SqlNode... operands) {
      return new ShaleAnalyze(pos, (SqlIdentifier) operands[0]);
    }
  };

  private final SqlIdentifier table;

  /** @param table the table to analyze, or null for every table */
  public ShaleAnalyze(SqlParserPos pos, @Nullable SqlIdentifier table) {
    super(pos);
    this.table = table;
  }

  /** The table named, or null for every table. */
  public @Nullable SqlIdentifier table() {
    return table;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(table);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ANALYZE");
    if (table != null) {
      table.unparse(writer, leftPrec, rightPrec);
    }
  }
}
