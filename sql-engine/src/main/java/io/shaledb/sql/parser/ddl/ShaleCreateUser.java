package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCreate;
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
 * {@code CREATE USER name PASSWORD 'secret'}. Immutable.
 *
 * <p>The password is in the node because the statement carries it; it unparses with the password
 * so the statement round-trips, so never log an unparsed security statement.
 */
public final class ShaleCreateUser extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE USER", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleCreateUser(pos, (SqlIdentifier) operands[0],
              ((SqlLiteral) operands[1]).getValueAs(String.class));
        }
      };

  private final SqlIdentifier name;
  private final String password;

  public ShaleCreateUser(SqlParserPos pos, SqlIdentifier name, String password) {
    super(OPERATOR, pos, false, false);
    this.name = Objects.requireNonNull(name, "name");
    this.password = Objects.requireNonNull(password, "password");
  }

  /** The user's name: an identifier, folded to lower case unless quoted. */
  public String userName() {
    return name.getSimple();
  }

  /** The password as written, in clear. */
  public String password() {
    return password;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, SqlLiteral.createCharString(password, SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE USER");
    name.unparse(writer, leftPrec, rightPrec);
    writer.keyword("PASSWORD");
    writer.literal(SecurityLiterals.quote(password));
  }
}
