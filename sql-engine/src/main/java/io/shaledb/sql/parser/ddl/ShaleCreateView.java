package io.shaledb.sql.parser.ddl;

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
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code CREATE [OR REPLACE] VIEW name [(column, ...)] AS query}. Immutable. */
public final class ShaleCreateView extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE VIEW", SqlKind.CREATE_VIEW) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          return new ShaleCreateView(pos, ((SqlLiteral) operands[0]).booleanValue(),
              (SqlIdentifier) operands[1], (SqlNodeList) operands[2], operands[3]);
        }
      };

  private final SqlIdentifier name;
  private final @Nullable SqlNodeList columnList;
  private final SqlNode query;

  /** @param columnList the column names given after the view's name, or null */
  public ShaleCreateView(SqlParserPos pos, boolean replace, SqlIdentifier name,
      @Nullable SqlNodeList columnList, SqlNode query) {
    super(OPERATOR, pos, replace, false);
    this.name = Objects.requireNonNull(name, "name");
    this.columnList = columnList;
    this.query = Objects.requireNonNull(query, "query");
  }

  public SqlIdentifier name() {
    return name;
  }

  /** Whether OR REPLACE was written. */
  public boolean replace() {
    return getReplace();
  }

  /** The column names given after the view's name, or null if there were none. */
  public @Nullable SqlNodeList columnList() {
    return columnList;
  }

  /** The view's query. */
  public SqlNode query() {
    return query;
  }

  @Override public List<@Nullable SqlNode> getOperandList() {
    return ImmutableNullableList.of(SqlLiteral.createBoolean(getReplace(), SqlParserPos.ZERO),
        name, columnList, query);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getReplace() ? "CREATE OR REPLACE VIEW" : "CREATE VIEW");
    name.unparse(writer, leftPrec, rightPrec);
    if (columnList != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode column : columnList) {
        writer.sep(",");
        column.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword("AS");
    writer.newlineAndIndent();
    query.unparse(writer, 0, 0);
  }
}
