package io.shaledb.sql.parser.ddl;

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
 * {@code [CONSTRAINT name] FOREIGN KEY (columns) REFERENCES table [(columns)] [ON DELETE
 * action]}, or {@code REFERENCES table [(column)] [ON DELETE action]} inside a column
 * declaration. Immutable.
 */
public final class ShaleForeignKeyConstraint extends ShaleConstraint {

  /** What happens to referencing rows when a referenced row is deleted. */
  public enum ReferentialAction {
    /** Reject the delete if referencing rows remain at the end of the statement (the default). */
    NO_ACTION("NO ACTION"),
    /** Reject the delete immediately if referencing rows exist. */
    RESTRICT("RESTRICT"),
    /** Delete the referencing rows too. */
    CASCADE("CASCADE"),
    /** Set the referencing columns to NULL. */
    SET_NULL("SET NULL");

    private final String sql;

    ReferentialAction(String sql) {
      this.sql = sql;
    }

    /** The action as written after ON DELETE. */
    public String sql() {
      return sql;
    }
  }

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("FOREIGN KEY", SqlKind.FOREIGN_KEY) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleForeignKeyConstraint(pos, (SqlIdentifier) operands[0],
              (SqlNodeList) operands[1], (SqlIdentifier) operands[2], (SqlNodeList) operands[3],
              ((SqlLiteral) operands[4]).symbolValue(ReferentialAction.class),
              ((SqlLiteral) operands[5]).booleanValue());
        }
      };

  private final SqlNodeList columns;
  private final SqlIdentifier referencedTable;
  private final SqlNodeList referencedColumns;
  private final ReferentialAction onDelete;

  /**
   * @param name the constraint's name, or null
   * @param columns the referencing columns, simple identifiers; exactly one if inline
   * @param referencedTable the referenced table, possibly qualified
   * @param referencedColumns the referenced columns, matching {@code columns} position by
   *     position, or empty to reference the referenced table's primary key
   * @param onDelete the declared ON DELETE action; {@link ReferentialAction#NO_ACTION} if none
   * @param inline whether it was written inside the referencing column's declaration
   */
  public ShaleForeignKeyConstraint(SqlParserPos pos, @Nullable SqlIdentifier name,
      SqlNodeList columns, SqlIdentifier referencedTable, SqlNodeList referencedColumns,
      ReferentialAction onDelete, boolean inline) {
    super(pos, name, inline);
    this.columns = requireColumns(columns, inline, "foreign key columns");
    this.referencedTable = Objects.requireNonNull(referencedTable, "referencedTable");
    this.referencedColumns = requireSimpleIdentifiers(
        Objects.requireNonNull(referencedColumns, "referencedColumns"), "referenced columns");
    if (!referencedColumns.isEmpty() && referencedColumns.size() != columns.size()) {
      throw new IllegalArgumentException("foreign key has " + columns.size()
          + " columns but references " + referencedColumns.size());
    }
    this.onDelete = Objects.requireNonNull(onDelete, "onDelete");
  }

  /** The referencing columns (simple identifiers), in declared order. */
  public SqlNodeList columns() {
    return columns;
  }

  /** {@link #columns()} as names. */
  public List<String> columnNames() {
    return simpleNames(columns);
  }

  /** The referenced table as written (possibly qualified). */
  public SqlIdentifier referencedTable() {
    return referencedTable;
  }

  /**
   * The referenced columns, position by position with {@link #columns()}; empty when the
   * statement named none, which means the referenced table's primary key.
   */
  public SqlNodeList referencedColumns() {
    return referencedColumns;
  }

  /** {@link #referencedColumns()} as names; empty means the referenced primary key. */
  public List<String> referencedColumnNames() {
    return simpleNames(referencedColumns);
  }

  /** The ON DELETE action; {@link ReferentialAction#NO_ACTION} when none was written. */
  public ReferentialAction onDelete() {
    return onDelete;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name(), columns, referencedTable, referencedColumns,
        SqlLiteral.createSymbol(onDelete, SqlParserPos.ZERO),
        SqlLiteral.createBoolean(isInline(), SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    unparseName(writer);
    if (!isInline()) {
      writer.keyword("FOREIGN KEY");
      unparseColumnList(writer, columns);
    }
    writer.keyword("REFERENCES");
    referencedTable.unparse(writer, 0, 0);
    if (!referencedColumns.isEmpty()) {
      unparseColumnList(writer, referencedColumns);
    }
    // NO ACTION is the default, so leaving it out keeps the unparsed text equivalent.
    if (onDelete != ReferentialAction.NO_ACTION) {
      writer.keyword("ON DELETE");
      writer.keyword(onDelete.sql());
    }
  }
}
