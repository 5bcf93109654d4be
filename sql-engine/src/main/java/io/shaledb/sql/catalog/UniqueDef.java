package io.shaledb.sql.catalog;

import java.util.List;
import java.util.Objects;

/** A UNIQUE constraint over {@code columns}. */
public record UniqueDef(String name, List<String> columns) {
  public UniqueDef {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("unique constraint without columns");
    }
  }
}
