package io.shaledb.sql.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A view as the catalog stores it: its query as SQL text, expanded wherever the view is used.
 *
 * @param columnNames the names given in {@code CREATE VIEW v (a, b)}, or empty to use the query's
 */
public record ViewDef(String name, String sql, List<String> columnNames) {
  public ViewDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sql, "sql");
    columnNames = List.copyOf(columnNames);
  }
}
