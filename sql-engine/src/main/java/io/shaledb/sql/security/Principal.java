package io.shaledb.sql.security;

import java.util.Objects;

/**
 * Who a session acts for: a user that authenticated, or {@link #ADMIN} for trusted in-process
 * callers. The admin user holds every privilege and alone manages users and grants.
 */
public record Principal(String name) {
  /** The name of the built-in administrator. */
  public static final String ADMIN_NAME = "admin";

  public static final Principal ADMIN = new Principal(ADMIN_NAME);

  public Principal {
    Objects.requireNonNull(name, "name");
  }

  public boolean isAdmin() {
    return ADMIN_NAME.equals(name);
  }
}
