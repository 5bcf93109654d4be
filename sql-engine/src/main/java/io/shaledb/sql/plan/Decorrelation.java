package io.shaledb.sql.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.plan.Context;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlKind;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decides, per statement, whether Calcite may decorrelate its correlated subqueries, and tells
 * Calcite's standard program through the planner's context.
 *
 * <p>Calcite's {@code RelDecorrelator} rewrites a correlated subquery into a join with an aggregate
 * keyed by the outer values. That is right for a correlated subquery that is a conjunct of a
 * filter on its own (the shape it is built and tested for), but DifferentialQueryTest found it
 * losing rows or returning a row twice, with no error, when a filter holds a correlated subquery
 * under OR or NOT (a correlated NOT IN), or two correlated subqueries: subquery removal then nests
 * one Correlate per subquery, all on the filter's one correlation variable, with LEFT joins and
 * null-aware checks between them, and the decorrelated plan does not keep their meaning (for
 * instance {@code b < (SELECT MIN(s.b) FROM t s WHERE s.b < t.a) OR a NOT IN (SELECT s.a FROM t s
 * WHERE s.a = t.a)}). Such statements keep their Correlates, which run as nested loops ({@code
 * EnumerableCorrelate}): slower, but their rows are the ones SQL defines.
 */
final class Decorrelation implements Context {
  private final CalciteConnectionConfig decorrelating;
  private final CalciteConnectionConfig keepingCorrelates;
  private boolean safe = true;

  Decorrelation(CalciteConnectionConfig config) {
    this.decorrelating = ((CalciteConnectionConfigImpl) config)
        .set(CalciteConnectionProperty.FORCE_DECORRELATE, "true");
    this.keepingCorrelates = ((CalciteConnectionConfigImpl) config)
        .set(CalciteConnectionProperty.FORCE_DECORRELATE, "false");
  }

  /** Looks at the statement about to be optimized: whether its correlated subqueries may be decorrelated. */
  void decide(RelNode logical) {
    safe = isSafe(logical);
  }

  @Override
  public <C> @Nullable C unwrap(Class<C> type) {
    if (type.isInstance(decorrelating)) {
      return type.cast(safe ? decorrelating : keepingCorrelates);
    }
    return type.isInstance(this) ? type.cast(this) : null;
  }

  /**
   * Whether every correlated subquery of {@code rel} (at any depth, views and subqueries included)
   * is the only correlated subquery of its node and, in a filter, one of its top-level conjuncts.
   */
  static boolean isSafe(RelNode rel) {
    List<Boolean> verdict = new ArrayList<>(List.of(Boolean.TRUE));
    rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        if (verdict.get(0) && !nodeIsSafe(other)) {
          verdict.set(0, Boolean.FALSE);
        }
        return super.visit(other);
      }
    });
    return verdict.get(0);
  }

  private static boolean nodeIsSafe(RelNode node) {
    List<RexSubQuery> correlated = new ArrayList<>();
    List<RexSubQuery> all = new ArrayList<>();
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        all.add(subQuery);
        if (!RelOptUtil.getVariablesUsed(subQuery.rel).isEmpty()) {
          correlated.add(subQuery);
        }
        super.visitSubQuery(subQuery); // its operands; its own plan is checked below
        return subQuery;
      }
    });
    for (RexSubQuery subQuery : all) {
      if (!isSafe(subQuery.rel)) {
        return false;
      }
    }
    if (correlated.isEmpty()) {
      return true;
    }
    if (correlated.size() > 1 || !(node instanceof Filter filter)) {
      return false;
    }
    return RelOptUtil.conjunctions(filter.getCondition()).stream()
        .anyMatch(conjunct -> conjunct == correlated.get(0) || isComparisonWith(conjunct, correlated.get(0)));
  }

  /** Whether {@code conjunct} compares {@code subQuery} (a scalar subquery) with something else, at its top. */
  private static boolean isComparisonWith(RexNode conjunct, RexSubQuery subQuery) {
    return conjunct instanceof RexCall call && call.getKind().belongsTo(SqlKind.COMPARISON)
        && call.getOperands().contains(subQuery);
  }
}
