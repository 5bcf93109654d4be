package io.shaledb.cluster.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Statements a user with a login can send to make the server work hard or fail: what parsing and
 * planning may cost, and statements that used to fail with an internal error (XX000).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementLimitsTest {
  private final String url = "jdbc:shaledb:mem:" + UUID.randomUUID();
  private Connection admin;
  private Statement statement;

  @BeforeAll
  void open() throws SQLException {
    admin = DriverManager.getConnection(url);
    statement = admin.createStatement();
    statement.execute("CREATE TABLE nums (id INT PRIMARY KEY, label VARCHAR(20))");
    try (PreparedStatement insert = admin.prepareStatement("INSERT INTO nums VALUES (?, ?)")) {
      for (int i = 0; i < 300; i++) {
        insert.setInt(1, i * 47);
        insert.setString(2, "n" + i);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    statement.execute("CREATE USER bob PASSWORD 'bob-pw'");
  }

  @AfterAll
  void close() throws SQLException {
    admin.close();
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void currentUserAndSessionUserNameTheSessionsUser() throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT CURRENT_USER, SESSION_USER, USER")) {
      assertTrue(rs.next());
      assertEquals("admin", rs.getString(1));
      assertEquals("admin", rs.getString(2));
      assertEquals("admin", rs.getString(3));
    }
    Properties bob = new Properties();
    bob.setProperty("user", "bob");
    bob.setProperty("password", "bob-pw");
    try (Connection c = DriverManager.getConnection(url, bob); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT CURRENT_USER, SESSION_USER")) {
      assertTrue(rs.next());
      assertEquals("bob", rs.getString(1));
      assertEquals("bob", rs.getString(2));
    }
  }

  @Test
  void anInListOfTenThousandValuesWorks() throws SQLException {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      values.append(i == 0 ? "" : ", ").append(i);
    }
    // ids are multiples of 47 below 14,100: those below 10,000 are 0, 47, ..., 9,964.
    long expected = 9_999 / 47 + 1;
    assertEquals(expected, count(statement, "SELECT COUNT(*) FROM nums WHERE id IN (" + values + ")"));
    assertEquals(300 - expected, count(statement, "SELECT COUNT(*) FROM nums WHERE id NOT IN (" + values + ")"));

    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      labels.append(i == 0 ? "" : ", ").append("'n").append(i).append('\'');
    }
    assertEquals(300, count(statement, "SELECT COUNT(*) FROM nums WHERE label IN (" + labels + ")"));

    // A VALUES of several columns, with NULLs, read back row by row.
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      rows.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(i % 3 == 0 ? "NULL" : "'r" + i + "'")
          .append(", ").append(i).append(".5)");
    }
    try (ResultSet rs = statement.executeQuery(
        "SELECT a, b, c FROM (VALUES " + rows + ") AS v(a, b, c) ORDER BY a")) {
      for (int i = 0; i < 2_000; i++) {
        assertTrue(rs.next());
        assertEquals(i, rs.getInt(1));
        assertEquals(i % 3 == 0 ? null : "r" + i, rs.getString(2));
        assertEquals(new java.math.BigDecimal(i + ".5"), rs.getBigDecimal(3));
      }
    }
  }

  @Test
  void longOperatorChainsAreRefusedBeforeTheyCostMuch() throws SQLException {
    long started = System.nanoTime();
    SQLException chain = assertThrows(SQLException.class,
        () -> statement.executeQuery("SELECT 1" + "+1".repeat(150_000)));
    assertEquals("54001", chain.getSQLState(), chain.getMessage());
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 5_000, "refused only after " + millis + " ms");

    SQLException tooLong = assertThrows(SQLException.class,
        () -> statement.executeQuery("SELECT '" + "x".repeat(1_100_000) + "'"));
    assertEquals("54000", tooLong.getSQLState(), tooLong.getMessage());

    // Operators in literals and comments do not count, nor do negative numbers.
    assertEquals(1, count(statement, "SELECT COUNT(*) FROM nums WHERE label <> '" + "+".repeat(20_000)
        + "' /* " + "*".repeat(20_000) + " */ AND id = 0"));
    StringBuilder negatives = new StringBuilder();
    for (int i = 1; i <= 12_000; i++) {
      negatives.append(i == 1 ? "" : ", ").append(-i);
    }
    assertEquals(0, count(statement, "SELECT COUNT(*) FROM nums WHERE id IN (" + negatives + ")"));
  }

  @Test
  void aQueryTimeoutStopsPlanning() throws SQLException {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 150_000; i++) {
      values.append(i == 0 ? "" : ",").append(i);
    }
    String sql = "SELECT COUNT(*) FROM nums WHERE id IN (" + values + ")";
    try (Statement timed = admin.createStatement()) {
      timed.setQueryTimeout(1);
      long started = System.nanoTime();
      SQLException timeout = assertThrows(SQLException.class, () -> timed.executeQuery(sql));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals("57014", timeout.getSQLState(), timeout.getMessage());
      assertTrue(millis < 4_000, "stopped only after " + millis + " ms");
    }
  }
}
