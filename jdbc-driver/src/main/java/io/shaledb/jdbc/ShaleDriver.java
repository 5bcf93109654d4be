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
 * and {@code password} are sent with each request as HTTP BASIC credentials, {@code ssl=true}
 * (property or URL parameter) switches to HTTPS, and any Avatica remote property (e.g. {@code
 * truststore}, {@code truststore_password}, {@code http_response_timeout}) may be given. Embedded URLs open the database in this process through
 * an {@link EmbeddedDatabaseProvider}.
 */
public final class ShaleDriver extends org.apache.calcite.avatica.remote.Driver {
  public static final String VERSION = "0.1.0";
  /**
   * Connection property (also a URL parameter: {@code jdbc:shaledb://host:port?ssl=true}) that makes
   * the driver speak HTTPS; the server's certificate is checked against the {@code truststore}
   * (with {@code truststore_password}) or the JVM's default trust store.
   */
  public static final String SSL_PROPERTY = "ssl";

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
    String location = parsed.location();
    int query = location.indexOf('?');
    if (query >= 0) {
      // URL parameters are connection properties; properties given explicitly win.
      for (String parameter : location.substring(query + 1).split("&")) {
        int equals = parameter.indexOf('=');
        if (equals > 0) {
          properties.putIfAbsent(parameter.substring(0, equals), parameter.substring(equals + 1));
        }
      }
      location = location.substring(0, query);
    }
    boolean tls = Boolean.parseBoolean(properties.getProperty(SSL_PROPERTY, "false"));
    String baseUrl = (tls ? "https://" : "http://") + location;
    properties.setProperty(BuiltInConnectionProperty.URL.camelName(), baseUrl);
    properties.setProperty(BuiltInConnectionProperty.SERIALIZATION.camelName(), Serialization.PROTOBUF.name());
    String user = properties.getProperty("user");
    String password = properties.getProperty("password");
    if (user != null && password != null) {
      // Avatica's HTTP client sends these as HTTP BASIC credentials with every request.
      properties.setProperty(BuiltInConnectionProperty.AUTHENTICATION.camelName(), "BASIC");
      properties.setProperty(BuiltInConnectionProperty.AVATICA_USER.camelName(), user);
      properties.setProperty(BuiltInConnectionProperty.AVATICA_PASSWORD.camelName(), password);
    }
    ShaleConnection connection;
    try {
      connection = (ShaleConnection) factory.newConnection(this, factory, url, properties);
    } catch (RuntimeException e) {
      throw new SQLException("cannot connect to " + url + ": " + e.getMessage(), "08001", e);
    }
    try {
      connection.setCanceller(new RemoteCanceller(baseUrl, RemoteCanceller.basicAuthorization(user, password),
          tls ? RemoteCanceller.socketFactory(properties.getProperty(BuiltInConnectionProperty.TRUSTSTORE.camelName()),
              properties.getProperty(BuiltInConnectionProperty.TRUSTSTORE_PASSWORD.camelName())) : null));
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new SQLException("cannot connect to " + url + ": cannot read the trust store: " + e.getMessage(), "08001",
          e);
    }
    handler.onConnectionInit(connection);
    try {
      // As Avatica's remote driver does: RemoteMeta.openConnection expects state that only this sets up.
      // The credentials travel in each request's Authorization header; the server ignores properties.
      Properties forwarded = new Properties();
      forwarded.putAll(properties);
      forwarded.remove("password");
      connection.getService().apply(new Service.OpenConnectionRequest(connection.id,
          Service.OpenConnectionRequest.serializeProperties(forwarded)));
    } catch (RuntimeException e) {
      throw connectFailure(url, user, e);
    }
    return connection;
  }

  /**
   * The server's refusal keeps its SQLSTATE (e.g. 53300, too many connections), a refused password
   * is 28P01 (HTTP 401), a dead server is 08001.
   */
  private static SQLException connectFailure(String url, String user, RuntimeException e) {
    SQLException translated = DriverErrors.translate(e, user, false);
    String state = translated.getSQLState();
    if (state == null || state.startsWith("08") || state.equals("XX000")) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new SQLException("cannot connect to " + url + ": " + cause, "08001", e);
    }
    return new SQLException("cannot connect to " + url + ": " + translated.getMessage(), state,
        translated.getErrorCode(), e);
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    String url = connection.config().url();
    if (url != null && url.startsWith("http")) {
      return new ErrorTranslatingMeta(super.createMeta(connection), connection.config().avaticaUser());
    }
    try {
      return new ErrorTranslatingMeta(embeddedProvider().createMeta(connection, ShaleUrl.parse(url)), null);
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
        throw new SQLException("embedded ShaleDB URLs need the shaledb-embedded module on the class path; "
            + "to use a server, connect to jdbc:shaledb://HOST:PORT", "08001");
      }
      provider = found.next();
      embeddedProvider = provider;
    }
    return provider;
  }
}
