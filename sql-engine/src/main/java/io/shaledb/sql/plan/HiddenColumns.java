package io.shaledb.sql.plan;

import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.schema.ShaleTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlStarExclude;
import org.apache.calcite.sql.SqlTableRef;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorTable;

/**
 * Keeps the hidden row id of tables without a primary key ({@link TableDef#HIDDEN_ROW_ID}) out of
 * {@code *}. Calcite has no hidden columns and its star expansion is private to its validator, so
 * this rewrites the tree before validation, as {@link ColumnNames} does for names:
 *
 * <ul>
 *   <li>{@code *} and {@code t.*} over such a table become Calcite's {@code * EXCLUDE (t._shaledb_rowid)};
 *   <li>where the FROM clause has a NATURAL or USING join (whose star expansion Calcite cannot
 *       combine with EXCLUDE, and where two hidden row ids would be joined on), each such table
 *       becomes {@code (SELECT its visible columns FROM t) AS t} instead; the planner merges the
 *       projection into the scan.
 * </ul>
 *
 * The column stays in the table's row type, where UPDATE and DELETE need it to find the stored row.
 */
final class HiddenColumns {
  private HiddenColumns() {}

  /** Rewrites every select of {@code statement} (subqueries included) that needs it, in place. */
  static void excludeFromStars(SqlNode statement, SqlValidatorCatalogReader catalogReader) {
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getFrom() != null) {
          if (hasNaturalOrUsing(select.getFrom())) {
            select.setFrom(withoutHiddenColumns(select.getFrom(), catalogReader));
          } else {
            rewriteStars(select, catalogReader);
          }
        }
        return super.visit(call);
      }
    });
  }

  private static boolean hasNaturalOrUsing(SqlNode from) {
    return from instanceof SqlJoin join && (join.isNatural() || join.getConditionType() == JoinConditionType.USING
        || hasNaturalOrUsing(join.getLeft()) || hasNaturalOrUsing(join.getRight()));
  }

  /** {@code from} with each table that has a hidden row id replaced by a derived table of its visible columns. */
  private static SqlNode withoutHiddenColumns(SqlNode from, SqlValidatorCatalogReader catalogReader) {
    if (from instanceof SqlJoin join) {
      join.setLeft(withoutHiddenColumns(join.getLeft(), catalogReader));
      join.setRight(withoutHiddenColumns(join.getRight(), catalogReader));
      return join;
    }
    TableDef table = hiddenRowIdTable(from, catalogReader);
    if (table == null || (from.getKind() == SqlKind.AS && ((SqlCall) from).operandCount() != 2)) {
      return from;
    }
    SqlParserPos position = from.getParserPosition();
    SqlNodeList columns = new SqlNodeList(position);
    for (ColumnDef column : table.visibleColumns()) {
      columns.add(new SqlIdentifier(column.name(), position));
    }
    SqlNode source = from.getKind() == SqlKind.AS ? ((SqlCall) from).operand(0) : from;
    SqlSelect visible = new SqlSelect(position, null, columns, source, null, null, null, null, null, null, null, null);
    return SqlStdOperatorTable.AS.createCall(position, visible, new SqlIdentifier(aliasOf(from), position));
  }

  private static void rewriteStars(SqlSelect select, SqlValidatorCatalogReader catalogReader) {
    SqlNodeList items = select.getSelectList();
    List<String> hiddenAliases = null;
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof SqlIdentifier star) || !star.isStar()) {
        continue;
      }
      if (hiddenAliases == null) {
        hiddenAliases = new ArrayList<>();
        collectHiddenAliases(select.getFrom(), catalogReader, hiddenAliases);
      }
      SqlNodeList excluded = new SqlNodeList(star.getParserPosition());
      for (String alias : hiddenAliases) {
        if (star.names.size() == 1 || star.names.get(star.names.size() - 2).equals(alias)) {
          excluded.add(new SqlIdentifier(List.of(alias, TableDef.HIDDEN_ROW_ID), star.getParserPosition()));
        }
      }
      if (!excluded.isEmpty()) {
        items.set(i, new SqlStarExclude(star.getParserPosition(), star, excluded));
      }
    }
  }

  /** Adds the names under which {@code from} exposes tables that have a hidden row id. */
  private static void collectHiddenAliases(SqlNode from, SqlValidatorCatalogReader catalogReader, List<String> aliases) {
    if (from instanceof SqlJoin join) {
      collectHiddenAliases(join.getLeft(), catalogReader, aliases);
      collectHiddenAliases(join.getRight(), catalogReader, aliases);
      return;
    }
    if (from.getKind() == SqlKind.AS && ((SqlCall) from).operandCount() != 2) {
      // AS t(a, b, ...) names every column, the hidden one included: it stays visible there.
      return;
    }
    if (hiddenRowIdTable(from, catalogReader) != null) {
      aliases.add(aliasOf(from));
    }
  }

  /** The name a table reference in FROM is known by. */
  private static String aliasOf(SqlNode from) {
    if (from.getKind() == SqlKind.AS) {
      return ((SqlIdentifier) ((SqlCall) from).operand(1)).getSimple();
    }
    SqlIdentifier name = tableName(from);
    return name.names.get(name.names.size() - 1);
  }

  /** The table name under a table reference ({@code t}, {@code t FOR SYSTEM_TIME AS OF ...}, hints), or null. */
  private static SqlIdentifier tableName(SqlNode reference) {
    SqlNode table = reference.getKind() == SqlKind.AS ? ((SqlCall) reference).operand(0) : reference;
    if (table instanceof SqlSnapshot snapshot) {
      table = snapshot.getTableRef();
    }
    if (table instanceof SqlTableRef ref) {
      table = ref.operand(0);
    }
    return table instanceof SqlIdentifier name && !name.isStar() ? name : null;
  }

  /** The definition of the table {@code from} refers to, if that is a table with a hidden row id. */
  private static TableDef hiddenRowIdTable(SqlNode from, SqlValidatorCatalogReader catalogReader) {
    SqlIdentifier name = tableName(from);
    if (name == null) {
      return null;
    }
    SqlValidatorTable found = catalogReader.getTable(name.names);
    ShaleTable shaleTable = found == null ? null : found.unwrap(ShaleTable.class);
    return shaleTable != null && shaleTable.definition().hasHiddenRowId() ? shaleTable.definition() : null;
  }
}
