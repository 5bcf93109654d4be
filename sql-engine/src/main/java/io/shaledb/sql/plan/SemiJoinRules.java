package io.shaledb.sql.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.SemiJoinRule;

/**
 * Calcite's rules that turn a join with an Aggregate into a semi-join, minus the case where that
 * loses rows.
 *
 * <p>Calcite's {@link SemiJoinRule} replaces {@code left INNER JOIN (SELECT keys FROM r GROUP BY
 * keys) ON left.x = keys} by {@code left SEMI JOIN r ON left.x = r.keys}, when nothing above reads
 * the aggregate's columns. It checks that the join keys are the aggregate's group keys, and with
 * no group keys at all both are empty, so it also rewrites a join on {@code TRUE} with a global
 * aggregate ({@code SELECT COUNT(*) FROM r}). But a global aggregate returns one row even when
 * {@code r} is empty, while the semi-join with {@code r} returns nothing then. Calcite's own
 * subquery removal builds exactly that shape for an {@code IN (subquery)} under OR (it cross-joins
 * the subquery's {@code COUNT(*)} to tell an empty subquery from one holding NULL); once the
 * disjunct is simplified away (say {@code (x > 3 AND x = 1 AND y IN (...)) OR z < 84}) nothing
 * reads the count and the rule fires: every row was lost whenever the subquery was empty.
 *
 * <p>These rules are Calcite's with that case excluded (an inner join on an aggregate without
 * group keys); the LEFT join case, which Calcite removes outright, stays as it is correct.
 */
final class SemiJoinRules {
  private SemiJoinRules() {}

  /** Replaces Calcite's semi-join rules in {@code planner} by the ones of this class. */
  static void replaceIn(RelOptPlanner planner) {
    planner.removeRule(CoreRules.PROJECT_TO_SEMI_JOIN);
    planner.removeRule(CoreRules.JOIN_TO_SEMI_JOIN);
    for (var rule : List.of(new ProjectToSemiJoin(), new JoinToSemiJoin())) {
      planner.addRule(rule);
    }
  }

  /** Whether joining {@code aggregate} as a semi-join keeps the rows the inner join keeps. */
  static boolean keepsRows(Join join, Aggregate aggregate) {
    return join.getJoinType() != JoinRelType.INNER || aggregate.getGroupCount() > 0;
  }

  private static final class ProjectToSemiJoin extends SemiJoinRule.ProjectToSemiJoinRule {
    ProjectToSemiJoin() {
      super(SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.DEFAULT
          .withDescription("ShaleSemiJoinRule:project")
          .as(SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.class));
    }

    @Override
    public boolean matches(RelOptRuleCall call) {
      return keepsRows(call.rel(1), call.rel(3));
    }
  }

  private static final class JoinToSemiJoin extends SemiJoinRule.JoinToSemiJoinRule {
    JoinToSemiJoin() {
      super(SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.DEFAULT
          .withDescription("ShaleSemiJoinRule:join")
          .as(SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.class));
    }

    @Override
    public boolean matches(RelOptRuleCall call) {
      return keepsRows(call.rel(0), call.rel(2));
    }
  }
}
