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
 * {@code DROP <kind> [IF EXISTS] name [CASCADE | RESTRICT]}: what DROP TABLE, DROP VIEW and DROP
 * INDEX share (DROP INDEX takes no CASCADE). The
 * operator's name is the statement's leading keywords (e.g. {@code DROP TABLE}). Immutable.
 */
public abstract sealed class ShaleDropObject extends SqlDrop permits ShaleDropTable, ShaleDropView, ShaleDropIndex, ShaleDropSequence {
  private final SqlIdentifier name;
  private final boolean cascade;

  ShaleDropObject(SqlOperator operator, SqlParserPos pos, boolean ifExists, SqlIdentifier name, boolean cascade) {
    super(operator, pos, ifExists);
    this.name = Objects.requireNonNull(name, "name");
    this.cascade = cascade;
  }

  /** The object's name as written; more than one part if qualified with a schema. */
  public SqlIdentifier name() {
    return name;
  }

  /** Whether IF EXISTS was written. */
  public boolean ifExists() {
    return ifExists;
  }

  /** Whether CASCADE was written: objects that depend on this one are dropped with it. RESTRICT is the default. */
  public boolean cascade() {
    return cascade;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(SqlLiteral.createBoolean(ifExists, SqlParserPos.ZERO), name,
        SqlLiteral.createBoolean(cascade, SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    if (cascade) {
      writer.keyword("CASCADE");
    }
  }
}
