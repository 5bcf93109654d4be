package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests a well-behaved client never sends, against a server on a loopback port. Each gets an
 * error response or a bounded refusal, and the server keeps serving a well-behaved client.
 */
class HostileInputIT {
  private static final int MAX_CONNECTIONS = 20;
  private static final int MAX_REQUEST_BYTES = 1 << 20;
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

  @TempDir
  Path data;
  private ShaleServer server;
  private String url;
  private URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ProtobufTranslation protobuf = new ProtobufTranslationImpl();

  @BeforeEach
  void start() throws SQLException {
    // Long enough that no test's connection expires while it works; the vanishing-client test
    // restarts the server with a short one.
    start(Duration.ofMinutes(10));
  }

  private void start(Duration idleTimeout) throws SQLException {
    server = ShaleServer.start(new ServerConfig("127.0.0.1", 0, -1, data, MAX_CONNECTIONS, MAX_REQUEST_BYTES,
        idleTimeout, 16), RequestAuthenticator.ALLOW_ALL, Clock.systemUTC());
    url = "jdbc:shaledb://127.0.0.1:" + server.port();
    endpoint = URI.create("http://127.0.0.1:" + server.port() + "/");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, v VARCHAR(20))");
      s.execute("DELETE FROM t");
      s.execute("INSERT INTO t VALUES (1, 'one')");
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bodyThatIsNotProtobufGetsAnErrorResponse() throws Exception {
    HttpResponse<byte[]> response = post("this is not protobuf at all \u0000\u00ff".getBytes());
    assertEquals(500, response.statusCode());
    assertInstanceOf(Service.ErrorResponse.class, protobuf.parseResponse(response.body()));
    assertStillServing();
  }

  @Test
  void truncatedBodyGetsAnErrorResponse() throws Exception {
    byte[] whole = protobuf.serializeRequest(new Service.PrepareAndExecuteRequest(UUID.randomUUID().toString(), 0,
        "SELECT * FROM t WHERE v = 'a rather long literal to cut in the middle'", -1));
    HttpResponse<byte[]> response = post(Arrays.copyOf(whole, whole.length / 2));
    assertEquals(500, response.statusCode());
    assertInstanceOf(Service.ErrorResponse.class, protobuf.parseResponse(response.body()));
    assertStillServing();
  }

  @Test
  void unknownConnectionAndStatementIdsAreRefused() throws Exception {
    Service.Response unknownConnection = call(new Service.PrepareAndExecuteRequest("no-such-connection", 0,
        "SELECT 1", -1));
    Service.ErrorResponse error = assertInstanceOf(Service.ErrorResponse.class, unknownConnection);
    assertEquals("08003", error.sqlState);

    String connectionId = UUID.randomUUID().toString();
    call(new Service.OpenConnectionRequest(connectionId, Map.of()));
    Service.Response unknownStatement = call(new Service.FetchRequest(connectionId, 12345, 0, 100));
    assertTrue(((Service.FetchResponse) unknownStatement).missingStatement);
    Service.Response unknownExecute = call(new Service.PrepareAndExecuteRequest(connectionId, 999, "SELECT 1", -1));
    assertTrue(((Service.ExecuteResponse) unknownExecute).missingStatement);
    call(new Service.CloseConnectionRequest(connectionId));
    assertStillServing();
  }

  @Test
  void hundredMegabyteStatementIsRefusedWithoutBeingRead() throws Exception {
    StringBuilder sql = new StringBuilder(100 * 1024 * 1024 + 64).append("SELECT '");
    char[] chunk = new char[1024 * 1024];
    Arrays.fill(chunk, 'x');
    for (int i = 0; i < 100; i++) {
      sql.append(chunk);
    }
    sql.append("' FROM t");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery(sql.toString()));
      assertEquals("54000", refused.getSQLState());
      assertTrue(refused.getMessage().contains("max-request-bytes"), refused.getMessage());
      // The same connection goes on working.
      try (ResultSet rs = s.executeQuery("SELECT v FROM t")) {
        assertTrue(rs.next());
      }
    }
    assertStillServing();
  }

  @Test
  void tenThousandConnectionsFromOneClientAreBoundedByTheLimit() throws Exception {
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 10_000; i++) {
      Service.Response response = call(new Service.OpenConnectionRequest("flood-" + i, Map.of()));
      if (response instanceof Service.ErrorResponse error) {
        assertEquals("53300", error.sqlState);
        refused++;
      } else {
        accepted++;
      }
    }
    assertEquals(MAX_CONNECTIONS, accepted, "accepted connections");
    assertEquals(10_000 - MAX_CONNECTIONS, refused);
    assertEquals(MAX_CONNECTIONS, server.openConnections());
    SQLException full = assertThrows(SQLException.class, () -> DriverManager.getConnection(url));
    assertEquals("53300", full.getSQLState());
    // Closing one frees its slot for someone else.
    call(new Service.CloseConnectionRequest("flood-0"));
    assertStillServing();
  }

  @Test
  void clientThatVanishesMidTransactionIsRolledBackAndReleasedAfterTheIdleTimeout() throws Exception {
    server.close();
    start(IDLE_TIMEOUT);
    Connection vanishing = DriverManager.getConnection(url);
    vanishing.setAutoCommit(false);
    try (Statement s = vanishing.createStatement()) {
      s.executeUpdate("INSERT INTO t VALUES (2, 'uncommitted')");
      s.executeUpdate("UPDATE t SET v = 'changed' WHERE id = 1");
    }
    assertEquals(1, server.openConnections());
    // The client goes away without closing or committing. Nothing it wrote is visible meanwhile.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (server.openConnections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, server.openConnections(), "the idle connection should have been closed");
    SQLException gone = assertThrows(SQLException.class, () -> {
      try (Statement s = vanishing.createStatement()) {
        s.executeQuery("SELECT 1");
      }
    });
    assertEquals("08003", gone.getSQLState());
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT v FROM t ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("one", rs.getString(1));
        assertFalse(rs.next());
      }
      // Its writes are gone and hold nothing: the same keys can be written now.
      s.executeUpdate("INSERT INTO t VALUES (2, 'two')");
      s.executeUpdate("UPDATE t SET v = 'uno' WHERE id = 1");
    }
  }

  private void assertStillServing() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 1")) {
      assertTrue(rs.next());
      assertEquals("one", rs.getString(1));
    }
  }

  private Service.Response call(Service.Request request) throws IOException, InterruptedException {
    return protobuf.parseResponse(post(protobuf.serializeRequest(request)).body());
  }

  private HttpResponse<byte[]> post(byte[] body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
