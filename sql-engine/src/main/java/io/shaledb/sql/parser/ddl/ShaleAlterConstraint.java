package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDdl;
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
 * {@code ALTER TABLE [IF EXISTS] name ADD [CONSTRAINT c] constraint} or
 * {@code ALTER TABLE [IF EXISTS] name DROP CONSTRAINT [IF EXISTS] c [CASCADE | RESTRICT]}.
 * Exactly one of {@link #added()} and {@link #droppedName()} is set. Immutable.
 */
public final class ShaleAlterConstraint extends SqlDdl {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleAlterConstraint(pos, (SqlIdentifier) Objects.requireNonNull(operands[0]),
              ((SqlLiteral) Objects.requireNonNull(operands[1])).booleanValue(), (ShaleConstraint) operands[2],
              (SqlIdentifier) operands[3], ((SqlLiteral) Objects.requireNonNull(operands[4])).booleanValue(),
              ((SqlLiteral) Objects.requireNonNull(operands[5])).booleanValue());
        }
      };

  private final SqlIdentifier table;
  private final boolean tableIfExists;
  private final @Nullable ShaleConstraint added;
  private final @Nullable SqlIdentifier droppedName;
  private final boolean dropIfExists;
  private final boolean cascade;

  private ShaleAlterConstraint(SqlParserPos pos, SqlIdentifier table, boolean tableIfExists,
      @Nullable ShaleConstraint added, @Nullable SqlIdentifier droppedName, boolean dropIfExists, boolean cascade) {
    super(OPERATOR, pos);
    this.table = Objects.requireNonNull(table, "table");
    this.tableIfExists = tableIfExists;
    this.added = added;
    this.droppedName = droppedName;
    this.dropIfExists = dropIfExists;
    this.cascade = cascade;
    if ((added == null) == (droppedName == null)) {
      throw new IllegalArgumentException("ALTER TABLE adds or drops one constraint");
    }
    if (added != null && (dropIfExists || cascade)) {
      throw new IllegalArgumentException("IF EXISTS and CASCADE belong to DROP CONSTRAINT");
    }
  }

  public static ShaleAlterConstraint add(SqlParserPos pos, SqlIdentifier table, boolean tableIfExists,
      ShaleConstraint constraint) {
    return new ShaleAlterConstraint(pos, table, tableIfExists, Objects.requireNonNull(constraint), null, false, false);
  }

  public static ShaleAlterConstraint drop(SqlParserPos pos, SqlIdentifier table, boolean tableIfExists,
      SqlIdentifier constraintName, boolean ifExists, boolean cascade) {
    return new ShaleAlterConstraint(pos, table, tableIfExists, null, Objects.requireNonNull(constraintName), ifExists,
        cascade);
  }

  /** The table's name as written. */
  public SqlIdentifier table() {
    return table;
  }

  /** ALTER TABLE IF EXISTS: a missing table is not an error. */
  public boolean tableIfExists() {
    return tableIfExists;
  }

  /** The constraint ADD adds, else null. */
  public @Nullable ShaleConstraint added() {
    return added;
  }

  /** The name DROP CONSTRAINT drops, else null. */
  public @Nullable SqlIdentifier droppedName() {
    return droppedName;
  }

  /** DROP CONSTRAINT IF EXISTS: a missing constraint is not an error. */
  public boolean dropIfExists() {
    return dropIfExists;
  }

  /** DROP CONSTRAINT ... CASCADE: foreign keys that need the dropped constraint go with it. */
  public boolean cascade() {
    return cascade;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<@Nullable SqlNode> getOperandList() {
    return ImmutableNullableList.of(table, SqlLiteral.createBoolean(tableIfExists, SqlParserPos.ZERO), added,
        droppedName, SqlLiteral.createBoolean(dropIfExists, SqlParserPos.ZERO),
        SqlLiteral.createBoolean(cascade, SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    if (tableIfExists) {
      writer.keyword("IF EXISTS");
    }
    table.unparse(writer, leftPrec, rightPrec);
    if (added != null) {
      writer.keyword("ADD");
      added.unparse(writer, 0, 0);
      return;
    }
    writer.keyword("DROP CONSTRAINT");
    if (dropIfExists) {
      writer.keyword("IF EXISTS");
    }
    Objects.requireNonNull(droppedName).unparse(writer, 0, 0);
    if (cascade) {
      writer.keyword("CASCADE");
    }
  }
}
