package io.shaledb.sql.plan;

import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Names the result columns that have no alias as PostgreSQL names them: a column reference is
 * named after the column, a function call after the function ({@code count}, {@code sum},
 * {@code upper}, {@code rank} for a window function), a cast after what it casts, {@code CASE}
 * {@code case}, and anything else (literals, operators) {@code ?column?}. Calcite would name all
 * but column references {@code EXPR$n}.
 *
 * <p>Calcite derives these names in a static method its validator does not let a subclass replace,
 * so {@link #nameUnaliasedItems} gives each such select item an explicit alias before validation,
 * which then treats it as any alias (also in ORDER BY, as PostgreSQL does).
 */
final class ColumnNames {
  /** PostgreSQL's name for a column it cannot name otherwise. */
  static final String UNNAMED = "?column?";

  private ColumnNames() {}

  /**
   * Gives every unaliased expression in every select list of {@code statement} (subqueries
   * included) the alias PostgreSQL would name its column with; changes {@code statement} in place.
   */
  static void nameUnaliasedItems(SqlNode statement) {
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select) {
          SqlNodeList items = select.getSelectList();
          for (int i = 0; i < items.size(); i++) {
            SqlNode item = items.get(i);
            String name = of(item);
            if (name != null) {
              SqlParserPos position = item.getParserPosition();
              items.set(i, SqlStdOperatorTable.AS.createCall(position, item, new SqlIdentifier(name, position)));
            }
          }
        }
        return super.visit(call);
      }
    });
  }

  /** The name of select item {@code node}, or null where Calcite's own rule applies (aliases, columns, queries). */
  static String of(SqlNode node) {
    if (node instanceof SqlLiteral || node instanceof SqlDynamicParam) {
      return UNNAMED;
    }
    if (!(node instanceof SqlCall call) || node.getKind() == SqlKind.AS || node.isA(SqlKind.QUERY)) {
      return null;
    }
    return nameOfCall(call);
  }

  private static String nameOf(SqlNode node) {
    if (node instanceof SqlIdentifier identifier && !identifier.isStar()) {
      return identifier.names.get(identifier.names.size() - 1);
    }
    if (node instanceof SqlCall call && !node.isA(SqlKind.QUERY)) {
      return nameOfCall(call);
    }
    return UNNAMED;
  }

  private static String nameOfCall(SqlCall call) {
    SqlKind kind = call.getKind();
    if (kind == SqlKind.OVER || kind == SqlKind.FILTER || kind == SqlKind.WITHIN_GROUP) {
      return nameOf(call.operand(0));
    }
    if (kind == SqlKind.CAST) {
      String inner = nameOf(call.operand(0));
      if (!inner.equals(UNNAMED) || call.operandCount() < 2 || !(call.operand(1) instanceof SqlDataTypeSpec type)) {
        return inner;
      }
      return type.getTypeName().getSimple().toLowerCase(Locale.ROOT);
    }
    if (kind == SqlKind.CASE) {
      return "case";
    }
    if (call instanceof SqlBasicCall && call.getOperator() instanceof SqlFunction function) {
      return function.getName().toLowerCase(Locale.ROOT);
    }
    return UNNAMED;
  }
}
