package io.shaledb.sql.catalog;

import java.util.Objects;

/** A CHECK constraint: {@code conditionSql} must not be false for any row. */
public record CheckDef(String name, String conditionSql) {
  public CheckDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(conditionSql, "conditionSql");
  }
}
