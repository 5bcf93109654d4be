package io.shaledb.sql.session;

import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.security.TableAccess;
import java.util.List;
import java.util.Objects;

/**
 * A statement's text with the plan made for it, the catalog version the plan is valid for, and the
 * privileges on tables running it needs (DDL and transaction control are checked when they run).
 */
public record PreparedSql(String sql, StatementPlan plan, long catalogVersion, List<TableAccess> access) {
  public PreparedSql {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(plan, "plan");
    access = List.copyOf(access);
  }
}
