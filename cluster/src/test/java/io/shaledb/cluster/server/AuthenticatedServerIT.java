package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with HTTPS (a key store made by keytool for this test) and HTTP BASIC authentication
 * against the database's users: the remote driver over TLS, refused credentials, privileges across
 * the wire, connections bound to the user who opened them, and the admin user's first start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedServerIT {
  private static final String STORE_PASSWORD = "keystore-secret";
  private static final String ADMIN_PASSWORD = "admin-secret";

  @TempDir
  static Path directory;

  private Path truststore;
  private ShaleServer server;
  private String url;

  @BeforeAll
  void start() throws Exception {
    Path keystore = directory.resolve("server.p12");
    truststore = directory.resolve("trust.p12");
    Path certificate = directory.resolve("server.cer");
    keytool("-genkeypair", "-alias", "shaledb", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    keytool("-exportcert", "-alias", "shaledb", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
        "-file", certificate.toString());
    keytool("-importcert", "-noprompt", "-alias", "shaledb", "-file", certificate.toString(), "-storetype", "PKCS12",
        "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD);
    ServerConfig config = new ServerConfig("127.0.0.1", 0, 0, directory.resolve("data"), 50, 1 << 20,
        Duration.ofMinutes(5), 16).withTls(keystore, STORE_PASSWORD).withAdminPassword(ADMIN_PASSWORD);
    server = ShaleServer.start(config, Clock.systemUTC());
    url = "jdbc:shaledb://127.0.0.1:" + server.port() + "?ssl=true";
    try (Statement admin = connect("admin", ADMIN_PASSWORD).createStatement()) {
      admin.execute("CREATE USER bob PASSWORD 'bob-secret'");
      admin.execute("CREATE USER carol PASSWORD 'carol-secret'");
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool hung");
    assertEquals(0, process.exitValue(), "keytool " + String.join(" ", args) + ":\n" + output);
  }

  private Connection connect(String user, String password) throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
      properties.setProperty("password", password);
    }
    properties.setProperty("truststore", truststore.toString());
    properties.setProperty("truststore_password", STORE_PASSWORD);
    return DriverManager.getConnection(url, properties);
  }

  @Test
  void onlyAeadCipherSuitesAreOffered() throws Exception {
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(truststore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    trust.init(store);
    context.init(null, trust.getTrustManagers(), null);
    for (String cbc : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")) {
      try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
          .createSocket("127.0.0.1", server.port())) {
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setEnabledCipherSuites(new String[] {cbc});
        assertThrows(javax.net.ssl.SSLException.class, socket::startHandshake, cbc);
      }
    }
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
      socket.startHandshake();
      assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", socket.getSession().getCipherSuite());
    }
  }

  @Test
  void theDriverConnectsOverHttpsWithValidCredentials() throws SQLException {
    assertFalse(server.generatedAdminPassword().isPresent(), "the password was given");
    try (Connection c = connect("admin", ADMIN_PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tls_rows (id INT PRIMARY KEY, v VARCHAR(10))");
      s.execute("INSERT INTO tls_rows VALUES (1, 'secret')");
      try (ResultSet rs = s.executeQuery("SELECT v FROM tls_rows WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals("secret", rs.getString(1));
      }
    }
  }

  @Test
  void requestsWithoutValidCredentialsAreRefused() throws Exception {
    assertThrows(SQLException.class, () -> connect(null, null).close());
    assertThrows(SQLException.class, () -> connect("admin", "wrong").close());
    assertThrows(SQLException.class, () -> connect("nobody", ADMIN_PASSWORD).close());

    HttpReply anonymous = post(server.jsonPort(), null, "{\"request\":\"openConnection\",\"connectionId\":\"x\"}");
    assertEquals(401, anonymous.status());
    assertTrue(anonymous.challenge().startsWith("Basic"), anonymous.challenge());
    assertTrue(anonymous.body().contains("28000"), anonymous.body());
    assertEquals(401, post(server.jsonPort(), basic("bob", "not-bobs"),
        "{\"request\":\"openConnection\",\"connectionId\":\"x\"}").status());
  }

  @Test
  void plainHttpAndUntrustedCertificatesAreRefused() {
    Properties plain = new Properties();
    plain.setProperty("user", "admin");
    plain.setProperty("password", ADMIN_PASSWORD);
    // Bounded, so a server that fails to answer fails the test instead of hanging it.
    plain.setProperty("http_response_timeout", "10000");
    SQLException http = assertThrows(SQLException.class, () ->
        DriverManager.getConnection("jdbc:shaledb://127.0.0.1:" + server.port(), plain).close());
    assertTrue(http.getMessage().contains("ssl=true"), http.getMessage());
    assertEquals("28000", http.getSQLState());
    Properties untrusted = new Properties();
    untrusted.putAll(plain);
    assertThrows(SQLException.class, () -> DriverManager.getConnection(url, untrusted).close(),
        "a self-signed certificate must not be trusted without the trust store");
  }

  @Test
  void privilegesAndTheirSqlStatesCrossTheWire() throws SQLException {
    try (Statement admin = connect("admin", ADMIN_PASSWORD).createStatement();
        Connection bob = connect("bob", "bob-secret"); Statement s = bob.createStatement()) {
      admin.execute("CREATE TABLE wire (id INT PRIMARY KEY)");
      admin.execute("INSERT INTO wire VALUES (1)");
      SQLException denied = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM wire"));
      assertEquals("42501", denied.getSQLState(), denied.getMessage());
      assertEquals("42501", assertThrows(SQLException.class, () -> s.execute("CREATE USER eve PASSWORD 'x'"))
          .getSQLState());
      assertEquals("42501", assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM wire"))
          .getSQLState());
      admin.execute("GRANT SELECT ON wire TO bob");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM wire")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      admin.getConnection().close();
    }
  }

  @Test
  void aConnectionServesOnlyTheUserWhoOpenedIt() throws Exception {
    String bob = basic("bob", "bob-secret");
    String carol = basic("carol", "carol-secret");
    assertEquals(200, post(server.jsonPort(), bob, "{\"request\":\"openConnection\",\"connectionId\":\"bobs\"}")
        .status());
    HttpReply stolen = post(server.jsonPort(), carol, "{\"request\":\"createStatement\",\"connectionId\":\"bobs\"}");
    assertEquals(500, stolen.status());
    assertTrue(stolen.body().contains("08003"), stolen.body());
    HttpReply closeAttempt = post(server.jsonPort(), carol,
        "{\"request\":\"closeConnection\",\"connectionId\":\"bobs\"}");
    assertEquals(200, closeAttempt.status(), "closing an unknown connection is quietly accepted");
    HttpReply own = post(server.jsonPort(), bob, "{\"request\":\"createStatement\",\"connectionId\":\"bobs\"}");
    assertEquals(200, own.status(), own.body());
    post(server.jsonPort(), bob, "{\"request\":\"closeConnection\",\"connectionId\":\"bobs\"}");
  }

  @Test
  void theFirstStartWithoutAPasswordGeneratesOneOnlyOnce() throws SQLException {
    Path data = directory.resolve("fresh");
    ServerConfig config = new ServerConfig("127.0.0.1", 0, -1, data, 10, 1 << 20, Duration.ofMinutes(5), 8);
    String generated;
    try (ShaleServer first = ShaleServer.start(config, Clock.systemUTC())) {
      Optional<String> password = first.generatedAdminPassword();
      assertTrue(password.isPresent());
      generated = password.get();
    }
    try (ShaleServer second = ShaleServer.start(config.withAdminPassword("ignored, admin exists"),
        Clock.systemUTC())) {
      assertEquals(Optional.empty(), second.generatedAdminPassword());
      try (Connection c = DriverManager.getConnection("jdbc:shaledb://127.0.0.1:" + second.port(), "admin",
          generated)) {
        assertTrue(c.isValid(5));
      }
      assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:shaledb://127.0.0.1:" + second.port(),
          "admin", "ignored, admin exists").close());
    }
  }

  private record HttpReply(int status, String challenge, String body) {}

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs an Avatica JSON request over HTTPS, trusting the test's certificate. */
  private HttpReply post(int port, String authorization, String json) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(truststore)) {
      trusted.load(in, STORE_PASSWORD.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    HttpsURLConnection http = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/").toURL()
        .openConnection();
    http.setSSLSocketFactory(tls.getSocketFactory());
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    if (authorization != null) {
      http.setRequestProperty("Authorization", authorization);
    }
    try (OutputStream out = http.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    int status = http.getResponseCode();
    String body;
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String challenge = http.getHeaderField("WWW-Authenticate");
    return new HttpReply(status, challenge == null ? "" : challenge, body);
  }
}
