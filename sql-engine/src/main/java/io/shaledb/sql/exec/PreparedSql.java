package io.shaledb.sql.exec;

import java.util.Objects;

/** A statement's text with the plan made for it and the catalog version the plan is valid for. */
public record PreparedSql(String sql, StatementPlan plan, long catalogVersion) {
  public PreparedSql {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(plan, "plan");
  }
}
