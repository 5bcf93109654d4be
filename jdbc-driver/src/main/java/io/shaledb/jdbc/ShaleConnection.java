package io.shaledb.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * A ShaleDB connection, embedded or remote. Adds to Avatica's connection what Avatica leaves out:
 * {@link java.sql.Statement#cancel()} reaches the database, and {@link
 * java.sql.Statement#setQueryTimeout} cancels a statement that runs too long.
 */
final class ShaleConnection extends AvaticaConnection {
  private final ShaleDriver shaleDriver;
  private volatile StatementCanceller canceller;

  ShaleConnection(ShaleDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
    this.shaleDriver = driver;
  }

  /** The Meta that serves this connection (the embedded engine's, or the remote client). */
  Meta meta() {
    return meta instanceof ErrorTranslatingMeta translating ? translating.delegate() : meta;
  }

  void setCanceller(StatementCanceller canceller) {
    this.canceller = canceller;
  }

  /** Cancels {@code statement} in the database and marks it cancelled here; does not block on it. */
  void cancel(AvaticaStatement statement) throws SQLException {
    Meta.StatementHandle handle = statement.handle;
    try {
      getCancelFlag(handle).set(true);
    } catch (NoSuchStatementException e) {
      return;
    }
    StatementCanceller current = canceller;
    if (current != null) {
      try {
        current.cancel(handle);
      } catch (RuntimeException e) {
        throw new SQLException("cannot cancel: " + e.getMessage(), "08006", e);
      }
    }
  }

  // Errors of the database and of the transport reach the client through ErrorTranslatingMeta,
  // which every call below the JDBC methods goes through (a lost commit is 08007 there).

  @Override
  protected Meta.ExecuteResult prepareAndExecuteInternal(AvaticaStatement statement, String sql, long maxRowCount)
      throws SQLException, NoSuchStatementException {
    ScheduledFuture<?> timeout = armTimeout(statement);
    try {
      return super.prepareAndExecuteInternal(statement, sql, maxRowCount);
    } finally {
      disarm(timeout);
    }
  }

  @Override
  protected ResultSet executeQueryInternal(AvaticaStatement statement, Meta.Signature signature, Meta.Frame firstFrame,
      QueryState state, boolean isUpdate) throws SQLException {
    if (firstFrame != null) {
      // Metadata results arrive complete; there is nothing to time out.
      return super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate);
    }
    ScheduledFuture<?> timeout = armTimeout(statement);
    try {
      return super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate);
    } catch (SQLException e) {
      throw unwrapped(e);
    } finally {
      disarm(timeout);
    }
  }

  /**
   * The database's error that Avatica wrapped: around executing a prepared statement it catches
   * every exception, the SQLException {@link ErrorTranslatingMeta} threw included, and wraps it in
   * one without SQLSTATE.
   */
  private static SQLException unwrapped(SQLException e) {
    if (e.getSQLState() == null && e.getCause() instanceof SQLException cause && cause.getSQLState() != null) {
      return cause;
    }
    return e;
  }

  @Override
  protected long[] executeBatchUpdateInternal(AvaticaPreparedStatement statement) throws SQLException {
    ScheduledFuture<?> timeout = armTimeout(statement);
    try {
      return super.executeBatchUpdateInternal(statement);
    } catch (SQLException e) {
      throw unwrapped(e);
    } finally {
      disarm(timeout);
    }
  }

  @Override
  protected Meta.ExecuteBatchResult prepareAndUpdateBatch(AvaticaStatement statement, List<String> queries)
      throws NoSuchStatementException, SQLException {
    ScheduledFuture<?> timeout = armTimeout(statement);
    try {
      return super.prepareAndUpdateBatch(statement, queries);
    } finally {
      disarm(timeout);
    }
  }

  /**
   * Clears an earlier cancellation (a statement may run again after being cancelled) and, if the
   * statement has a query timeout, schedules its cancellation.
   */
  private ScheduledFuture<?> armTimeout(AvaticaStatement statement) throws SQLException {
    try {
      getCancelFlag(statement.handle).set(false);
    } catch (NoSuchStatementException e) {
      throw new SQLException("statement is closed", "26000", e);
    }
    int seconds = statement.getQueryTimeout();
    if (seconds <= 0) {
      return null;
    }
    return shaleDriver.timer().schedule(() -> {
      try {
        cancel(statement);
      } catch (SQLException e) {
        // The statement keeps running; the caller still gets its result or its own error.
      }
    }, seconds, TimeUnit.SECONDS);
  }

  private static void disarm(ScheduledFuture<?> timeout) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }
}
