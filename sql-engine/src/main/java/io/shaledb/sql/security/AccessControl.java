package io.shaledb.sql.security;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Collection;
import java.util.Objects;

/**
 * Decides whether a principal may run a statement, from the privileges in a {@link UserStore}:
 * the admin may do everything; any other user needs each {@link TableAccess} the statement
 * requires. Thread-safe.
 */
public final class AccessControl {
  private final UserStore users;

  public AccessControl(UserStore users) {
    this.users = Objects.requireNonNull(users, "users");
  }

  /**
   * Returns if {@code principal} holds every privilege in {@code required}.
   *
   * @throws ShaleException 42501 naming the first privilege missing
   */
  public void check(Principal principal, Collection<TableAccess> required) {
    if (principal.isAdmin()) {
      return;
    }
    for (TableAccess access : required) {
      if (!users.privileges(principal.name(), access.tableId()).contains(access.privilege())) {
        throw new ShaleException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: user \"" + principal.name()
            + "\" lacks " + access.privilege() + " on table \"" + access.tableName() + "\"");
      }
    }
  }

  /**
   * Returns if {@code principal} may change the definition of table {@code tableId} (drop it,
   * index it): the admin and the table's creator may.
   *
   * @throws ShaleException 42501 otherwise
   */
  public void checkOwner(Principal principal, int tableId, String tableName, String action) {
    if (!users.owns(principal.name(), tableId)) {
      throw new ShaleException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: only the admin and the creator "
          + "of table \"" + tableName + "\" may " + action + " it");
    }
  }

  /**
   * Returns if {@code principal} is the admin.
   *
   * @throws ShaleException 42501 otherwise, saying that {@code what} is the admin's job
   */
  public static void checkAdmin(Principal principal, String what) {
    if (!principal.isAdmin()) {
      throw new ShaleException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: only the admin user may " + what);
    }
  }
}
