package io.shaledb.sql.plan;

import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.session.ResultColumn;
import io.shaledb.sql.session.SchemaSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDateLiteral;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlTimeLiteral;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;

/**
 * Plans the statements an OLTP application sends most, single rows by primary key, without the
 * cost-based optimizer and without generating code (which costs milliseconds per distinct text):
 *
 * <ul>
 *   <li>{@code SELECT columns FROM t WHERE pk1 = v1 AND ...} covering the whole primary key;
 *   <li>{@code UPDATE t SET c = v, ... WHERE <whole primary key>} with constants or parameters;
 *   <li>{@code DELETE FROM t WHERE <whole primary key>};
 *   <li>{@code INSERT INTO t [(columns)] VALUES (...), ...} with constants or parameters.
 * </ul>
 *
 * <p>Only validated statements are considered, and anything outside these shapes, or a constant
 * that does not convert exactly to its column's type, goes to the general planner, which gives the
 * same results (and the same errors) more slowly. Writes still go through {@link io.shaledb.sql.runtime.TableWriter}.
 */
final class FastPaths {
  private FastPaths() {}

  /** A fast plan for {@code validated}, or null if it has none. */
  static StatementPlan plan(SqlNode validated, SchemaSnapshot schema, List<RelDataType> parameterTypes,
      List<ResultColumn> resultColumnsIfQuery) {
    if (validated instanceof SqlSelect select) {
      return pointQuery(select, schema, parameterTypes, resultColumnsIfQuery);
    }
    if (validated instanceof SqlInsert insert) {
      return insert(insert, schema, parameterTypes);
    }
    if (validated instanceof SqlUpdate update) {
      return update(update, schema, parameterTypes);
    }
    if (validated instanceof SqlDelete delete) {
      return delete(delete, schema, parameterTypes);
    }
    return null;
  }

  private static StatementPlan pointQuery(SqlSelect select, SchemaSnapshot schema, List<RelDataType> parameterTypes,
      List<ResultColumn> columns) {
    if (select.getGroup() != null || select.getHaving() != null || select.getOrderList() != null
        || select.getFetch() != null || select.getOffset() != null || select.isDistinct()
        || (select.getWindowList() != null && !select.getWindowList().isEmpty())
        || (select.getQualify() != null)) {
      return null;
    }
    ShaleTable table = table(select.getFrom(), schema);
    if (table == null || select.getWhere() == null) {
      return null;
    }
    TableDef definition = table.definition();
    SqlNodeList items = select.getSelectList();
    int[] projection = new int[items.size()];
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item.getKind() == SqlKind.AS) {
        item = ((SqlCall) item).operand(0);
      }
      int column = column(item, definition);
      if (column < 0) {
        return null;
      }
      projection[i] = column;
    }
    List<KeyOperand> key = primaryKey(select.getWhere(), definition);
    if (key == null || columns == null || columns.size() != projection.length) {
      return null;
    }
    return new StatementPlan.PointQuery(table, key, projection, columns, parameterTypes);
  }

  private static StatementPlan delete(SqlDelete delete, SchemaSnapshot schema, List<RelDataType> parameterTypes) {
    ShaleTable table = table(delete.getTargetTable(), schema);
    if (table == null || delete.getCondition() == null) {
      return null;
    }
    List<KeyOperand> key = primaryKey(delete.getCondition(), table.definition());
    if (key == null) {
      return null;
    }
    return new StatementPlan.KeyedWrite(TableModify.Operation.DELETE, table, key, new int[0], List.of(), parameterTypes);
  }

  private static StatementPlan update(SqlUpdate update, SchemaSnapshot schema, List<RelDataType> parameterTypes) {
    ShaleTable table = table(update.getTargetTable(), schema);
    if (table == null || update.getCondition() == null) {
      return null;
    }
    TableDef definition = table.definition();
    List<KeyOperand> key = primaryKey(update.getCondition(), definition);
    if (key == null) {
      return null;
    }
    SqlNodeList targets = update.getTargetColumnList();
    SqlNodeList sources = update.getSourceExpressionList();
    int[] columns = new int[targets.size()];
    List<KeyOperand> values = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      columns[i] = column(targets.get(i), definition);
      if (columns[i] < 0) {
        return null;
      }
      KeyOperand value = operand(sources.get(i), definition.columns().get(columns[i]));
      if (value == null) {
        return null;
      }
      values.add(value);
    }
    return new StatementPlan.KeyedWrite(TableModify.Operation.UPDATE, table, key, columns, values, parameterTypes);
  }

  private static StatementPlan insert(SqlInsert insert, SchemaSnapshot schema, List<RelDataType> parameterTypes) {
    ShaleTable table = table(insert.getTargetTable(), schema);
    SqlNode source = valuesOf(insert.getSource());
    if (table == null || source == null) {
      return null;
    }
    TableDef definition = table.definition();
    int width = definition.columns().size();
    int[] targets;
    if (insert.getTargetColumnList() == null) {
      targets = new int[width];
      for (int i = 0; i < width; i++) {
        targets[i] = i;
      }
    } else {
      SqlNodeList list = insert.getTargetColumnList();
      targets = new int[list.size()];
      for (int i = 0; i < list.size(); i++) {
        targets[i] = column(list.get(i), definition);
        if (targets[i] < 0) {
          return null;
        }
      }
    }
    // Omitted columns with a DEFAULT expression need the general planner to evaluate it.
    boolean[] given = new boolean[width];
    for (int target : targets) {
      given[target] = true;
    }
    for (int i = 0; i < width; i++) {
      if (!given[i] && definition.columns().get(i).defaultSql() != null) {
        return null;
      }
    }
    List<List<KeyOperand>> rows = new ArrayList<>();
    for (SqlNode row : ((SqlCall) source).getOperandList()) {
      if (row.getKind() != SqlKind.ROW) {
        return null;
      }
      List<SqlNode> values = ((SqlCall) row).getOperandList();
      if (values.size() != targets.length) {
        return null;
      }
      List<KeyOperand> operands = new ArrayList<>(width);
      for (int i = 0; i < width; i++) {
        operands.add(new KeyOperand.Constant(null));
      }
      for (int i = 0; i < targets.length; i++) {
        KeyOperand operand = operand(values.get(i), definition.columns().get(targets[i]));
        if (operand == null) {
          return null;
        }
        operands.set(targets[i], operand);
      }
      rows.add(operands);
    }
    return new StatementPlan.DirectInsert(table, rows, parameterTypes);
  }

  /** The VALUES list of an INSERT's source, which the validator may have wrapped as {@code SELECT * FROM (VALUES ...)}. */
  private static SqlNode valuesOf(SqlNode source) {
    if (source.getKind() == SqlKind.VALUES) {
      return source;
    }
    if (source instanceof SqlSelect select && select.getSelectList().size() == 1
        && select.getSelectList().get(0) instanceof SqlIdentifier star && star.isStar() && select.getWhere() == null) {
      SqlNode from = select.getFrom();
      if (from != null && from.getKind() == SqlKind.AS) {
        from = ((SqlCall) from).operand(0);
      }
      return from != null && from.getKind() == SqlKind.VALUES ? from : null;
    }
    return null;
  }

  /**
   * The table {@code from} names, if it is a plain name of a ShaleDB table. Anything else (a
   * {@code FOR SYSTEM_TIME AS OF} snapshot, a join, a subquery, a view, a system table such as
   * {@code information_schema.tables}) is null: those need the general planner. The validator has
   * qualified the name, so the schema is checked too.
   */
  private static ShaleTable table(SqlNode from, SchemaSnapshot schema) {
    if (from != null && from.getKind() == SqlKind.AS) {
      from = ((SqlCall) from).operand(0);
    }
    if (!(from instanceof SqlIdentifier identifier) || identifier.names.size() > 2
        || (identifier.names.size() == 2 && !identifier.names.get(0).equals(SchemaSnapshot.SCHEMA_NAME))) {
      return null;
    }
    return schema.tables().get(identifier.names.get(identifier.names.size() - 1));
  }

  private static int column(SqlNode node, TableDef table) {
    if (!(node instanceof SqlIdentifier identifier) || identifier.isStar()) {
      return -1;
    }
    return table.columnIndex(identifier.names.get(identifier.names.size() - 1));
  }

  /** The primary key operands if {@code condition} is exactly one equality per primary key column. */
  private static List<KeyOperand> primaryKey(SqlNode condition, TableDef table) {
    List<SqlNode> conjuncts = new ArrayList<>();
    flattenAnd(condition, conjuncts);
    if (conjuncts.size() != table.primaryKey().size()) {
      return null;
    }
    Map<Integer, KeyOperand> equalities = new HashMap<>();
    for (SqlNode conjunct : conjuncts) {
      if (conjunct.getKind() != SqlKind.EQUALS) {
        return null;
      }
      SqlNode left = ((SqlBasicCall) conjunct).operand(0);
      SqlNode right = ((SqlBasicCall) conjunct).operand(1);
      if (!(left instanceof SqlIdentifier)) {
        SqlNode swap = left;
        left = right;
        right = swap;
      }
      int column = column(left, table);
      if (column < 0 || !table.primaryKey().contains(column) || equalities.containsKey(column)) {
        return null;
      }
      KeyOperand operand = operand(right, table.columns().get(column));
      if (operand == null || (operand instanceof KeyOperand.Constant constant && constant.value() == null)) {
        return null;
      }
      equalities.put(column, operand);
    }
    return KeyLookups.completeKey(table.primaryKey().stream().mapToInt(Integer::intValue).toArray(), equalities);
  }

  private static void flattenAnd(SqlNode node, List<SqlNode> conjuncts) {
    if (node.getKind() == SqlKind.AND) {
      for (SqlNode operand : ((SqlCall) node).getOperandList()) {
        flattenAnd(operand, conjuncts);
      }
    } else {
      conjuncts.add(node);
    }
  }

  /** A parameter, or a constant converted exactly to the column's storage type; null if neither. */
  private static KeyOperand operand(SqlNode node, ColumnDef column) {
    if (node instanceof SqlDynamicParam param) {
      return new KeyOperand.Parameter(param.getIndex());
    }
    if (node.getKind() == SqlKind.CAST) {
      // The validator casts constants to their column's type; the writer checks that they fit.
      node = ((SqlCall) node).operand(0);
    }
    boolean negative = false;
    if (node.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) node).operand(0) instanceof SqlNumericLiteral) {
      negative = true;
      node = ((SqlCall) node).operand(0);
    }
    if (node instanceof SqlUnknownLiteral unknown) {
      // DATE '...', TIME '...' and TIMESTAMP '...' stay unresolved in the validated tree.
      SqlTypeName typeName = SqlTypeName.get(unknown.tag.toUpperCase(java.util.Locale.ROOT));
      if (typeName == null) {
        return null;
      }
      try {
        node = unknown.resolve(typeName);
      } catch (RuntimeException e) {
        return null;
      }
    }
    if (!(node instanceof SqlLiteral literal)) {
      return null;
    }
    if (literal.getTypeName() == SqlTypeName.NULL) {
      return new KeyOperand.Constant(null);
    }
    try {
      Object value = KeyLookups.exactKeyValue(column.type().storage(), constant(literal, negative));
      return value == null ? null : new KeyOperand.Constant(value);
    } catch (ArithmeticException | ClassCastException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The literal as the neutral constant {@link KeyLookups#exactKeyValue} takes; null if of no kind it knows. */
  private static Object constant(SqlLiteral literal, boolean negative) {
    if (literal instanceof SqlNumericLiteral) {
      return number(literal, negative);
    }
    if (literal instanceof SqlCharStringLiteral) {
      return literal.getValueAs(String.class);
    }
    if (literal.getTypeName() == SqlTypeName.BOOLEAN) {
      return literal.booleanValue();
    }
    if (literal instanceof SqlDateLiteral) {
      return KeyLookups.date(literal.getValueAs(DateString.class).getDaysSinceEpoch());
    }
    if (literal instanceof SqlTimeLiteral) {
      return KeyLookups.time(literal.getValueAs(TimeString.class).getMillisOfDay());
    }
    if (literal instanceof SqlTimestampLiteral) {
      return KeyLookups.timestamp(literal.getValueAs(TimestampString.class).getMillisSinceEpoch());
    }
    return null;
  }

  private static BigDecimal number(SqlLiteral literal, boolean negative) {
    BigDecimal value = literal.getValueAs(BigDecimal.class);
    return negative ? value.negate() : value;
  }
}
