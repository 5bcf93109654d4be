package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.meta.ShaleMeta;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote driver against a server on a loopback port: statements, parameters, errors, frames, cancel. */
class RemoteJdbcIT {
  @TempDir
  Path data;
  private ShaleServer server;
  private String url;

  @BeforeEach
  void start() {
    server = ShaleServer.start(new ServerConfig("127.0.0.1", 0, -1, data, 50, 1 << 20, Duration.ofMinutes(5), 16),
        RequestAuthenticator.ALLOW_ALL, Clock.systemUTC());
    url = "jdbc:shaledb://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void statementsParametersAndTypesCrossTheWire() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2), "
          + "added DATE, seen TIMESTAMP, active BOOLEAN, big BIGINT)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          insert.setInt(1, i);
          insert.setString(2, "item " + i);
          insert.setBigDecimal(3, new BigDecimal(i + ".25"));
          insert.setDate(4, Date.valueOf("2026-01-0" + i));
          insert.setTimestamp(5, Timestamp.valueOf("2026-01-05 10:00:00.123"));
          insert.setBoolean(6, i % 2 == 0);
          insert.setLong(7, 9_000_000_000L + i);
          assertEquals(1, insert.executeUpdate());
        }
      }
      try (PreparedStatement query = c.prepareStatement("SELECT id, name, price, added, seen, active, big "
          + "FROM item WHERE price * ? > ? ORDER BY id")) {
        query.setInt(1, 2);
        query.setBigDecimal(2, new BigDecimal("5"));
        try (ResultSet rs = query.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(3, rs.getInt(1));
          assertEquals("item 3", rs.getString(2));
          assertEquals(new BigDecimal("3.25"), rs.getBigDecimal(3));
          assertEquals(Date.valueOf("2026-01-03"), rs.getDate(4));
          assertEquals(Timestamp.valueOf("2026-01-05 10:00:00.123"), rs.getTimestamp(5));
          assertFalse(rs.getBoolean(6));
          assertEquals(9_000_000_003L, rs.getLong(7));
          assertFalse(rs.next());
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT NULL AS nothing, COUNT(*) FROM item")) {
        assertTrue(rs.next());
        assertEquals(0L, rs.getLong(1));
        assertTrue(rs.wasNull());
        assertEquals(3L, rs.getLong(2));
      }
    }
  }

  /** Parameter types reach the remote client in the statement's order, and values are stored as bound. */
  @Test
  void parameterTypesFollowTheStatementTextOverTheWire() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE stock (id INT PRIMARY KEY, price DECIMAL(6,2), qty INT)");
      try (PreparedStatement merge = c.prepareStatement("MERGE INTO stock USING (VALUES (1)) AS v(x) ON stock.id = v.x "
          + "WHEN MATCHED THEN UPDATE SET qty = ? WHEN NOT MATCHED THEN INSERT (id, qty, price) VALUES (?, ?, ?)")) {
        java.sql.ParameterMetaData meta = merge.getParameterMetaData();
        assertEquals(4, meta.getParameterCount());
        assertEquals(java.sql.Types.INTEGER, meta.getParameterType(1));
        assertEquals(java.sql.Types.INTEGER, meta.getParameterType(2));
        assertEquals(java.sql.Types.INTEGER, meta.getParameterType(3));
        assertEquals(java.sql.Types.DECIMAL, meta.getParameterType(4));
        merge.setInt(1, 0);
        merge.setInt(2, 1);
        merge.setInt(3, 4);
        merge.setBigDecimal(4, new BigDecimal("12.75"));
        assertEquals(1, merge.executeUpdate());
      }
      try (ResultSet rs = s.executeQuery("SELECT price, qty FROM stock WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals(new BigDecimal("12.75"), rs.getBigDecimal(1));
        assertEquals(4, rs.getInt(2));
      }
    }
  }

  @Test
  void errorsKeepSqlStateCodeAndMessage() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> s.execute("SELEC 1"));
      assertEquals("42601", syntax.getSQLState());
      assertEquals(ShaleMeta.vendorCode(io.shaledb.common.SqlState.SYNTAX_ERROR), syntax.getErrorCode());
      SQLException missing = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM nowhere"));
      assertEquals("42P01", missing.getSQLState());
      assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
      s.execute("CREATE TABLE k (id INT PRIMARY KEY, v INT)");
      s.execute("INSERT INTO k VALUES (1, 1)");
      SQLException duplicate = assertThrows(SQLException.class, () -> s.execute("INSERT INTO k VALUES (1, 2)"));
      assertEquals("23505", duplicate.getSQLState());
      try (PreparedStatement p = c.prepareStatement("INSERT INTO k VALUES (?, ?)")) {
        p.setInt(1, 1);
        p.setInt(2, 3);
        assertEquals("23505", assertThrows(SQLException.class, p::executeUpdate).getSQLState());
      }
    }
  }

  @Test
  void writeConflictIsSerializationFailure() throws SQLException {
    try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url);
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      sa.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance INT)");
      sa.execute("INSERT INTO acct VALUES (1, 100)");
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      sa.executeUpdate("UPDATE acct SET balance = balance - 10 WHERE id = 1");
      sb.executeUpdate("UPDATE acct SET balance = balance - 20 WHERE id = 1");
      a.commit();
      SQLException conflict = assertThrows(SQLException.class, b::commit);
      assertEquals("40001", conflict.getSQLState());
      b.rollback();
      try (ResultSet rs = sb.executeQuery("SELECT balance FROM acct")) {
        assertTrue(rs.next());
        assertEquals(90, rs.getInt(1));
      }
    }
  }

  @Test
  void largeResultsStreamInFrames() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE n (id INT PRIMARY KEY, pad VARCHAR(100))");
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO n VALUES (?, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')")) {
        for (int i = 0; i < 25_000; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      s.setFetchSize(777);
      long expected = 0;
      try (ResultSet rs = s.executeQuery("SELECT id FROM n ORDER BY id")) {
        while (rs.next()) {
          assertEquals(expected++, rs.getInt(1));
        }
      }
      assertEquals(25_000, expected);
      s.setMaxRows(10);
      try (ResultSet rs = s.executeQuery("SELECT id FROM n")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
        }
        assertEquals(10, rows);
      }
    }
  }

  @Test
  void cancelAndQueryTimeoutStopALongStatement() throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE big (id INT PRIMARY KEY)");
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO big VALUES (?)")) {
        for (int i = 0; i < 2_000; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      // 2,000^3 row combinations: far longer than any test, so only cancellation ends it. The join
      // re-reads its inner table from storage for every outer row, and every row read checks the flag.
      String endless = "SELECT COUNT(*) FROM big a, big b, big c WHERE a.id + b.id + c.id = -1";
      s.setQueryTimeout(1);
      long started = System.nanoTime();
      SQLException timedOut = assertThrows(SQLException.class, () -> s.executeQuery(endless));
      assertEquals("57014", timedOut.getSQLState(), timedOut.toString());
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30));

      s.setQueryTimeout(0);
      ExecutorService executor = Executors.newSingleThreadExecutor();
      try {
        Future<?> running = executor.submit(() -> s.executeQuery(endless));
        Thread.sleep(500);
        s.cancel();
        java.util.concurrent.ExecutionException cancelled =
            assertThrows(java.util.concurrent.ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
        assertEquals("57014", ((SQLException) cancelled.getCause()).getSQLState());
      } finally {
        executor.shutdownNow();
      }
      // The statement and connection stay usable after a cancel.
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM big")) {
        assertTrue(rs.next());
        assertEquals(2_000, rs.getInt(1));
      }
    }
  }

  @Test
  void generatedKeysReturningAndForUpdateCrossTheWire() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE event (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind VARCHAR(10))");
      s.execute("CREATE TABLE heap (msg VARCHAR(10))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO event (kind) VALUES (?)",
          Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 1; i <= 2; i++) {
          insert.setString(1, "k" + i);
          assertEquals(1, insert.executeUpdate());
          try (ResultSet keys = insert.getGeneratedKeys()) {
            assertTrue(keys.next());
            assertEquals(i, keys.getLong("id"));
            assertFalse(keys.next());
          }
        }
      }
      assertEquals(1, s.executeUpdate("INSERT INTO event (kind) VALUES ('k3')", new String[] {"id", "kind"}));
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertTrue(keys.next());
        assertEquals(3, keys.getLong(1));
        assertEquals("k3", keys.getString(2));
      }
      try (ResultSet returned = s.executeQuery("UPDATE event SET kind = 'x' WHERE id >= 2 RETURNING id, kind")) {
        int rows = 0;
        while (returned.next()) {
          assertEquals("x", returned.getString("kind"));
          rows++;
        }
        assertEquals(2, rows);
      }
      s.execute("INSERT INTO heap VALUES ('a'), ('a')");
      try (ResultSet all = s.executeQuery("SELECT * FROM heap")) {
        assertEquals(1, all.getMetaData().getColumnCount());
      }
      assertEquals(2, s.executeUpdate("DELETE FROM heap WHERE msg = 'a'"));

      // A row locked with FOR UPDATE by one client conflicts with another client's update.
      try (Connection other = DriverManager.getConnection(url); Statement os = other.createStatement()) {
        c.setAutoCommit(false);
        try (ResultSet locked = s.executeQuery("SELECT kind FROM event WHERE id = 1 FOR UPDATE")) {
          assertTrue(locked.next());
        }
        os.executeUpdate("UPDATE event SET kind = 'theirs' WHERE id = 1");
        SQLException conflict = assertThrows(SQLException.class, c::commit);
        assertEquals("40001", conflict.getSQLState());
      }
    }
  }
}
