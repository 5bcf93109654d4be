package io.shaledb.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.BuiltInConnectionProperty;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Service;

/**
 * The ShaleDB JDBC driver, for every {@code jdbc:shaledb:} URL (see {@link ShaleUrl}). Registered
 * with {@link DriverManager} through {@code META-INF/services/java.sql.Driver}.
 *
 * <p>{@code jdbc:shaledb://HOST:PORT} connects to a server with Avatica's remote client over HTTP
 * and protobuf (this class extends Avatica's remote driver for that); the properties {@code user}
 * and {@code password} are sent with each request, and any Avatica remote property (e.g. {@code
 * http_response_timeout}) may be given. Embedded URLs open the database in this process through
 * an {@link EmbeddedDatabaseProvider}.
 */
public final class ShaleDriver extends org.apache.calcite.avatica.remote.Driver {
  public static final String VERSION = "0.1.0";

  static {
    new ShaleDriver().register();
  }

  private volatile EmbeddedDatabaseProvider embeddedProvider;
  private ScheduledExecutorService timer;

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
  protected AvaticaFactory createFactory() {
    return new ShaleJdbcFactory();
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
    Properties properties = new Properties();
    if (info != null) {
      properties.putAll(info);
    }
    if (parsed.isEmbedded()) {
      EmbeddedDatabaseProvider provider = embeddedProvider();
      // The URL reaches createMeta through the connection's configuration.
      properties.setProperty(BuiltInConnectionProperty.URL.camelName(), url);
      try {
        ShaleConnection connection = (ShaleConnection) factory.newConnection(this, factory, url, properties);
        connection.setCanceller(provider.canceller(connection.meta()));
        handler.onConnectionInit(connection);
        connection.openConnection();
        return connection;
      } catch (org.apache.calcite.avatica.AvaticaClientRuntimeException e) {
        // The engine refused the connection (e.g. 28P01, wrong password): keep its SQLSTATE.
        throw new SQLException(e.getMessage(), e.getSqlState(), e);
      } catch (RuntimeException e) {
        throw new SQLException("cannot open " + url + ": " + e.getMessage(), "08001", e);
      }
    }
    String baseUrl = "http://" + parsed.location();
    properties.setProperty(BuiltInConnectionProperty.URL.camelName(), baseUrl);
    properties.setProperty(BuiltInConnectionProperty.SERIALIZATION.camelName(), Serialization.PROTOBUF.name());
    ShaleConnection connection;
    try {
      connection = (ShaleConnection) factory.newConnection(this, factory, url, properties);
    } catch (RuntimeException e) {
      throw new SQLException("cannot connect to " + url + ": " + e.getMessage(), "08001", e);
    }
    connection.setCanceller(new RemoteCanceller(baseUrl,
        RemoteCanceller.basicAuthorization(properties.getProperty("user"), properties.getProperty("password"))));
    handler.onConnectionInit(connection);
    try {
      // As Avatica's remote driver does: RemoteMeta.openConnection expects state that only this sets up.
      connection.getService().apply(new Service.OpenConnectionRequest(connection.id,
          Service.OpenConnectionRequest.serializeProperties(properties)));
    } catch (RuntimeException e) {
      throw connectFailure(url, e);
    }
    return connection;
  }

  /** The server's refusal keeps its SQLSTATE (e.g. 53300, too many connections); a dead server is 08001. */
  private static SQLException connectFailure(String url, RuntimeException e) {
    if (e instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException refusal) {
      return new SQLException("cannot connect to " + url + ": " + refusal.getMessage(), refusal.getSqlState(),
          refusal.getErrorCode(), e);
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new SQLException("cannot connect to " + url + ": " + cause, "08001", e);
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    String url = connection.config().url();
    if (url != null && url.startsWith("http")) {
      return super.createMeta(connection);
    }
    try {
      return embeddedProvider().createMeta(connection, ShaleUrl.parse(url));
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Runs query timeouts: one daemon thread per driver, started on first use. */
  synchronized ScheduledExecutorService timer() {
    if (timer == null) {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "shaledb-query-timeout");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      timer = executor;
    }
    return timer;
  }

  private EmbeddedDatabaseProvider embeddedProvider() throws SQLException {
    EmbeddedDatabaseProvider provider = embeddedProvider;
    if (provider == null) {
      Iterator<EmbeddedDatabaseProvider> found =
          ServiceLoader.load(EmbeddedDatabaseProvider.class, ShaleDriver.class.getClassLoader()).iterator();
      if (!found.hasNext()) {
        throw new SQLException("embedded ShaleDB URLs need the shaledb-cluster module on the class path; "
            + "to use a server, connect to jdbc:shaledb://HOST:PORT", "08001");
      }
      provider = found.next();
      embeddedProvider = provider;
    }
    return provider;
  }
}
