package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.embedded.DriverErrorMessagesTest;
import io.shaledb.cluster.embedded.TextAndColumnNamesTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text in any language and clean errors through the remote driver, against a server process on loopback. */
class RemoteTextAndErrorsIT {
  @TempDir
  static Path data;
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start(data);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
  }

  @Test
  void textInAnyLanguageRoundTrips() throws SQLException {
    try (Connection c = connect()) {
      TextAndColumnNamesTest.roundTripText(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT '青花瓷茶杯' AS value, COUNT(*) FROM words WHERE word LIKE '%😀%'")) {
        assertTrue(rs.next());
        assertEquals("青花瓷茶杯", rs.getString("value"));
        assertEquals(1, rs.getInt("count"));
      }
    }
  }

  @Test
  void errorsArriveWithOneCleanMessageAndTheirSqlState() throws SQLException {
    try (Connection c = connect()) {
      DriverErrorMessagesTest.checkCleanErrors(c);
    }
  }

  @Test
  void aLogWriterDoesNotHideErrors() throws SQLException {
    PrintWriter previous = DriverManager.getLogWriter();
    DriverManager.setLogWriter(new PrintWriter(new StringWriter()));
    try (Connection c = connect(); Statement s = c.createStatement()) {
      SQLException error = assertThrows(SQLException.class, () -> s.execute("SELEC 1"));
      assertEquals("42601", error.getSQLState(), error.getMessage());
    } finally {
      DriverManager.setLogWriter(previous);
    }
  }

  @Test
  void aWrongPasswordIs28P01WithAPlainMessage() {
    SQLException error = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(server.url(), "admin", "not the password"));
    assertEquals("28P01", error.getSQLState(), error.getMessage());
    assertTrue(error.getMessage().contains("password authentication failed for user \"admin\""), error.getMessage());
    assertFalse(error.getMessage().contains("HTTP"), error.getMessage());
  }
}
