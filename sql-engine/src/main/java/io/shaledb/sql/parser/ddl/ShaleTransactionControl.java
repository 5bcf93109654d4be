package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A transaction statement: START TRANSACTION / BEGIN [WORK | TRANSACTION] ({@link Kind#BEGIN}),
 * COMMIT [WORK] or ROLLBACK [WORK]. The optional noise words are not kept; it unparses as
 * START TRANSACTION, COMMIT or ROLLBACK.
 *
 * <p>{@link #getKind()} is {@link SqlKind#COMMIT}, {@link SqlKind#ROLLBACK}, or {@link
 * SqlKind#OTHER_DDL} for BEGIN, so all three are in {@link SqlKind#DDL} and never taken for a
 * query. Immutable.
 */
public final class ShaleTransactionControl extends SqlCall {

  /** What the statement does to the session's transaction. */
  public enum Kind {
    BEGIN("START TRANSACTION", SqlKind.OTHER_DDL),
    COMMIT("COMMIT", SqlKind.COMMIT),
    ROLLBACK("ROLLBACK", SqlKind.ROLLBACK);

    private final SqlOperator operator;

    Kind(String sql, SqlKind sqlKind) {
      this.operator = new SqlSpecialOperator(sql, sqlKind) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleTransactionControl(pos, Kind.this);
        }
      };
    }
  }

  private final Kind kind;

  public ShaleTransactionControl(SqlParserPos pos, Kind kind) {
    super(pos);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** What the statement does; not to be confused with Calcite's {@link #getKind()}. */
  public Kind kind() {
    return kind;
  }

  @Override public SqlOperator getOperator() {
    return kind.operator;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of();
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(kind.operator.getName());
  }
}
