package io.shaledb.sql.parser.ddl;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code DROP TABLE [IF EXISTS] name [CASCADE | RESTRICT]}. Immutable. */
public final class ShaleDropTable extends ShaleDropObject {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP TABLE", SqlKind.DROP_TABLE) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleDropTable(pos, ((SqlLiteral) operands[0]).booleanValue(), (SqlIdentifier) operands[1],
              ((SqlLiteral) operands[2]).booleanValue());
        }
      };

  public ShaleDropTable(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    this(pos, ifExists, name, false);
  }

  /** @param cascade DROP ... CASCADE: dependent objects go too */
  public ShaleDropTable(SqlParserPos pos, boolean ifExists, SqlIdentifier name, boolean cascade) {
    super(OPERATOR, pos, ifExists, name, cascade);
  }
}
