package io.shaledb.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshot isolation as JDBC clients see it, with two connections to one embedded database:
 * what it prevents (dirty reads, non-repeatable reads, phantoms, lost updates), what it allows
 * (write skew), and which isolation levels a connection accepts.
 */
class IsolationTest {
  private String url;
  private Connection a;
  private Connection b;

  @BeforeEach
  void open() throws SQLException {
    url = "jdbc:shaledb:mem:" + UUID.randomUUID();
    a = DriverManager.getConnection(url);
    b = DriverManager.getConnection(url);
    execute(a, "CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL) SHARDS 4");
    execute(a, "INSERT INTO account VALUES (1, 100), (2, 100), (3, 100)");
  }

  @AfterEach
  void close() throws SQLException {
    b.close();
    a.close();
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long queryLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }

  private static List<Integer> ids(Connection connection, String sql) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static long balance(Connection connection, int id) throws SQLException {
    return queryLong(connection, "SELECT balance FROM account WHERE id = " + id);
  }

  @Test
  void noDirtyReads() throws SQLException {
    a.setAutoCommit(false);
    execute(a, "UPDATE account SET balance = 999 WHERE id = 1");
    execute(a, "INSERT INTO account VALUES (4, 1)");
    assertEquals(999, balance(a, 1), "a transaction reads its own writes");

    assertEquals(100, balance(b, 1));
    assertEquals(List.of(1, 2, 3), ids(b, "SELECT id FROM account ORDER BY id"));

    a.rollback();
    assertEquals(100, balance(b, 1), "rolled back writes leave no trace");
    assertEquals(List.of(1, 2, 3), ids(b, "SELECT id FROM account ORDER BY id"));
  }

  @Test
  void committedWritesAreVisibleToTransactionsStartedAfterTheCommit() throws SQLException {
    a.setAutoCommit(false);
    execute(a, "UPDATE account SET balance = 999 WHERE id = 1");
    a.commit();
    assertEquals(999, balance(b, 1));
  }

  @Test
  void noNonRepeatableReads() throws SQLException {
    b.setAutoCommit(false);
    assertEquals(100, balance(b, 1));

    execute(a, "UPDATE account SET balance = 200 WHERE id = 1");
    execute(a, "DELETE FROM account WHERE id = 2");

    assertEquals(100, balance(b, 1), "a second read in the same transaction sees the same value");
    assertEquals(100, balance(b, 2), "and rows deleted meanwhile");
    b.commit();
    assertEquals(200, balance(b, 1), "the next transaction sees the update");
    assertEquals(List.of(1, 3), ids(b, "SELECT id FROM account ORDER BY id"));
  }

  @Test
  void noPhantoms() throws SQLException {
    b.setAutoCommit(false);
    assertEquals(3, queryLong(b, "SELECT COUNT(*) FROM account WHERE balance >= 50"));
    assertEquals(List.of(1, 2, 3), ids(b, "SELECT id FROM account WHERE id BETWEEN 1 AND 10 ORDER BY id"));

    execute(a, "INSERT INTO account VALUES (4, 100), (5, 500)");

    assertEquals(3, queryLong(b, "SELECT COUNT(*) FROM account WHERE balance >= 50"));
    assertEquals(List.of(1, 2, 3), ids(b, "SELECT id FROM account WHERE id BETWEEN 1 AND 10 ORDER BY id"));
    assertEquals(300, queryLong(b, "SELECT SUM(balance) FROM account"));
    b.commit();
    assertEquals(5, queryLong(b, "SELECT COUNT(*) FROM account WHERE balance >= 50"));
  }

  @Test
  void noLostUpdatesTheSecondWriterMustRetry() throws SQLException {
    a.setAutoCommit(false);
    b.setAutoCommit(false);
    long readByA = balance(a, 1);
    long readByB = balance(b, 1);
    execute(a, "UPDATE account SET balance = " + (readByA + 10) + " WHERE id = 1");
    execute(b, "UPDATE account SET balance = " + (readByB + 20) + " WHERE id = 1");
    a.commit();

    SQLException conflict = assertThrows(SQLException.class, b::commit);
    assertEquals("40001", conflict.getSQLState());
    assertTrue(conflict.getMessage().contains("retry"), conflict.getMessage());

    assertEquals(110, balance(b, 1), "b's update did not overwrite a's");
    // The client retries the whole transaction, which now reads a's result.
    long reread = balance(b, 1);
    execute(b, "UPDATE account SET balance = " + (reread + 20) + " WHERE id = 1");
    b.commit();
    assertEquals(130, balance(a, 1));
  }

  @Test
  void incrementsInSqlConflictToo() throws SQLException {
    a.setAutoCommit(false);
    b.setAutoCommit(false);
    execute(a, "UPDATE account SET balance = balance + 10 WHERE id = 1");
    execute(b, "UPDATE account SET balance = balance + 20 WHERE id = 1");
    b.commit();
    SQLException conflict = assertThrows(SQLException.class, a::commit);
    assertEquals("40001", conflict.getSQLState());
    assertEquals(120, balance(a, 1));
  }

  @Test
  void readOnlyTransactionsNeverAbort() throws SQLException {
    b.setAutoCommit(false);
    for (int round = 0; round < 20; round++) {
      assertEquals(300, queryLong(b, "SELECT SUM(balance) FROM account"));
      assertEquals(100, balance(b, 1));
      execute(a, "UPDATE account SET balance = balance - 1 WHERE id = 1");
      execute(a, "UPDATE account SET balance = balance + 1 WHERE id = 2");
      execute(a, "INSERT INTO account VALUES (" + (100 + round) + ", 7)");
    }
    b.commit();
    assertEquals(80, balance(b, 1));
    assertEquals(300 + 20 * 7, queryLong(b, "SELECT SUM(balance) FROM account"));
  }

  @Test
  void serializableIsRefusedAndTheLevelStaysRepeatableRead() throws SQLException {
    SQLException refused = assertThrows(SQLException.class, () -> a.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
    assertEquals("0A000", refused.getSQLState());
    assertTrue(refused.getMessage().contains("SERIALIZABLE"), refused.getMessage());
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, a.getTransactionIsolation());
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, a.getMetaData().getDefaultTransactionIsolation());
    // The connection stays usable.
    assertEquals(100, balance(a, 1));
  }

  @Test
  void weakerLevelsRunAtSnapshotIsolationAndReportRepeatableRead() throws SQLException {
    for (int level : new int[] {
        Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ}) {
      b.setTransactionIsolation(level);
      assertEquals(Connection.TRANSACTION_REPEATABLE_READ, b.getTransactionIsolation(), "asked for " + level);
    }
    b.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    b.setAutoCommit(false);
    assertEquals(100, balance(b, 3));
    execute(a, "UPDATE account SET balance = 5 WHERE id = 3");
    assertEquals(100, balance(b, 3), "READ COMMITTED is served as snapshot isolation, which is stronger");
    b.commit();
  }

  /**
   * Write skew, the anomaly snapshot isolation allows: two transactions each check an invariant
   * over rows the other one changes, write disjoint rows, and both commit. Here the rule "at least
   * one doctor stays on call" ends up broken.
   */
  @Test
  void writeSkewIsPossible() throws SQLException {
    execute(a, "CREATE TABLE doctor (name VARCHAR(20) PRIMARY KEY, on_call BOOLEAN NOT NULL)");
    execute(a, "INSERT INTO doctor VALUES ('alice', TRUE), ('bob', TRUE)");
    a.setAutoCommit(false);
    b.setAutoCommit(false);
    assertEquals(2, queryLong(a, "SELECT COUNT(*) FROM doctor WHERE on_call"));
    assertEquals(2, queryLong(b, "SELECT COUNT(*) FROM doctor WHERE on_call"));
    execute(a, "UPDATE doctor SET on_call = FALSE WHERE name = 'alice'");
    execute(b, "UPDATE doctor SET on_call = FALSE WHERE name = 'bob'");
    a.commit();
    b.commit(); // no conflict: the two transactions wrote different rows
    assertEquals(0, queryLong(a, "SELECT COUNT(*) FROM doctor WHERE on_call"));
  }

  @Test
  void writeSkewIsPreventedByWritingTheRowTheCheckDependsOn() throws SQLException {
    execute(a, "CREATE TABLE doctor (name VARCHAR(20) PRIMARY KEY, on_call BOOLEAN NOT NULL)");
    execute(a, "CREATE TABLE shift (id INT PRIMARY KEY, on_call_count INT NOT NULL)");
    execute(a, "INSERT INTO doctor VALUES ('alice', TRUE), ('bob', TRUE)");
    execute(a, "INSERT INTO shift VALUES (1, 2)");
    a.setAutoCommit(false);
    b.setAutoCommit(false);
    for (Connection c : List.of(a, b)) {
      assertEquals(2, queryLong(c, "SELECT on_call_count FROM shift WHERE id = 1"));
      execute(c, "UPDATE shift SET on_call_count = on_call_count - 1 WHERE id = 1");
    }
    execute(a, "UPDATE doctor SET on_call = FALSE WHERE name = 'alice'");
    execute(b, "UPDATE doctor SET on_call = FALSE WHERE name = 'bob'");
    a.commit();
    assertEquals("40001", assertThrows(SQLException.class, b::commit).getSQLState());
    assertEquals(1, queryLong(a, "SELECT COUNT(*) FROM doctor WHERE on_call"));
  }
}
