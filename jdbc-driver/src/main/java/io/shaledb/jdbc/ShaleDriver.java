package io.shaledb.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.BuiltInConnectionProperty;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * The ShaleDB JDBC driver, for every {@code jdbc:shaledb:} URL (see {@link ShaleUrl}). Registered
 * with {@link DriverManager} through {@code META-INF/services/java.sql.Driver}.
 */
public final class ShaleDriver extends UnregisteredDriver {
  public static final String VERSION = "0.1.0";

  static {
    new ShaleDriver().register();
  }

  private volatile EmbeddedDatabaseProvider embeddedProvider;

  public ShaleDriver() {
    super();
  }

  @Override
  protected String getConnectStringPrefix() {
    return ShaleUrl.PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("ShaleDB JDBC Driver", VERSION, "ShaleDB", VERSION, true, 0, 1, 0, 1);
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return ShaleUrl.accepts(url);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    ShaleUrl parsed = ShaleUrl.parse(url);
    if (!parsed.isEmbedded()) {
      throw new SQLException("connecting to a ShaleDB server (" + url + ") needs the ShaleDB server, which this "
          + "version does not include yet; use jdbc:shaledb:file:PATH or jdbc:shaledb:mem:NAME", "08001");
    }
    embeddedProvider();
    Properties properties = new Properties();
    if (info != null) {
      properties.putAll(info);
    }
    // The URL reaches createMeta through the connection's configuration.
    properties.setProperty(BuiltInConnectionProperty.URL.camelName(), url);
    try {
      AvaticaConnection connection = factory.newConnection(this, factory, url, properties);
      handler.onConnectionInit(connection);
      connection.openConnection();
      return connection;
    } catch (AvaticaClientRuntimeException e) {
      // The engine refused the connection (e.g. 28P01, wrong password): keep its SQLSTATE.
      throw new SQLException(e.getMessage(), e.getSqlState(), e);
    } catch (RuntimeException e) {
      throw new SQLException("cannot open " + url + ": " + e.getMessage(), "08001", e);
    }
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    try {
      ShaleUrl url = ShaleUrl.parse(connection.config().url());
      return embeddedProvider().createMeta(connection, url);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private EmbeddedDatabaseProvider embeddedProvider() throws SQLException {
    EmbeddedDatabaseProvider provider = embeddedProvider;
    if (provider == null) {
      Iterator<EmbeddedDatabaseProvider> found =
          ServiceLoader.load(EmbeddedDatabaseProvider.class, ShaleDriver.class.getClassLoader()).iterator();
      if (!found.hasNext()) {
        throw new SQLException("embedded ShaleDB URLs need the shaledb-cluster module on the class path", "08001");
      }
      provider = found.next();
      embeddedProvider = provider;
    }
    return provider;
  }
}
