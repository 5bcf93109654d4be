package io.shaledb.sql.security;

import java.util.Objects;

/**
 * Which objects a user's metadata shows (JDBC's getTables, getColumns and the like, and {@code
 * information_schema}): a table the user holds some privilege on or owns, as PostgreSQL shows
 * columns and CockroachDB shows tables. Views carry no privileges of their own (only the admin
 * creates them), so they and their SQL are shown to the admin only; a user may still query a view
 * whose tables they may read. The admin sees everything. Thread-safe.
 */
public final class MetadataVisibility {
  private final UserStore users;

  public MetadataVisibility(UserStore users) {
    this.users = Objects.requireNonNull(users, "users");
  }

  /** Whether {@code user} (null: the engine itself) sees table {@code tableId} in metadata. */
  public boolean seesTable(String user, int tableId) {
    return user == null || Principal.ADMIN_NAME.equals(user) || users.owns(user, tableId)
        || !users.privileges(user, tableId).isEmpty();
  }

  /** Whether {@code user} (null: the engine itself) sees views and their definitions. */
  public boolean seesViews(String user) {
    return user == null || Principal.ADMIN_NAME.equals(user);
  }
}
