package io.shaledb.sql.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A FOREIGN KEY constraint, as declared. Enforcement is the SQL-surface issue's; the foundation
 * stores it so that later enforcement needs no catalog migration.
 */
public record ForeignKeyDef(String name, List<String> columns, String referencedTable, List<String> referencedColumns, OnDelete onDelete) {

  public enum OnDelete { NO_ACTION, RESTRICT, CASCADE, SET_NULL }

  public ForeignKeyDef {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    Objects.requireNonNull(referencedTable, "referencedTable");
    referencedColumns = List.copyOf(referencedColumns);
    Objects.requireNonNull(onDelete, "onDelete");
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("foreign key without columns");
    }
    if (!referencedColumns.isEmpty() && referencedColumns.size() != columns.size()) {
      throw new IllegalArgumentException("foreign key column count differs from referenced column count");
    }
  }
}
