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
 * {@code ALTER USER name PASSWORD 'secret'}: sets a user's password. {@link #getKind()} is {@link
 * SqlKind#OTHER_DDL}. Immutable; like {@link ShaleCreateUser} it unparses with the password.
 */
public final class ShaleAlterUser extends SqlCall {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER USER", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleAlterUser(pos, (SqlIdentifier) operands[0],
              ((SqlLiteral) operands[1]).getValueAs(String.class));
        }
      };

  private final SqlIdentifier name;
  private final String password;

  public ShaleAlterUser(SqlParserPos pos, SqlIdentifier name, String password) {
    super(pos);
    this.name = Objects.requireNonNull(name, "name");
    this.password = Objects.requireNonNull(password, "password");
  }

  /** The user's name: an identifier, folded to lower case unless quoted. */
  public String userName() {
    return name.getSimple();
  }

  /** The new password as written, in clear. */
  public String password() {
    return password;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, SqlLiteral.createCharString(password, SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER USER");
    name.unparse(writer, leftPrec, rightPrec);
    writer.keyword("PASSWORD");
    writer.literal(SecurityLiterals.quote(password));
  }
}
