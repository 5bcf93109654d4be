package io.shaledb.sql.meta;

import io.shaledb.sql.security.Principal;

/**
 * What one user may take of a server, so that one login cannot starve the others (compare
 * PostgreSQL's per-role CONNECTION LIMIT and its connections reserved for superusers). The admin
 * is exempt from the per-user limits and alone may use the reserved connections, so it can always
 * connect to see and fix what is going on.
 *
 * @param maxConnectionsPerUser connections one user may hold open; one more is refused with 53300
 * @param reservedAdminConnections of the server's connection limit, how many only the admin may use
 * @param maxStatementsInFlightPerUser requests (statements, fetches, metadata calls) one user may
 *     have running at once, over all their connections; one more is refused with 53400 at once,
 *     instead of waiting for a thread
 */
public record UserLimits(int maxConnectionsPerUser, int reservedAdminConnections, int maxStatementsInFlightPerUser) {
  public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 100;
  public static final int DEFAULT_RESERVED_ADMIN_CONNECTIONS = 3;
  public static final int DEFAULT_MAX_STATEMENTS_IN_FLIGHT_PER_USER = 16;

  /** No limit beyond the server's: for embedded databases, whose users share one process anyway. */
  public static final UserLimits NONE = new UserLimits(Integer.MAX_VALUE, 0, Integer.MAX_VALUE);

  public static final UserLimits DEFAULTS = new UserLimits(DEFAULT_MAX_CONNECTIONS_PER_USER,
      DEFAULT_RESERVED_ADMIN_CONNECTIONS, DEFAULT_MAX_STATEMENTS_IN_FLIGHT_PER_USER);

  public UserLimits {
    if (maxConnectionsPerUser < 1 || reservedAdminConnections < 0 || maxStatementsInFlightPerUser < 1) {
      throw new IllegalArgumentException("max-connections-per-user and max-statements-per-user must be positive, "
          + "reserved-admin-connections not negative");
    }
  }

  /** Whether these limits apply to {@code principal}: to everyone but the admin. */
  boolean appliesTo(Principal principal) {
    return !principal.isAdmin();
  }
}
