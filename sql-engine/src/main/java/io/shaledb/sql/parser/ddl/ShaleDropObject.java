package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code DROP <kind> [IF EXISTS] name}: what DROP TABLE, DROP VIEW and DROP INDEX share. The
 * operator's name is the statement's leading keywords (e.g. {@code DROP TABLE}). Immutable.
 */
public abstract sealed class ShaleDropObject extends SqlDrop permits ShaleDropTable, ShaleDropView, ShaleDropIndex {
  private final SqlIdentifier name;

  ShaleDropObject(SqlOperator operator, SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    super(operator, pos, ifExists);
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The object's name as written; more than one part if qualified with a schema. */
  public SqlIdentifier name() {
    return name;
  }

  /** Whether IF EXISTS was written. */
  public boolean ifExists() {
    return ifExists;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(SqlLiteral.createBoolean(ifExists, SqlParserPos.ZERO), name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
  }
}
