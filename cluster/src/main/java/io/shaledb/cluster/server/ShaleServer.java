package io.shaledb.cluster.server;

import io.shaledb.cluster.node.ClusterNode;
import io.shaledb.embedded.EmbeddedNode;
import io.shaledb.sql.meta.MetaOptions;
import io.shaledb.sql.meta.ShaleMeta;
import io.shaledb.sql.session.ShaleEngine;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.StorageConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.LocalService;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A ShaleDB node serving clients: the node's storage and SQL engine, one {@link ShaleMeta} for all
 * connections, and Avatica's HTTP endpoint in front of it (protobuf, and JSON if configured).
 *
 * <p>Lifecycle: {@link #start} locks the data directory, opens the node and starts listening;
 * {@link #close} stops listening, rolls back every open transaction, closes the node and releases
 * the directory. Connections idle longer than the configured time are closed in the background.
 */
public final class ShaleServer implements AutoCloseable {
  /** The TLS cipher suites offered, as patterns: TLS 1.3's, and TLS 1.2's ECDHE suites with GCM or ChaCha20-Poly1305. */
  static final String[] AEAD_CIPHER_SUITES = {
      "TLS_AES_.*", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_.*_WITH_AES_.*_GCM_SHA.*",
      "TLS_ECDHE_.*_WITH_CHACHA20_POLY1305_SHA256"};

  private final ServerConfig config;
  private final DataDirectoryLock lock;
  private final ServedNode node;
  private final ShaleMeta meta;
  private final Server jetty;
  private final ServerConnector protobufConnector;
  private final ServerConnector jsonConnector;
  private final ScheduledExecutorService reaper;
  private final Optional<String> generatedAdminPassword;
  private boolean closed;

  private ShaleServer(ServerConfig config, DataDirectoryLock lock, ServedNode node, ShaleMeta meta, Server jetty,
      ServerConnector protobufConnector, ServerConnector jsonConnector, ScheduledExecutorService reaper,
      Optional<String> generatedAdminPassword) {
    this.generatedAdminPassword = generatedAdminPassword;
    this.config = config;
    this.lock = lock;
    this.node = node;
    this.meta = meta;
    this.jetty = jetty;
    this.protobufConnector = protobufConnector;
    this.jsonConnector = jsonConnector;
    this.reaper = reaper;
  }

  /**
   * Starts a server.
   *
   * @throws IllegalStateException if another process holds the data directory
   * @throws RuntimeException if the node cannot be opened or a port cannot be bound
   */
  public static ShaleServer start(ServerConfig config, RequestAuthenticator authenticator, Clock clock) {
    return start(config, null, authenticator, clock);
  }

  /**
   * Starts a server that authenticates every request with HTTP BASIC against the database's users
   * (see {@link #generatedAdminPassword()} for the first start).
   *
   * @throws IllegalStateException if another process holds the data directory
   * @throws RuntimeException if the node cannot be opened, a port cannot be bound or the TLS key
   *     store cannot be read
   */
  public static ShaleServer start(ServerConfig config, Clock clock) {
    return start(config, Optional.ofNullable(config.adminPassword()), null, clock);
  }

  /**
   * @param adminPassword null to serve with {@code fixedAuthenticator}; else authenticate with
   *     BASIC, creating the admin user with this password (or a generated one, if empty) if it does
   *     not exist
   */
  private static ShaleServer start(ServerConfig config, Optional<String> adminPassword,
      RequestAuthenticator fixedAuthenticator, Clock systemClock) {
    Clock clock = config.testClockOffsetFile() == null ? systemClock
        : new OffsetFileClock(systemClock, config.testClockOffsetFile(), System::nanoTime);
    DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory());
    ServedNode node = null;
    Server jetty = null;
    ScheduledExecutorService reaper = null;
    try {
      node = openNode(config, clock);
      Optional<String> generated = Optional.empty();
      RequestAuthenticator authenticator = fixedAuthenticator;
      if (adminPassword != null) {
        generated = node.engine().users().ensureAdmin(adminPassword);
        authenticator = new BasicAuthenticator(node.engine().authenticator(), new LoginThrottle(clock));
      }
      RequestPrincipals principals = new RequestPrincipals();
      ShaleMeta meta = new ShaleMeta(node.engine(), MetaOptions.server(config.maxConnections(), config.userLimits(), clock), principals);
      QueuedThreadPool threads = new QueuedThreadPool(config.httpThreadsMax(), Math.min(8, config.httpThreadsMax()));
      threads.setName("shaledb-http");
      threads.setDaemon(true);
      jetty = new Server(threads);
      ServerConnector protobufConnector = connector(jetty, AvaticaEndpoint.PROTOBUF_CONNECTOR, config,
          config.port());
      ServerConnector jsonConnector = config.jsonPort() < 0 ? null
          : connector(jetty, AvaticaEndpoint.JSON_CONNECTOR, config, config.jsonPort());
      jetty.addConnector(protobufConnector);
      if (jsonConnector != null) {
        jetty.addConnector(jsonConnector);
      }
      AvaticaEndpoint endpoint = new AvaticaEndpoint(new LocalService(meta), meta, authenticator, principals,
          config.tls(), config.maxRequestBytes(), config.requestReadTimeout());
      jetty.setHandler(endpoint);
      jetty.setStopTimeout(5_000);
      jetty.start();
      endpoint.setServerAddress(config.host() + ":" + protobufConnector.getLocalPort());
      node.announceSqlAddress(config.host() + ":" + protobufConnector.getLocalPort());
      reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "shaledb-idle-connections");
        thread.setDaemon(true);
        return thread;
      });
      long periodMillis = Math.max(100, Math.min(10_000, config.idleTimeout().toMillis() / 4));
      Duration idleTimeout = config.idleTimeout();
      reaper.scheduleWithFixedDelay(() -> meta.closeIdleConnections(idleTimeout), periodMillis, periodMillis,
          TimeUnit.MILLISECONDS);
      return new ShaleServer(config, lock, node, meta, jetty, protobufConnector, jsonConnector, reaper, generated);
    } catch (Exception e) {
      if (reaper != null) {
        reaper.shutdownNow();
      }
      if (jetty != null) {
        try {
          jetty.stop();
        } catch (Exception stopError) {
          e.addSuppressed(stopError);
        }
      }
      if (node != null) {
        node.close();
      }
      lock.close();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
    }
  }

  /** A single node by default, a node of a cluster if the configuration has cluster settings. */
  private static ServedNode openNode(ServerConfig config, Clock clock) {
    StorageConfig storage = new StorageConfig(config.dataDirectory(), clock);
    if (config.cluster() == null) {
      EmbeddedNode embedded = EmbeddedNode.open(storage);
      return new ServedNode(embedded.engine(), address -> {}, -1, embedded::close);
    }
    ClusterNode clusterNode = ClusterNode.open(config.cluster(), storage,
        new SqlEngineConfig(clock, SqlEngineConfig.DEFAULT_SHARD_COUNT), config.host() + ":" + config.port());
    return new ServedNode(clusterNode.engine(), clusterNode::announceSqlAddress, clusterNode.rpcPort(), clusterNode::close);
  }

  /** What the server serves: an engine, and how to tell others the endpoint's address and to close it. */
  private record ServedNode(
      ShaleEngine engine, java.util.function.Consumer<String> addressAnnouncer, int rpcPort, Runnable closer) {
    void announceSqlAddress(String address) {
      addressAnnouncer.accept(address);
    }

    void close() {
      closer.run();
    }
  }

  private static ServerConnector connector(Server jetty, String name, ServerConfig config, int port) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector;
    if (config.tls()) {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStorePath(config.tlsKeystore().toAbsolutePath().toString());
      tls.setKeyStorePassword(config.tlsPassword());
      // Java's JKS loader also reads PKCS12, keytool's default format since Java 9.
      tls.setKeyStoreType(config.tlsKeystore().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks")
          ? "JKS" : "PKCS12");
      // TLS 1.2 and 1.3 with AEAD suites and forward secrecy only: no CBC (padding oracles such
      // as Lucky Thirteen), no static RSA key exchange.
      tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      tls.setIncludeCipherSuites(AEAD_CIPHER_SUITES);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Clients reach servers by address as often as by name; the certificate check is the client's.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslConnectionFactory ssl = new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString());
      // Plain HTTP is detected and answered with an error (see AvaticaEndpoint) instead of being
      // dropped, which Avatica's client would retry forever.
      connector = new ServerConnector(jetty,
          new OptionalSslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), ssl, new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    connector.setName(name);
    connector.setHost(config.host());
    connector.setPort(port);
    connector.setIdleTimeout(60_000);
    return connector;
  }

  /** The port the protobuf endpoint listens on (useful when configured as 0). */
  public int port() {
    return protobufConnector.getLocalPort();
  }

  /** The port other nodes of the cluster reach this one on, or -1 for a single node. */
  public int rpcPort() {
    return node.rpcPort();
  }

  /** The port of the JSON endpoint, or -1 if it is off. */
  public int jsonPort() {
    return jsonConnector == null ? -1 : jsonConnector.getLocalPort();
  }

  /**
   * The password generated for the admin user if this start created it without being given one;
   * shown to the operator once and never stored in clear.
   */
  public Optional<String> generatedAdminPassword() {
    return generatedAdminPassword;
  }

  public ServerConfig config() {
    return config;
  }

  /** Open JDBC connections. */
  public int openConnections() {
    return meta.openConnections();
  }

  /** Closes connections idle longer than the configured time now, instead of at the next periodic check. */
  public List<String> closeIdleConnections() {
    return meta.closeIdleConnections(config.idleTimeout());
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      reaper.shutdownNow();
      try {
        jetty.stop();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop the HTTP endpoint", e);
      } finally {
        meta.closeAllConnections();
        node.close();
      }
    } finally {
      lock.close();
    }
  }
}
