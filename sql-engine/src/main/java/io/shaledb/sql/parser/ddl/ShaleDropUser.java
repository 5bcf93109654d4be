package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDrop;
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

/** {@code DROP USER [IF EXISTS] name}. Immutable. */
public final class ShaleDropUser extends SqlDrop {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP USER", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleDropUser(pos, ((SqlLiteral) operands[0]).booleanValue(), (SqlIdentifier) operands[1]);
        }
      };

  private final SqlIdentifier name;

  public ShaleDropUser(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    super(OPERATOR, pos, ifExists);
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The user's name: an identifier, folded to lower case unless quoted. */
  public String userName() {
    return name.getSimple();
  }

  /** Whether IF EXISTS was written. */
  public boolean ifExists() {
    return ifExists;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(SqlLiteral.createBoolean(ifExists, SqlParserPos.ZERO), name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP USER");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
  }
}
