package io.shaledb.sql.parser.ddl;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code [CONSTRAINT name] PRIMARY KEY (columns)}, or {@code PRIMARY KEY} inside a column
 * declaration. Its columns are in key order. Immutable.
 */
public final class ShalePrimaryKeyConstraint extends ShaleColumnsConstraint {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("PRIMARY KEY", SqlKind.PRIMARY_KEY) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShalePrimaryKeyConstraint(pos, (SqlIdentifier) operands[0],
              (SqlNodeList) operands[1], ((SqlLiteral) operands[2]).booleanValue());
        }
      };

  /**
   * @param name the constraint's name, or null
   * @param columns the key's columns in key order, simple identifiers; exactly one if inline
   * @param inline whether it was written inside that column's declaration
   */
  public ShalePrimaryKeyConstraint(SqlParserPos pos, @Nullable SqlIdentifier name, SqlNodeList columns, boolean inline) {
    super(pos, name, columns, inline, "primary key columns");
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }
}
