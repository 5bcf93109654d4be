package io.shaledb.sql.plan;

import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.security.Privilege;
import io.shaledb.sql.security.TableAccess;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The privileges a planned statement needs, found in its logical plan so that nothing escapes:
 * every table scanned anywhere (joins, subqueries, expanded views) needs SELECT; the target of
 * INSERT, UPDATE or DELETE needs that privilege (MERGE: INSERT and UPDATE).
 *
 * <p>As in PostgreSQL, an UPDATE or DELETE that reads the target's columns (a WHERE clause, or a
 * SET expression that uses a column) also needs SELECT on it: otherwise a user allowed only to
 * write could learn the table's contents from affected-row counts or errors. An INSERT needs
 * SELECT on its target only when its source reads it.
 */
final class AccessAnalysis {
  private AccessAnalysis() {}

  /** What a statement planned through the general planner needs; {@code logical} is the converted plan. */
  static List<TableAccess> of(RelNode logical, SqlNode validated) {
    Set<TableAccess> required = new LinkedHashSet<>();
    if (logical instanceof TableModify modify) {
      TableDef target = tableOf(modify.getTable());
      Set<TableDef> read = new LinkedHashSet<>();
      collectScans(modify.getInput(), read);
      TableModify.Operation operation = modify.getOperation();
      if (target != null) {
        for (Privilege privilege : privilegesOf(operation)) {
          required.add(access(target, privilege));
        }
        boolean readsTargetInherently = operation != TableModify.Operation.INSERT;
        if (readsTargetInherently ? readsTargetColumns(validated) : read.contains(target)) {
          required.add(access(target, Privilege.SELECT));
        }
        read.remove(target);
      }
      read.forEach(table -> required.add(access(table, Privilege.SELECT)));
    } else {
      Set<TableDef> read = new LinkedHashSet<>();
      collectScans(logical, read);
      read.forEach(table -> required.add(access(table, Privilege.SELECT)));
    }
    return List.copyOf(required);
  }

  /** What a MERGE into {@code target} needs: what its source query reads, and INSERT and UPDATE on the target. */
  static List<TableAccess> ofMerge(TableDef target, List<TableAccess> queryAccess) {
    Set<TableAccess> required = new LinkedHashSet<>(queryAccess);
    for (Privilege privilege : privilegesOf(TableModify.Operation.MERGE)) {
      required.add(access(target, privilege));
    }
    return List.copyOf(required);
  }

  /** What TRUNCATE needs, from what the DELETE it runs as needs: TRUNCATE in place of DELETE. */
  static List<TableAccess> ofTruncate(List<TableAccess> deleteAccess) {
    List<TableAccess> required = new ArrayList<>();
    for (TableAccess access : deleteAccess) {
      required.add(access.privilege() == Privilege.DELETE
          ? new TableAccess(access.tableId(), access.tableName(), Privilege.TRUNCATE) : access);
    }
    return List.copyOf(required);
  }

  /** What a statement planned by {@link FastPaths} needs. */
  static List<TableAccess> ofFastPath(StatementPlan plan, SqlNode validated) {
    if (plan instanceof StatementPlan.PointQuery point) {
      return List.of(access(point.table().definition(), Privilege.SELECT));
    }
    if (plan instanceof StatementPlan.DirectInsert insert) {
      return List.of(access(insert.table().definition(), Privilege.INSERT));
    }
    if (plan instanceof StatementPlan.KeyedWrite write) {
      TableDef table = write.table().definition();
      List<TableAccess> required = new ArrayList<>();
      for (Privilege privilege : privilegesOf(write.operation())) {
        required.add(access(table, privilege));
      }
      if (readsTargetColumns(validated)) {
        required.add(access(table, Privilege.SELECT));
      }
      return List.copyOf(required);
    }
    throw new IllegalArgumentException("not a fast path plan: " + plan.getClass().getSimpleName());
  }

  private static List<Privilege> privilegesOf(TableModify.Operation operation) {
    return switch (operation) {
      case INSERT -> List.of(Privilege.INSERT);
      case UPDATE -> List.of(Privilege.UPDATE);
      case DELETE -> List.of(Privilege.DELETE);
      case MERGE -> List.of(Privilege.INSERT, Privilege.UPDATE);
    };
  }

  /** Whether an UPDATE or DELETE has a condition or computes new values from columns. */
  private static boolean readsTargetColumns(SqlNode validated) {
    if (validated instanceof SqlDelete delete) {
      return delete.getCondition() != null;
    }
    if (validated instanceof SqlUpdate update) {
      if (update.getCondition() != null) {
        return true;
      }
      for (SqlNode expression : update.getSourceExpressionList()) {
        if (mentionsIdentifier(expression)) {
          return true;
        }
      }
      return false;
    }
    // Anything else that modifies (MERGE) matches rows by a condition on the target.
    return true;
  }

  private static boolean mentionsIdentifier(SqlNode expression) {
    Boolean found = expression.accept(new SqlBasicVisitor<Boolean>() {
      @Override
      public Boolean visit(SqlIdentifier id) {
        return true;
      }

      @Override
      public Boolean visit(SqlCall call) {
        return anyMentions(call.getOperandList());
      }

      @Override
      public Boolean visit(SqlNodeList list) {
        return anyMentions(list.getList());
      }

      private boolean anyMentions(List<? extends SqlNode> nodes) {
        for (SqlNode node : nodes) {
          if (node != null && Boolean.TRUE.equals(node.accept(this))) {
            return true;
          }
        }
        return false;
      }
    });
    return Boolean.TRUE.equals(found);
  }

  /** Adds every ShaleDB table {@code node} scans, including inside subquery expressions. */
  private static void collectScans(RelNode node, Set<TableDef> tables) {
    if (node instanceof TableScan scan) {
      TableDef table = tableOf(scan.getTable());
      if (table != null) {
        tables.add(table);
      }
    }
    if (node instanceof TableModify modify) {
      TableDef table = tableOf(modify.getTable());
      if (table != null) {
        tables.add(table);
      }
    }
    node.accept(new RexShuttle() {
      @Override
      public org.apache.calcite.rex.RexNode visitSubQuery(RexSubQuery subQuery) {
        collectScans(subQuery.rel, tables);
        return super.visitSubQuery(subQuery);
      }
    });
    for (RelNode input : node.getInputs()) {
      collectScans(input, tables);
    }
  }

  private static TableDef tableOf(RelOptTable table) {
    ShaleTable shale = table == null ? null : table.unwrap(ShaleTable.class);
    return shale == null ? null : shale.definition();
  }

  private static TableAccess access(TableDef table, Privilege privilege) {
    return new TableAccess(table.tableId(), table.name(), privilege);
  }
}
