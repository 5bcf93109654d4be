package io.shaledb.sql.parser.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * {@code GRANT privileges ON [TABLE] table TO user} or {@code REVOKE privileges ON [TABLE] table
 * FROM user}. {@link #getKind()} is {@link SqlKind#OTHER_DDL}, so neither is taken for a query.
 * Immutable.
 */
public final class ShalePrivilegeStatement extends SqlCall {

  /** Whether the statement gives or takes away. */
  public enum Action {
    GRANT("GRANT", "TO"),
    REVOKE("REVOKE", "FROM");

    private final SqlOperator operator;
    private final String preposition;

    Action(String keyword, String preposition) {
      this.preposition = preposition;
      this.operator = new SqlSpecialOperator(keyword, SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          List<Privilege> privileges = new ArrayList<>();
          for (SqlNode privilege : (SqlNodeList) operands[0]) {
            privileges.add(((SqlLiteral) privilege).getValueAs(Privilege.class));
          }
          return new ShalePrivilegeStatement(pos, Action.this, privileges, (SqlIdentifier) operands[1],
              (SqlIdentifier) operands[2]);
        }
      };
    }
  }

  /** A privilege as written; {@link #ALL} stands for all the others. */
  public enum Privilege { SELECT, INSERT, UPDATE, DELETE, REFERENCES, TRUNCATE, ALL }

  private final Action action;
  private final List<Privilege> privileges;
  private final SqlIdentifier table;
  private final SqlIdentifier grantee;

  /**
   * @param privileges in the order written, none twice; {@link Privilege#ALL} only alone
   */
  public ShalePrivilegeStatement(SqlParserPos pos, Action action, List<Privilege> privileges, SqlIdentifier table,
      SqlIdentifier grantee) {
    super(pos);
    this.action = Objects.requireNonNull(action, "action");
    this.privileges = List.copyOf(privileges);
    this.table = Objects.requireNonNull(table, "table");
    this.grantee = Objects.requireNonNull(grantee, "grantee");
    if (this.privileges.isEmpty() || (this.privileges.contains(Privilege.ALL) && this.privileges.size() > 1)
        || this.privileges.stream().distinct().count() != this.privileges.size()) {
      throw new IllegalArgumentException("privileges must be ALL alone or distinct privileges: " + privileges);
    }
  }

  public Action action() {
    return action;
  }

  /** The privileges as written: {@code [ALL]}, or distinct privileges in the order written. */
  public List<Privilege> privileges() {
    return privileges;
  }

  /** The table's name as written, possibly qualified with the schema. */
  public SqlIdentifier table() {
    return table;
  }

  /** The user the privileges are granted to or revoked from. */
  public String grantee() {
    return grantee.getSimple();
  }

  @Override public SqlOperator getOperator() {
    return action.operator;
  }

  @Override public List<SqlNode> getOperandList() {
    List<SqlNode> literals = new ArrayList<>();
    for (Privilege privilege : privileges) {
      literals.add(SqlLiteral.createSymbol(privilege, SqlParserPos.ZERO));
    }
    return ImmutableNullableList.of(new SqlNodeList(literals, SqlParserPos.ZERO), table, grantee);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(action.operator.getName());
    if (privileges.equals(List.of(Privilege.ALL))) {
      writer.keyword("ALL PRIVILEGES");
    } else {
      SqlWriter.Frame list = writer.startList("", "");
      for (Privilege privilege : privileges) {
        writer.sep(",");
        writer.keyword(privilege.name());
      }
      writer.endList(list);
    }
    writer.keyword("ON TABLE");
    table.unparse(writer, leftPrec, rightPrec);
    writer.keyword(action.preposition);
    grantee.unparse(writer, leftPrec, rightPrec);
  }
}
