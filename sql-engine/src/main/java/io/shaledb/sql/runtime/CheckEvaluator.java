package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.CheckDef;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.schema.ShaleTypes;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The CHECK constraints of one table, compiled once per catalog version into one Calcite query
 * {@code SELECT cond1, cond2, ... FROM (VALUES (CAST(? AS type), ...)) AS t (col, ...)} that is
 * run with a row's values as parameters. A condition that is FALSE rejects the row (23514); TRUE
 * and NULL (unknown) accept it, as SQL specifies. Thread-safe.
 */
public final class CheckEvaluator {
  /** Runs a compiled query with the given parameter values; supplied by the engine. */
  public interface QueryRunner {
    Enumerator<Object> run(StatementPlan.Query query, List<Object> parameters, AtomicBoolean cancelFlag);
  }

  private final TableDef table;
  private final StatementPlan.Query query;
  private final QueryRunner runner;

  private CheckEvaluator(TableDef table, StatementPlan.Query query, QueryRunner runner) {
    this.table = table;
    this.query = query;
    this.runner = runner;
  }

  /**
   * Compiles the checks of {@code table}, or returns null if it has none.
   *
   * @param planner plans SQL text against the current schema
   * @throws ShaleException if a condition does not compile (unknown column 42703, ...) or is not boolean (42804)
   */
  public static CheckEvaluator compile(TableDef table, Function<String, StatementPlan> planner, QueryRunner runner) {
    if (table.checks().isEmpty()) {
      return null;
    }
    StringJoiner conditions = new StringJoiner(", ");
    for (CheckDef check : table.checks()) {
      conditions.add("(" + check.conditionSql() + ")");
    }
    StringJoiner values = new StringJoiner(", ");
    StringJoiner names = new StringJoiner(", ");
    for (ColumnDef column : table.columns()) {
      values.add("CAST(? AS " + ShaleTypes.castType(column.type()) + ")");
      names.add(quote(column.name()));
    }
    String sql = "SELECT " + conditions + " FROM (VALUES (" + values + ")) AS " + quote(table.name()) + " (" + names + ")";
    StatementPlan plan;
    try {
      plan = planner.apply(sql);
    } catch (ShaleException e) {
      throw new ShaleException(e.sqlState(), "CHECK constraint of table \"" + table.name() + "\" is invalid: "
          + e.getMessage(), e);
    }
    StatementPlan.Query query = (StatementPlan.Query) plan;
    for (int i = 0; i < query.columns().size(); i++) {
      SqlTypeName type = query.columns().get(i).type().getSqlTypeName();
      if (type != SqlTypeName.BOOLEAN && type != SqlTypeName.NULL) {
        throw new ShaleException(SqlState.DATATYPE_MISMATCH, "CHECK constraint \"" + table.checks().get(i).name()
            + "\" must be a boolean condition, not " + type);
      }
    }
    return new CheckEvaluator(table, query, runner);
  }

  /**
   * Checks {@code row} (all columns, in the storage representation).
   *
   * @throws ShaleException 23514 naming the first constraint the row violates
   */
  void check(Object[] row) {
    try (Enumerator<Object> results = runner.run(query, Arrays.asList(row.clone()), new AtomicBoolean())) {
      if (!results.moveNext()) {
        throw new IllegalStateException("CHECK query returned no row");
      }
      Object result = results.current();
      Object[] verdicts = result instanceof Object[] array ? array : new Object[] {result};
      for (int i = 0; i < verdicts.length; i++) {
        if (Boolean.FALSE.equals(verdicts[i])) {
          CheckDef check = table.checks().get(i);
          throw new ShaleException(SqlState.CHECK_VIOLATION, "new row for table \"" + table.name()
              + "\" violates check constraint \"" + check.name() + "\": " + check.conditionSql());
        }
      }
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
