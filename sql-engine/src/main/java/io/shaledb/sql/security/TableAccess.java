package io.shaledb.sql.security;

import java.util.Objects;

/**
 * A privilege a statement needs on a table.
 *
 * @param tableId the table's id, which stays the table's across renames and is never reused
 * @param tableName the table's name, for error messages
 */
public record TableAccess(int tableId, String tableName, Privilege privilege) {
  public TableAccess {
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(privilege, "privilege");
  }
}
