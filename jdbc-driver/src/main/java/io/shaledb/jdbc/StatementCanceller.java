package io.shaledb.jdbc;

import org.apache.calcite.avatica.Meta;

/**
 * Tells the database to stop the statement running on a handle. Avatica's protocol has no cancel
 * message, so each kind of connection brings its own way. Must not block on the statement itself:
 * it is called from another thread while the statement runs.
 */
@FunctionalInterface
public interface StatementCanceller {
  /** Requests cancellation; returns without waiting for the statement to stop. */
  void cancel(Meta.StatementHandle statement);
}
