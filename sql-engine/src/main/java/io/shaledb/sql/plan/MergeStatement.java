package io.shaledb.sql.plan;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.schema.ShaleTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlMerge;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * MERGE, ShaleDB's upsert, as a query that feeds the table writer.
 *
 * <p>{@code MERGE INTO t [AS a] USING source ON condition [WHEN MATCHED THEN UPDATE SET c = e, ...]
 * [WHEN NOT MATCHED THEN INSERT [(columns)] VALUES (...)]} becomes
 * {@code SELECT [insert row], a.*, [new values] FROM source LEFT JOIN t AS a ON condition} (an
 * inner join without WHEN NOT MATCHED). Each row is laid out as {@code [the row to insert: one
 * value per column, defaults filled in] [the target row, all NULL when nothing matched] [the new
 * value of each SET column]}, the first part present only with WHEN NOT MATCHED and the last only
 * with WHEN MATCHED. The writer tells matched rows by the target's primary key, which a stored row
 * never has NULL. (Calcite's own MERGE conversion loses target columns when the join needs a
 * computed key, so ShaleDB builds the query itself.)
 *
 * <p>The query is built from the statement's own nodes, so {@code ?} parameters keep their
 * positions.
 *
 * @param query the query
 * @param updatedColumns column index of each SET target, in order
 * @param inserts whether the statement has WHEN NOT MATCHED THEN INSERT
 */
record MergeStatement(SqlSelect query, int[] updatedColumns, boolean inserts) {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  static MergeStatement of(SqlMerge merge, TableDef table) {
    String alias = merge.getAlias() != null ? merge.getAlias().getSimple() : table.name();
    List<SqlNode> select = new ArrayList<>();
    SqlInsert insert = merge.getInsertCall();
    if (insert != null) {
      select.addAll(insertRow(insert, table));
    }
    for (ColumnDef column : table.columns()) {
      select.add(new SqlIdentifier(List.of(alias, column.name()), POS));
    }
    SqlUpdate update = merge.getUpdateCall();
    int[] updatedColumns = new int[0];
    if (update != null) {
      SqlNodeList targets = update.getTargetColumnList();
      SqlNodeList values = update.getSourceExpressionList();
      updatedColumns = new int[targets.size()];
      for (int i = 0; i < targets.size(); i++) {
        int column = columnIndex(table, (SqlIdentifier) targets.get(i));
        for (int j = 0; j < i; j++) {
          if (updatedColumns[j] == column) {
            throw new ShaleException(SqlState.DUPLICATE_COLUMN,
                "column \"" + table.columns().get(column).name() + "\" is assigned more than once");
          }
        }
        updatedColumns[i] = column;
        select.add(cast(values.get(i), table.columns().get(column)));
      }
    }
    SqlNode target = SqlValidatorUtil.addAlias(new SqlIdentifier(table.name(), POS), alias);
    SqlNode from = new SqlJoin(POS, merge.getSourceTableRef(), SqlLiteral.createBoolean(false, POS),
        (insert != null ? JoinType.LEFT : JoinType.INNER).symbol(POS), target, JoinConditionType.ON.symbol(POS),
        merge.getCondition());
    SqlSelect query = new SqlSelect(POS, null, new SqlNodeList(select, POS), from, null, null, null, null, null, null,
        null, null, null);
    return new MergeStatement(query, updatedColumns, insert != null);
  }

  /** One expression per table column: the value given, else the column's DEFAULT, else NULL. */
  private static List<SqlNode> insertRow(SqlInsert insert, TableDef table) {
    SqlNode source = insert.getSource();
    if (source.getKind() != SqlKind.VALUES || ((SqlCall) source).operandCount() != 1) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "WHEN NOT MATCHED THEN INSERT takes one VALUES row");
    }
    List<SqlNode> values = ((SqlCall) ((SqlCall) source).operand(0)).getOperandList();
    List<Integer> targets = new ArrayList<>();
    SqlNodeList columnList = insert.getTargetColumnList();
    if (columnList == null) {
      for (int i = 0; i < Math.min(values.size(), table.columns().size()); i++) {
        targets.add(i);
      }
    } else {
      for (SqlNode column : columnList) {
        int index = columnIndex(table, (SqlIdentifier) column);
        if (targets.contains(index)) {
          throw new ShaleException(SqlState.DUPLICATE_COLUMN,
              "column \"" + table.columns().get(index).name() + "\" specified more than once");
        }
        targets.add(index);
      }
    }
    if (values.size() != targets.size() && (columnList != null || values.size() > table.columns().size())) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "INSERT has " + targets.size() + " target columns but "
          + values.size() + " values");
    }
    List<SqlNode> row = new ArrayList<>();
    for (int i = 0; i < table.columns().size(); i++) {
      ColumnDef column = table.columns().get(i);
      int position = targets.indexOf(i);
      if (position >= 0 && values.get(position).getKind() != SqlKind.DEFAULT) {
        row.add(cast(values.get(position), column));
      } else if (column.defaultSql() != null) {
        row.add(cast(parseExpression(column.defaultSql()), column));
      } else {
        // NULL also for generated columns: the writer replaces it with the next sequence value.
        row.add(cast(SqlLiteral.createNull(POS), column));
      }
    }
    return row;
  }

  private static SqlNode cast(SqlNode value, ColumnDef column) {
    SqlCall template = (SqlCall) parseExpression("CAST(NULL AS " + ShaleTypes.castType(column.type()) + ")");
    return SqlStdOperatorTable.CAST.createCall(POS, value, template.operand(1));
  }

  private static SqlNode parseExpression(String sql) {
    try {
      return SqlParser.create(sql, ShaleSqlParser.CONFIG).parseExpression();
    } catch (SqlParseException e) {
      throw new IllegalStateException("cannot parse stored expression " + sql, e);
    }
  }

  private static int columnIndex(TableDef table, SqlIdentifier column) {
    String name = column.names.get(column.names.size() - 1);
    int index = table.columnIndex(name);
    if (index < 0) {
      throw new ShaleException(SqlState.UNDEFINED_COLUMN,
          "column \"" + name + "\" of relation \"" + table.name() + "\" does not exist");
    }
    return index;
  }

}
