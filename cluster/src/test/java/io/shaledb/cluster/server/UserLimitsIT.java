package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.meta.UserLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one login may take of a server: connections and statements running at once per user, with
 * connections kept for the admin; and connection ids that one user cannot take over from another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserLimitsIT {
  private static final String ADMIN_PASSWORD = "limits-admin";
  private static final int MAX_CONNECTIONS = 10;
  private static final int PER_USER = 5;
  private static final int RESERVED = 2;

  @TempDir
  static Path data;
  private ShaleServer server;
  private String url;
  private final List<Connection> opened = new ArrayList<>();

  @BeforeAll
  void start() throws SQLException {
    ServerConfig config = new ServerConfig("127.0.0.1", 0, 0, data, MAX_CONNECTIONS, 1 << 20, Duration.ofMinutes(5),
        16).withAdminPassword(ADMIN_PASSWORD).withUserLimits(new UserLimits(PER_USER, RESERVED, 1));
    server = ShaleServer.start(config, Clock.systemUTC());
    url = "jdbc:shaledb://127.0.0.1:" + server.port();
    try (Connection admin = connect("admin", ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE USER bob PASSWORD 'bob-pw'");
      s.execute("CREATE USER carol PASSWORD 'carol-pw'");
      s.execute("CREATE TABLE n (id INT PRIMARY KEY)");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        values.append(i == 0 ? "" : ", ").append('(').append(i).append(')');
      }
      s.execute("INSERT INTO n VALUES " + values);
      s.execute("GRANT SELECT ON n TO bob");
    }
  }

  @AfterEach
  void closeOpened() throws SQLException {
    for (Connection c : opened) {
      c.close();
    }
    opened.clear();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Connection connect(String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return DriverManager.getConnection(url, properties);
  }

  private Connection open(String user, String password) throws SQLException {
    Connection c = connect(user, password);
    opened.add(c);
    return c;
  }

  @Test
  void oneUserCannotTakeEveryConnectionAndTheAdminKeepsRoom() throws SQLException {
    for (int i = 0; i < PER_USER; i++) {
      open("bob", "bob-pw");
    }
    SQLException bobs = assertThrows(SQLException.class, () -> open("bob", "bob-pw"));
    assertEquals("53300", bobs.getSQLState(), bobs.getMessage());
    assertTrue(bobs.getMessage().contains("max-connections-per-user"), bobs.getMessage());

    // carol may use what is left of the server's limit, but not the admin's reserve.
    for (int i = 0; i < MAX_CONNECTIONS - RESERVED - PER_USER; i++) {
      open("carol", "carol-pw");
    }
    SQLException carols = assertThrows(SQLException.class, () -> open("carol", "carol-pw"));
    assertEquals("53300", carols.getSQLState(), carols.getMessage());

    List<Connection> admins = new ArrayList<>();
    for (int i = 0; i < RESERVED; i++) {
      admins.add(connect("admin", ADMIN_PASSWORD));
      try (Statement s = admins.get(i).createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
    }
    assertEquals(MAX_CONNECTIONS, server.openConnections());
    for (Connection admin : admins) {
      admin.close();
    }

    // Closing one of bob's connections lets him open one again.
    opened.remove(0).close();
    open("bob", "bob-pw");
  }

  @Test
  void oneUserMayRunOnlySoManyStatementsAtOnce() throws Exception {
    Connection first = open("bob", "bob-pw");
    Connection second = open("bob", "bob-pw");
    Statement slow = first.createStatement();
    CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> {
      try (ResultSet rs = slow.executeQuery("SELECT COUNT(*) FROM n a, n b, n c WHERE a.id + b.id + c.id = -1")) {
        rs.next();
        return null;
      } catch (SQLException e) {
        return e;
      }
    });
    // Give the slow statement time to start, so that it is not the one refused.
    Thread.sleep(1_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    SQLException refused = null;
    while (refused == null && !running.isDone() && System.nanoTime() < deadline) {
      try (Statement s = second.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        rs.next();
        Thread.sleep(20);
      } catch (SQLException e) {
        refused = e;
      }
    }
    assertFalse(running.isDone(), () -> "the slow statement ended before a second one was refused: " + running.join());
    assertTrue(refused != null, "no statement was refused while another ran");
    assertEquals("53400", refused.getSQLState(), refused.getMessage());
    slow.cancel();
    SQLException cancelled = running.get(30, TimeUnit.SECONDS);
    assertEquals("57014", cancelled == null ? null : cancelled.getSQLState());

    // The admin is not limited, and bob may run statements again once his first is over.
    try (Statement s = second.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
    }
  }

  @Test
  void aConnectionIdAnotherUserHoldsIsRefusedAtOpen() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String open = "{\"request\":\"openConnection\",\"connectionId\":\"taken-id\"}";
    HttpResponse<String> bobs = json(http, "bob", "bob-pw", open);
    assertEquals(200, bobs.statusCode(), bobs.body());
    HttpResponse<String> carols = json(http, "carol", "carol-pw", open);
    assertEquals(500, carols.statusCode(), carols.body());
    assertTrue(carols.body().contains("42710"), carols.body());
    // bob still owns it, and opening it again is harmless for him.
    assertEquals(200, json(http, "bob", "bob-pw", open).statusCode());
    assertEquals(200, json(http, "bob", "bob-pw",
        "{\"request\":\"closeConnection\",\"connectionId\":\"taken-id\"}").statusCode());
  }

  @Test
  void errorResponsesCarryNoServerStackTraces() throws Exception {
    HttpResponse<String> missing = json(HttpClient.newHttpClient(), "bob", "bob-pw",
        "{\"request\":\"createStatement\",\"connectionId\":\"no-such-connection\"}");
    assertEquals(500, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("08003"), missing.body());
    assertFalse(missing.body().contains("at io.shaledb") || missing.body().contains("at org.apache"), missing.body());
    assertTrue(missing.body().contains("\"exceptions\":[]"), missing.body());

    try (Connection c = open("bob", "bob-pw"); Statement s = c.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> s.executeQuery("SELEC 1"));
      assertEquals("42601", syntax.getSQLState());
      org.apache.calcite.avatica.AvaticaSqlException avatica = null;
      for (Throwable t = syntax; t != null; t = t.getCause()) {
        if (t instanceof org.apache.calcite.avatica.AvaticaSqlException found) {
          avatica = found;
        }
      }
      if (avatica != null) {
        assertEquals(List.of(), avatica.getStackTraces());
      }
      java.io.StringWriter trace = new java.io.StringWriter();
      syntax.printStackTrace(new java.io.PrintWriter(trace));
      assertFalse(trace.toString().contains("ShaleSqlParser"), trace.toString());
    }
  }

  private HttpResponse<String> json(HttpClient http, String user, String password, String body) throws Exception {
    String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.jsonPort() + "/"))
        .header("Authorization", "Basic " + credentials)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
