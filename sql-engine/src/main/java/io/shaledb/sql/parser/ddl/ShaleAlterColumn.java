package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
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
 * {@code ALTER TABLE [IF EXISTS] name ALTER [COLUMN] column} followed by {@code SET DEFAULT expr},
 * {@code DROP DEFAULT}, {@code SET NOT NULL}, {@code DROP NOT NULL} or {@code [SET DATA] TYPE type}.
 * Immutable.
 */
public final class ShaleAlterColumn extends SqlDdl {

  /** What the statement changes about the column. */
  public enum Action { SET_DEFAULT, DROP_DEFAULT, SET_NOT_NULL, DROP_NOT_NULL, SET_TYPE }

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleAlterColumn(pos, (SqlIdentifier) Objects.requireNonNull(operands[0]),
              ((SqlLiteral) Objects.requireNonNull(operands[1])).booleanValue(),
              (SqlIdentifier) Objects.requireNonNull(operands[2]),
              ((SqlLiteral) Objects.requireNonNull(operands[3])).getValueAs(Action.class), operands[4],
              (SqlDataTypeSpec) operands[5]);
        }
      };

  private final SqlIdentifier table;
  private final boolean tableIfExists;
  private final SqlIdentifier column;
  private final Action action;
  private final @Nullable SqlNode defaultValue;
  private final @Nullable SqlDataTypeSpec type;

  /**
   * @param defaultValue the expression of SET DEFAULT; null for other actions
   * @param type the type of SET DATA TYPE; null for other actions
   */
  public ShaleAlterColumn(SqlParserPos pos, SqlIdentifier table, boolean tableIfExists, SqlIdentifier column,
      Action action, @Nullable SqlNode defaultValue, @Nullable SqlDataTypeSpec type) {
    super(OPERATOR, pos);
    this.table = Objects.requireNonNull(table, "table");
    this.tableIfExists = tableIfExists;
    this.column = Objects.requireNonNull(column, "column");
    this.action = Objects.requireNonNull(action, "action");
    this.defaultValue = defaultValue;
    this.type = type;
    if ((action == Action.SET_DEFAULT) != (defaultValue != null) || (action == Action.SET_TYPE) != (type != null)) {
      throw new IllegalArgumentException("inconsistent operands for " + action);
    }
  }

  public SqlIdentifier table() {
    return table;
  }

  /** ALTER TABLE IF EXISTS: a missing table is not an error. */
  public boolean tableIfExists() {
    return tableIfExists;
  }

  public SqlIdentifier column() {
    return column;
  }

  public Action action() {
    return action;
  }

  /** The expression SET DEFAULT gives, else null. */
  public @Nullable SqlNode defaultValue() {
    return defaultValue;
  }

  /** The type SET DATA TYPE gives, else null. */
  public @Nullable SqlDataTypeSpec type() {
    return type;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<@Nullable SqlNode> getOperandList() {
    return ImmutableNullableList.of(table, SqlLiteral.createBoolean(tableIfExists, SqlParserPos.ZERO), column,
        SqlLiteral.createSymbol(action, SqlParserPos.ZERO), defaultValue, type);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    if (tableIfExists) {
      writer.keyword("IF EXISTS");
    }
    table.unparse(writer, leftPrec, rightPrec);
    writer.keyword("ALTER COLUMN");
    column.unparse(writer, 0, 0);
    switch (action) {
      case SET_DEFAULT -> {
        writer.keyword("SET DEFAULT");
        Objects.requireNonNull(defaultValue).unparse(writer, 0, 0);
      }
      case DROP_DEFAULT -> writer.keyword("DROP DEFAULT");
      case SET_NOT_NULL -> writer.keyword("SET NOT NULL");
      case DROP_NOT_NULL -> writer.keyword("DROP NOT NULL");
      case SET_TYPE -> {
        writer.keyword("SET DATA TYPE");
        Objects.requireNonNull(type).unparse(writer, 0, 0);
      }
    }
  }
}
