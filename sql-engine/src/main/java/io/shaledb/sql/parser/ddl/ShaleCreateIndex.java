package io.shaledb.sql.parser.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (column [ASC | DESC], ...)}.
 *
 * <p>Each element of {@link #columnList()} is a simple {@link SqlIdentifier} (ascending) or a
 * {@code DESC} call around one. Nothing is checked against a catalog. Immutable.
 */
public final class ShaleCreateIndex extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE INDEX", SqlKind.CREATE_INDEX) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleCreateIndex(pos, ((SqlLiteral) operands[0]).booleanValue(),
              ((SqlLiteral) operands[1]).booleanValue(), (SqlIdentifier) operands[2],
              (SqlIdentifier) operands[3], (SqlNodeList) operands[4]);
        }
      };

  /** One indexed column and its direction. */
  public record IndexColumn(String name, boolean descending) {}

  private final boolean unique;
  private final SqlIdentifier name;
  private final SqlIdentifier table;
  private final SqlNodeList columnList;

  /**
   * @param name the index's name (one part)
   * @param table the indexed table, possibly qualified
   * @param columnList at least one column: identifiers, or DESC calls around identifiers
   */
  public ShaleCreateIndex(SqlParserPos pos, boolean unique, boolean ifNotExists, SqlIdentifier name,
      SqlIdentifier table, SqlNodeList columnList) {
    super(OPERATOR, pos, false, ifNotExists);
    this.unique = unique;
    this.name = Objects.requireNonNull(name, "name");
    this.table = Objects.requireNonNull(table, "table");
    this.columnList = Objects.requireNonNull(columnList, "columnList");
    if (columnList.isEmpty()) {
      throw new IllegalArgumentException("an index needs at least one column");
    }
    for (SqlNode column : columnList) {
      indexColumn(column);
    }
  }

  public boolean unique() {
    return unique;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** The index's name as written. */
  public SqlIdentifier name() {
    return name;
  }

  /** The indexed table's name as written; more than one part if qualified with a schema. */
  public SqlIdentifier table() {
    return table;
  }

  /** The columns as written (identifiers or DESC calls). */
  public SqlNodeList columnList() {
    return columnList;
  }

  /** The indexed columns in key order. */
  public List<IndexColumn> columns() {
    List<IndexColumn> columns = new ArrayList<>(columnList.size());
    for (SqlNode column : columnList) {
      columns.add(indexColumn(column));
    }
    return columns;
  }

  private static IndexColumn indexColumn(SqlNode node) {
    if (node instanceof SqlIdentifier identifier && identifier.isSimple()) {
      return new IndexColumn(identifier.getSimple(), false);
    }
    if (node instanceof SqlCall call && call.getKind() == SqlKind.DESCENDING
        && call.operand(0) instanceof SqlIdentifier identifier && identifier.isSimple()) {
      return new IndexColumn(identifier.getSimple(), true);
    }
    throw new IllegalArgumentException("not an index column: " + node);
  }

  /** A DESC call around {@code column}, as the parser builds it for {@code column DESC}. */
  public static SqlNode descending(SqlIdentifier column) {
    return SqlStdOperatorTable.DESC.createCall(column.getParserPosition(), column);
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(SqlLiteral.createBoolean(unique, SqlParserPos.ZERO),
        SqlLiteral.createBoolean(ifNotExists, SqlParserPos.ZERO), name, table, columnList);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (unique) {
      writer.keyword("UNIQUE");
    }
    writer.keyword("INDEX");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    writer.keyword("ON");
    table.unparse(writer, leftPrec, rightPrec);
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (IndexColumn column : columns()) {
      writer.sep(",");
      writer.identifier(column.name(), true);
      if (column.descending()) {
        writer.keyword("DESC");
      }
    }
    writer.endList(frame);
  }
}
