package io.shaledb.cluster.server;

import io.shaledb.cluster.node.ClusterConfig;
import io.shaledb.cluster.raft.RaftSettings;
import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.sql.meta.UserLimits;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How a ShaleDB server runs. Built from command-line options, optionally on top of a properties
 * file ({@code --config FILE}); an option given on the command line wins over the file. Keys in
 * the file are the option names without the leading dashes, e.g. {@code port=8765}.
 *
 * @param host the interface the client endpoint binds to
 * @param port the client endpoint's port (Avatica protobuf over HTTP); 0 picks a free port
 * @param jsonPort the port of the optional Avatica JSON endpoint, or -1 for none; 0 picks a free port
 * @param dataDirectory where the node keeps its data; created if missing
 * @param maxConnections JDBC connections open at once; more are refused with SQLSTATE 53300
 * @param maxRequestBytes largest request body accepted; larger ones are refused with SQLSTATE 54000
 * @param idleTimeout a connection without requests for this long is closed and its transaction rolled back
 * @param httpThreadsMax threads serving requests at once; further requests wait for one
 * @param tlsKeystore a PKCS12 or JKS key store with the server's key and certificate: when given,
 *     every endpoint speaks HTTPS only; null for plain HTTP
 * @param tlsPassword the key store's password (also the key's), or null without TLS
 * @param adminPassword the admin user's password if the database has no admin yet (first start);
 *     null to take it from {@code SHALEDB_ADMIN_PASSWORD} or generate one
 * @param cluster how the node takes part in a multi-node cluster; null for a single node
 * @param userLimits connections and running statements per user, and connections kept for the admin
 * @param requestReadTimeout how long a request's body may take to arrive; a slower one is refused
 *     and its connection closed. Bodies are read without holding a thread, so slow ones cannot
 *     starve the others; this bounds the memory and sockets they hold.
 * @param testClockOffsetFile test-only ({@value #TEST_CLOCK_OFFSET_FILE}): the node's clock runs
 *     ahead by the milliseconds this file holds; null for the plain clock
 */
public record ServerConfig(String host, int port, int jsonPort, Path dataDirectory, int maxConnections,
    int maxRequestBytes, Duration idleTimeout, int httpThreadsMax, Path tlsKeystore, String tlsPassword,
    String adminPassword, ClusterConfig cluster, UserLimits userLimits, Duration requestReadTimeout,
    Path testClockOffsetFile) {

  /** Environment variable with the cluster secret, if --cluster-secret is not given. */
  public static final String CLUSTER_SECRET_VARIABLE = "SHALEDB_CLUSTER_SECRET";

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 8765;
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("./shaledb-data");
  public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  public static final int DEFAULT_HTTP_THREADS_MAX = 64;
  public static final int DEFAULT_RPC_PORT = 7654;
  /** The Raft port defaults to the RPC port plus this, so nodes sharing a host differ in both. */
  public static final int RAFT_PORT_OFFSET = 100;
  public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * For fault tests only, and so missing from {@link #OPTIONS} and the usage message: a file holding
   * a number of milliseconds (possibly negative) that the node adds to its wall clock, re-read
   * while it runs, so a test can step one node's clock.
   */
  public static final String TEST_CLOCK_OFFSET_FILE = "test-clock-offset-file";

  /** The options {@link #parse} understands, with what they mean, for usage messages. */
  public static final Map<String, String> OPTIONS = options();

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(userLimits, "userLimits");
    Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
    if (requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
      throw new IllegalArgumentException("request-read-timeout-seconds must be positive");
    }
    if (userLimits.reservedAdminConnections() >= maxConnections) {
      throw new IllegalArgumentException("reserved-admin-connections must be less than max-connections");
    }
    checkPort("port", port);
    if (jsonPort != -1) {
      checkPort("json-port", jsonPort);
    }
    if (maxConnections < 1 || maxRequestBytes < 1024 || httpThreadsMax < 4) {
      throw new IllegalArgumentException("max-connections must be positive, max-request-bytes at least 1024, "
          + "http-threads at least 4");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idle-timeout-seconds must be positive");
    }
    if ((tlsKeystore == null) != (tlsPassword == null)) {
      throw new IllegalArgumentException("tls-keystore and tls-password go together");
    }
  }

  /** Plain HTTP, admin password from the environment or generated. */
  public ServerConfig(String host, int port, int jsonPort, Path dataDirectory, int maxConnections,
      int maxRequestBytes, Duration idleTimeout, int httpThreadsMax) {
    this(host, port, jsonPort, dataDirectory, maxConnections, maxRequestBytes, idleTimeout, httpThreadsMax, null, null,
        null, null, defaultUserLimits(maxConnections), DEFAULT_REQUEST_READ_TIMEOUT, null);
  }

  /** The default user limits, the admin reserve shrunk for a server allowing very few connections. */
  private static UserLimits defaultUserLimits(int maxConnections) {
    UserLimits d = UserLimits.DEFAULTS;
    return new UserLimits(d.maxConnectionsPerUser(),
        Math.max(0, Math.min(d.reservedAdminConnections(), maxConnections - 1)), d.maxStatementsInFlightPerUser());
  }

  /** This configuration with other per-user limits. */
  public ServerConfig withUserLimits(UserLimits limits) {
    return new ServerConfig(host, port, jsonPort, dataDirectory, maxConnections, maxRequestBytes, idleTimeout,
        httpThreadsMax, tlsKeystore, tlsPassword, adminPassword, cluster, limits, requestReadTimeout,
        testClockOffsetFile);
  }

  /** This configuration serving HTTPS with the key and certificate in {@code keystore}. */
  public ServerConfig withTls(Path keystore, String password) {
    return new ServerConfig(host, port, jsonPort, dataDirectory, maxConnections, maxRequestBytes, idleTimeout,
        httpThreadsMax, keystore, password, adminPassword, cluster, userLimits, requestReadTimeout,
        testClockOffsetFile);
  }

  /** This configuration with the admin password for the first start. */
  public ServerConfig withAdminPassword(String password) {
    return new ServerConfig(host, port, jsonPort, dataDirectory, maxConnections, maxRequestBytes, idleTimeout,
        httpThreadsMax, tlsKeystore, tlsPassword, password, cluster, userLimits, requestReadTimeout,
        testClockOffsetFile);
  }

  /** Whether the endpoints speak HTTPS. */
  public boolean tls() {
    return tlsKeystore != null;
  }

  /** Shows the settings but never the passwords, so a logged configuration gives nothing away. */
  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", jsonPort=" + jsonPort + ", dataDirectory="
        + dataDirectory + ", maxConnections=" + maxConnections + ", maxRequestBytes=" + maxRequestBytes
        + ", idleTimeout=" + idleTimeout + ", httpThreadsMax=" + httpThreadsMax + ", userLimits=" + userLimits
        + ", requestReadTimeout=" + requestReadTimeout + ", tlsKeystore=" + tlsKeystore
        + ", tlsPassword=" + (tlsPassword == null ? "none" : "***") + ", adminPassword="
        + (adminPassword == null ? "none" : "***") + ", cluster=" + cluster
        + (testClockOffsetFile == null ? "" : ", testClockOffsetFile=" + testClockOffsetFile) + "]";
  }

  private static Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("host", "interface to listen on (default " + DEFAULT_HOST + ")");
    options.put("port", "port of the JDBC endpoint, Avatica protobuf over HTTP (default " + DEFAULT_PORT + ")");
    options.put("data", "data directory (default " + DEFAULT_DATA_DIRECTORY + ")");
    options.put("json-port", "also serve Avatica's JSON protocol on this port (default: off)");
    options.put("max-connections", "JDBC connections open at once (default " + DEFAULT_MAX_CONNECTIONS + ")");
    options.put("max-request-bytes", "largest request accepted (default " + DEFAULT_MAX_REQUEST_BYTES + ")");
    options.put("idle-timeout-seconds", "close connections idle this long, rolling back their transaction "
        + "(default " + DEFAULT_IDLE_TIMEOUT.toSeconds() + ")");
    options.put("http-threads", "requests served at once (default " + DEFAULT_HTTP_THREADS_MAX + ")");
    options.put("max-connections-per-user", "connections one user may hold; the admin is exempt (default "
        + UserLimits.DEFAULT_MAX_CONNECTIONS_PER_USER + ")");
    options.put("reserved-admin-connections", "of max-connections, how many only the admin may use (default "
        + UserLimits.DEFAULT_RESERVED_ADMIN_CONNECTIONS + ")");
    options.put("max-statements-per-user", "requests one user may have running at once; the admin is exempt "
        + "(default " + UserLimits.DEFAULT_MAX_STATEMENTS_IN_FLIGHT_PER_USER + ")");
    options.put("request-read-timeout-seconds", "a request whose body takes longer to arrive is refused (default "
        + DEFAULT_REQUEST_READ_TIMEOUT.toSeconds() + ")");
    options.put("tls-keystore", "serve HTTPS with the key and certificate in this PKCS12/JKS key store");
    options.put("tls-password", "password of the tls-keystore");
    options.put("admin-password", "password of the admin user, set at the first start only (default: "
        + "SHALEDB_ADMIN_PASSWORD, else generated and printed once)");
    options.put("node-id", "this node's id in a cluster; node 1 creates the cluster's metadata group at its first "
        + "start and stores the catalog and users (default: single node, no cluster)");
    options.put("rpc-port", "port for the other nodes of the cluster (default " + DEFAULT_RPC_PORT + " in a cluster)");
    options.put("rpc-host", "interface the cluster and Raft ports listen on (default: --host)");
    options.put("raft-port", "Raft port of the metadata group, mutual TLS keyed by the cluster secret (default: "
        + "--rpc-port + " + RAFT_PORT_OFFSET + ", so " + (DEFAULT_RPC_PORT + RAFT_PORT_OFFSET) + ")");
    options.put("election-timeout-ms", "Raft: silence from the leader after which a follower may start an election, "
        + "randomized between this and twice it (default " + RaftSettings.DEFAULT_ELECTION_TIMEOUT_MIN.toMillis() + ")");
    options.put("advertise-host", "host name other nodes reach this one by (default: --rpc-host, or the "
        + "machine's name if that is a wildcard)");
    options.put("join", "host:rpc-port,... of nodes already in the cluster (node 1's at least); not for node 1");
    options.put("cluster-secret", "secret all nodes of the cluster share, 16 bytes at least (default: "
        + CLUSTER_SECRET_VARIABLE + ")");
    options.put("config", "properties file with any of these keys; options on the command line win");
    return Map.copyOf(options);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, -1, DEFAULT_DATA_DIRECTORY, DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_REQUEST_BYTES, DEFAULT_IDLE_TIMEOUT, DEFAULT_HTTP_THREADS_MAX);
  }

  /**
   * Parses {@code --name value} options (and {@code --name=value}).
   *
   * @throws IllegalArgumentException with a message for the user if an option is unknown or malformed
   * @throws IOException if the {@code --config} file cannot be read
   */
  public static ServerConfig parse(List<String> args) throws IOException {
    return parse(args, Map.of());
  }

  /**
   * As {@link #parse(List)}, taking the cluster secret from {@code environment} ({@value
   * #CLUSTER_SECRET_VARIABLE}) when no option gives it.
   */
  public static ServerConfig parse(List<String> args, Map<String, String> environment) throws IOException {
    Map<String, String> given = new LinkedHashMap<>();
    List<String> list = new ArrayList<>(args);
    for (int i = 0; i < list.size(); i++) {
      String arg = list.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (i + 1 < list.size()) {
        value = list.get(++i);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (!OPTIONS.containsKey(name) && !name.equals(TEST_CLOCK_OFFSET_FILE)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      given.put(name, value);
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (given.containsKey("config")) {
      Path file = Path.of(given.get("config"));
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      for (String name : properties.stringPropertyNames()) {
        if (!OPTIONS.containsKey(name) || name.equals("config")) {
          throw new IllegalArgumentException("unknown key '" + name + "' in " + file);
        }
        values.put(name, properties.getProperty(name).trim());
      }
    }
    values.putAll(given);
    String environmentSecret = environment.get(CLUSTER_SECRET_VARIABLE);
    if (!values.containsKey("cluster-secret") && environmentSecret != null && !environmentSecret.isEmpty()) {
      values.put("cluster-secret", environmentSecret);
    }
    return fromValues(values);
  }

  private static ServerConfig fromValues(Map<String, String> values) {
    ServerConfig d = defaults();
    return new ServerConfig(
        values.getOrDefault("host", d.host()),
        integer(values, "port", d.port()),
        integer(values, "json-port", d.jsonPort()),
        values.containsKey("data") ? Path.of(values.get("data")) : d.dataDirectory(),
        integer(values, "max-connections", d.maxConnections()),
        integer(values, "max-request-bytes", d.maxRequestBytes()),
        Duration.ofSeconds(integer(values, "idle-timeout-seconds", (int) d.idleTimeout().toSeconds())),
        integer(values, "http-threads", d.httpThreadsMax()),
        values.containsKey("tls-keystore") ? Path.of(values.get("tls-keystore")) : null,
        values.get("tls-password"),
        values.get("admin-password"),
        clusterConfig(values),
        new UserLimits(integer(values, "max-connections-per-user", d.userLimits().maxConnectionsPerUser()),
            integer(values, "reserved-admin-connections", defaultUserLimits(integer(values, "max-connections",
                d.maxConnections())).reservedAdminConnections()),
            integer(values, "max-statements-per-user", d.userLimits().maxStatementsInFlightPerUser())),
        Duration.ofSeconds(integer(values, "request-read-timeout-seconds",
            (int) d.requestReadTimeout().toSeconds())),
        values.containsKey(TEST_CLOCK_OFFSET_FILE) ? Path.of(values.get(TEST_CLOCK_OFFSET_FILE)) : null);
  }

  private static ClusterConfig clusterConfig(Map<String, String> values) {
    if (!values.containsKey("node-id") && !values.containsKey("rpc-port") && !values.containsKey("join")) {
      for (String clusterOnly : List.of("rpc-host", "advertise-host", "raft-port", "election-timeout-ms")) {
        if (values.containsKey(clusterOnly)) {
          throw new IllegalArgumentException("--" + clusterOnly + " needs --node-id (cluster mode)");
        }
      }
      return null;
    }
    if (!values.containsKey("node-id")) {
      throw new IllegalArgumentException("a cluster node needs --node-id");
    }
    String secret = values.get("cluster-secret");
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a cluster node needs the cluster secret: --cluster-secret or "
          + CLUSTER_SECRET_VARIABLE);
    }
    String rpcHost = values.getOrDefault("rpc-host", values.getOrDefault("host", DEFAULT_HOST));
    String advertised = values.get("advertise-host");
    if (advertised == null) {
      advertised = isWildcard(rpcHost) ? localHostName() : rpcHost;
    }
    List<PeerAddress> join = new ArrayList<>();
    for (String address : values.getOrDefault("join", "").split(",")) {
      if (!address.isBlank()) {
        join.add(PeerAddress.parse(address.trim()));
      }
    }
    int rpcPort = integer(values, "rpc-port", DEFAULT_RPC_PORT);
    int raftPort = integer(values, "raft-port", rpcPort == 0 ? 0 : rpcPort + RAFT_PORT_OFFSET);
    Duration electionTimeout = Duration.ofMillis(
        integer(values, "election-timeout-ms", (int) RaftSettings.DEFAULT_ELECTION_TIMEOUT_MIN.toMillis()));
    if (electionTimeout.toMillis() < 100 || electionTimeout.toMillis() > 60_000) {
      throw new IllegalArgumentException("--election-timeout-ms must be between 100 and 60000: " + electionTimeout.toMillis());
    }
    return new ClusterConfig(integer(values, "node-id", 0), rpcHost, rpcPort,
        advertised, join, secret.getBytes(StandardCharsets.UTF_8), ClusterConfig.DEFAULT_JOIN_TIMEOUT,
        ClusterConfig.DEFAULT_REQUEST_TIMEOUT, raftPort, electionTimeout, electionTimeout.multipliedBy(2));
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("cannot tell this machine's host name; give --advertise-host", e);
    }
  }

  private static int integer(Map<String, String> values, String name, int defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
    }
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be between 0 and 65535, not " + port);
    }
  }

  public ServerConfig withPorts(int port, int jsonPort) {
    return new ServerConfig(host, port, jsonPort, dataDirectory, maxConnections, maxRequestBytes, idleTimeout,
        httpThreadsMax, tlsKeystore, tlsPassword, adminPassword, cluster, userLimits,
        requestReadTimeout, testClockOffsetFile);
  }

  /** This configuration as node of a cluster. */
  public ServerConfig withCluster(ClusterConfig clusterConfig) {
    return new ServerConfig(host, port, jsonPort, dataDirectory, maxConnections, maxRequestBytes, idleTimeout,
        httpThreadsMax, tlsKeystore, tlsPassword, adminPassword, clusterConfig, userLimits,
        requestReadTimeout, testClockOffsetFile);
  }
}
