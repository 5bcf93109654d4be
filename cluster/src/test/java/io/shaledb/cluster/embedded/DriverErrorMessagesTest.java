package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The errors the embedded driver reports: one clean message with the SQLSTATE, whatever JDBC call failed. */
public class DriverErrorMessagesTest {
  @Test
  void errorsKeepTheirReasonAndPositionWithoutAvaticasWrapping() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:shaledb:mem:" + UUID.randomUUID())) {
      checkCleanErrors(c);
    }
  }

  @Test
  void aLogWriterDoesNotTurnErrorsIntoNullPointerExceptions() throws SQLException {
    PrintWriter previous = DriverManager.getLogWriter();
    StringWriter log = new StringWriter();
    DriverManager.setLogWriter(new PrintWriter(log));
    try (Connection c = DriverManager.getConnection("jdbc:shaledb:mem:" + UUID.randomUUID())) {
      checkCleanErrors(c);
    } finally {
      DriverManager.setLogWriter(previous);
    }
  }

  /** Shared with the remote test. */
  public static void checkCleanErrors(Connection c) throws SQLException {
    assertClean("42601", "Syntax error at line 1, column 1", () -> c.prepareStatement("SELEC 1"));
    assertClean("42601", "line 1, column 21", () -> c.prepareStatement("SELECT 1 FROM t WHERE"));
    try (Statement s = c.createStatement()) {
      assertClean("42601", "Syntax error at line 1, column 1", () -> s.execute("SELEC 1"));
      assertClean("42P01", "'missing' not found", () -> s.executeQuery("SELECT * FROM missing"));
      assertClean("22012", "division by zero", () -> s.executeQuery("SELECT 1 / 0"));
      s.execute("CREATE TABLE errors_t (id INT PRIMARY KEY)");
      s.execute("INSERT INTO errors_t VALUES (1)");
      assertClean("23505", "errors_t", () -> s.executeUpdate("INSERT INTO errors_t VALUES (1)"));
      assertClean("42704", "no_such_setting", () -> s.execute("SET no_such_setting = 1"));
    }
    try (var p = c.prepareStatement("INSERT INTO errors_t VALUES (?)")) {
      p.setInt(1, 1);
      assertClean("23505", "errors_t", p::executeUpdate);
    }
  }

  private static void assertClean(String sqlState, String reason, Executable call) {
    SQLException error = assertThrows(SQLException.class, call);
    String message = error.getMessage();
    assertEquals(sqlState, error.getSQLState(), message);
    assertTrue(message.contains(reason), message);
    for (String wrapping : new String[] {"while preparing", "Error while executing", "Remote driver error", "Error "
        + error.getErrorCode()}) {
      assertFalse(message.contains(wrapping), message);
    }
  }
}
