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
 * {@code ALTER TABLE [IF EXISTS] name} followed by one action:
 * {@code ADD [COLUMN] [IF NOT EXISTS] column-declaration},
 * {@code DROP [COLUMN] [IF EXISTS] column}, {@code RENAME [COLUMN] column TO new-name} or
 * {@code RENAME TO new-name}. Immutable.
 */
public final class ShaleAlterTable extends SqlDdl {

  /** What the statement changes. */
  public enum Action { ADD_COLUMN, DROP_COLUMN, RENAME_COLUMN, RENAME_TABLE }

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleAlterTable(pos, (SqlIdentifier) operands[0],
              ((SqlLiteral) operands[6]).booleanValue(),
              ((SqlLiteral) operands[1]).getValueAs(Action.class),
              ((SqlLiteral) operands[2]).booleanValue(),
              (ShaleColumnDeclaration) operands[3], (SqlIdentifier) operands[4],
              (SqlIdentifier) operands[5]);
        }
      };

  private final SqlIdentifier name;
  private final boolean tableIfExists;
  private final Action action;
  private final boolean ifExistsOrNot;
  private final @Nullable ShaleColumnDeclaration column;
  private final @Nullable SqlIdentifier columnName;
  private final @Nullable SqlIdentifier newName;

  /**
   * @param ifExistsOrNot IF NOT EXISTS of ADD COLUMN, or IF EXISTS of DROP COLUMN
   * @param column the declaration ADD COLUMN adds; null for other actions
   * @param columnName the column DROP COLUMN and RENAME COLUMN change; null otherwise
   * @param newName the new name of RENAME COLUMN and RENAME TO; null otherwise
   */
  public ShaleAlterTable(SqlParserPos pos, SqlIdentifier name, Action action, boolean ifExistsOrNot,
      @Nullable ShaleColumnDeclaration column, @Nullable SqlIdentifier columnName,
      @Nullable SqlIdentifier newName) {
    this(pos, name, false, action, ifExistsOrNot, column, columnName, newName);
  }

  /** @param tableIfExists ALTER TABLE IF EXISTS: a missing table is not an error */
  public ShaleAlterTable(SqlParserPos pos, SqlIdentifier name, boolean tableIfExists, Action action,
      boolean ifExistsOrNot, @Nullable ShaleColumnDeclaration column, @Nullable SqlIdentifier columnName,
      @Nullable SqlIdentifier newName) {
    super(OPERATOR, pos);
    this.name = Objects.requireNonNull(name, "name");
    this.tableIfExists = tableIfExists;
    this.action = Objects.requireNonNull(action, "action");
    this.ifExistsOrNot = ifExistsOrNot;
    this.column = column;
    this.columnName = columnName;
    this.newName = newName;
    boolean valid = switch (action) {
      case ADD_COLUMN -> column != null && columnName == null && newName == null;
      case DROP_COLUMN -> column == null && columnName != null && newName == null && columnName.isSimple();
      case RENAME_COLUMN -> column == null && columnName != null && newName != null && !ifExistsOrNot;
      case RENAME_TABLE -> column == null && columnName == null && newName != null && !ifExistsOrNot;
    };
    if (!valid) {
      throw new IllegalArgumentException("inconsistent operands for " + action);
    }
  }

  /** The table's name as written; more than one part if qualified with a schema. */
  public SqlIdentifier name() {
    return name;
  }

  /** ALTER TABLE IF EXISTS: a missing table is not an error. */
  public boolean tableIfExists() {
    return tableIfExists;
  }

  public Action action() {
    return action;
  }

  /** IF NOT EXISTS (ADD COLUMN) or IF EXISTS (DROP COLUMN) was written. */
  public boolean ifExistsOrNot() {
    return ifExistsOrNot;
  }

  /** The column ADD COLUMN declares, else null. */
  public @Nullable ShaleColumnDeclaration column() {
    return column;
  }

  /** The column DROP COLUMN or RENAME COLUMN names, else null. */
  public @Nullable SqlIdentifier columnName() {
    return columnName;
  }

  /** The new name given by RENAME COLUMN or RENAME TO, else null. */
  public @Nullable SqlIdentifier newName() {
    return newName;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<@Nullable SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, SqlLiteral.createSymbol(action, SqlParserPos.ZERO),
        SqlLiteral.createBoolean(ifExistsOrNot, SqlParserPos.ZERO), column, columnName, newName,
        SqlLiteral.createBoolean(tableIfExists, SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    if (tableIfExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    switch (action) {
      case ADD_COLUMN -> {
        writer.keyword("ADD COLUMN");
        if (ifExistsOrNot) {
          writer.keyword("IF NOT EXISTS");
        }
        Objects.requireNonNull(column).unparse(writer, 0, 0);
      }
      case DROP_COLUMN -> {
        writer.keyword("DROP COLUMN");
        if (ifExistsOrNot) {
          writer.keyword("IF EXISTS");
        }
        Objects.requireNonNull(columnName).unparse(writer, 0, 0);
      }
      case RENAME_COLUMN -> {
        writer.keyword("RENAME COLUMN");
        Objects.requireNonNull(columnName).unparse(writer, 0, 0);
        writer.keyword("TO");
        Objects.requireNonNull(newName).unparse(writer, 0, 0);
      }
      case RENAME_TABLE -> {
        writer.keyword("RENAME TO");
        Objects.requireNonNull(newName).unparse(writer, 0, 0);
      }
    }
  }
}
