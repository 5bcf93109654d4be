package io.shaledb.jdbc;

import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * A ShaleDB JDBC connection: Avatica's, except that the connection-level calls that reach the
 * server without going through a statement ({@code commit}, {@code rollback}, and the property
 * setters and getters) report server errors as {@link SQLException}s with their SQLSTATE, as JDBC
 * requires. Avatica lets them escape as unchecked {@link AvaticaClientRuntimeException}s there,
 * which a client's retry loop on SQLSTATE 40001 around {@code commit()} would never see.
 */
final class ShaleConnection extends AvaticaConnection {
  private interface Call<T> {
    T run() throws SQLException;
  }

  private interface VoidCall {
    void run() throws SQLException;
  }

  ShaleConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
  }

  @Override
  public void commit() throws SQLException {
    translatingVoid(super::commit);
  }

  @Override
  public void rollback() throws SQLException {
    translatingVoid(super::rollback);
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    translatingVoid(() -> super.setAutoCommit(autoCommit));
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return translating(super::getAutoCommit);
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    translatingVoid(() -> super.setTransactionIsolation(level));
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return translating(super::getTransactionIsolation);
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    translatingVoid(() -> super.setReadOnly(readOnly));
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return translating(super::isReadOnly);
  }

  private static void translatingVoid(VoidCall call) throws SQLException {
    translating(
        () -> {
          call.run();
          return null;
        });
  }

  private static <T> T translating(Call<T> call) throws SQLException {
    try {
      return call.run();
    } catch (AvaticaClientRuntimeException e) {
      throw new SQLException(e.getMessage(), e.getSqlState(), e.getErrorCode(), e);
    }
  }
}
