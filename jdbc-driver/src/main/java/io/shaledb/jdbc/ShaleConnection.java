package io.shaledb.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
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

  Meta meta() {
    return meta;
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

  // Avatica lets the database's errors escape these methods as runtime exceptions; JDBC wants
  // SQLExceptions with the SQLSTATE (e.g. 40001 from commit).

  @Override
  public AvaticaStatement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    try {
      return super.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    } catch (AvaticaClientRuntimeException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      throw connectionLost(e);
    }
  }

  /**
   * @throws SQLException 08007 if the request or its answer was lost on the way (the server died,
   *     the connection dropped): the server may have committed before the answer was lost, and
   *     Avatica's client may even have sent the request twice, so the outcome is unknown
   */
  @Override
  public void commit() throws SQLException {
    try {
      super.commit();
    } catch (AvaticaClientRuntimeException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      if (!lostInTransport(e)) {
        throw e;
      }
      throw new SQLException("the outcome of the commit is unknown: the connection to the server was lost ("
          + e.getMessage() + "); check whether the transaction's writes are there before retrying it", "08007", e);
    }
  }

  /** 08006 for a failure of the remote client's transport; any other {@code e} unchanged. */
  private static SQLException connectionLost(RuntimeException e) {
    if (!lostInTransport(e)) {
      throw e;
    }
    return new SQLException("the connection to the server was lost: " + e.getMessage(), "08006", e);
  }

  /** Whether an I/O failure of the remote client's transport caused {@code e}. */
  private static boolean lostInTransport(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void rollback() throws SQLException {
    try {
      super.rollback();
    } catch (AvaticaClientRuntimeException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      throw connectionLost(e);
    }
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    try {
      super.setAutoCommit(autoCommit);
    } catch (AvaticaClientRuntimeException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      throw connectionLost(e);
    }
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    try {
      super.setTransactionIsolation(level);
    } catch (AvaticaClientRuntimeException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      throw connectionLost(e);
    }
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    try {
      super.setReadOnly(readOnly);
    } catch (AvaticaClientRuntimeException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      throw connectionLost(e);
    }
  }

  private static SQLException sqlException(AvaticaClientRuntimeException e) {
    String message = e.getMessage();
    if (message != null && message.startsWith(REMOTE_PREFIX)) {
      message = message.substring(REMOTE_PREFIX.length());
    }
    return new SQLException(message, e.getSqlState(), e.getErrorCode(), e);
  }

  /** What Avatica's remote client puts before the server's message. */
  private static final String REMOTE_PREFIX = "Remote driver error: ";

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
    } finally {
      disarm(timeout);
    }
  }

  @Override
  protected long[] executeBatchUpdateInternal(AvaticaPreparedStatement statement) throws SQLException {
    ScheduledFuture<?> timeout = armTimeout(statement);
    try {
      return super.executeBatchUpdateInternal(statement);
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
