package io.shaledb.sql.session;

import static io.shaledb.sql.session.EcommerceFixtureTest.count;
import static io.shaledb.sql.session.EcommerceFixtureTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UNIQUE, FOREIGN KEY, CHECK, DEFAULT and identity columns through JDBC: enforced in the statement's transaction. */
class ConstraintsTest {
  private String url;
  private Connection connection;
  private Statement statement;

  @BeforeEach
  void open() throws SQLException {
    url = "jdbc:shaledb:mem:" + UUID.randomUUID();
    connection = DriverManager.getConnection(url);
    statement = connection.createStatement();
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void uniqueConstraintsRejectDuplicatesButNotNulls() throws SQLException {
    statement.execute("CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(30) UNIQUE, a INT, b INT, "
        + "CONSTRAINT u_ab UNIQUE (a, b))");
    statement.execute("INSERT INTO u VALUES (1, 'x@example.com', 1, 1), (2, NULL, 1, NULL), (3, NULL, 1, NULL)");

    SQLException column = assertState("23505", "INSERT INTO u VALUES (4, 'x@example.com', 2, 2)");
    assertTrue(column.getMessage().contains("u_email_key"), column.getMessage());
    assertTrue(column.getMessage().contains("(email)=(x@example.com)"), column.getMessage());
    SQLException table = assertState("23505", "INSERT INTO u VALUES (4, 'y@example.com', 1, 1)");
    assertTrue(table.getMessage().contains("u_ab"), table.getMessage());
    // A duplicate inside one multi-row statement: nothing of the statement is written.
    assertState("23505", "INSERT INTO u VALUES (5, 'z@example.com', 5, 5), (6, 'z@example.com', 6, 6)");
    assertEquals(3, count(statement, "SELECT COUNT(*) FROM u"));
    // Updates: into a duplicate fails, keeping or swapping values works.
    assertState("23505", "UPDATE u SET email = 'x@example.com' WHERE id = 2");
    statement.execute("UPDATE u SET email = 'x@example.com', a = 9 WHERE id = 1");
    statement.execute("UPDATE u SET email = 'w@example.com' WHERE id = 1");
    statement.execute("INSERT INTO u VALUES (4, 'x@example.com', 2, 2)");
    statement.execute("DELETE FROM u WHERE id = 4");
    statement.execute("INSERT INTO u VALUES (5, 'x@example.com', 2, 2)");
    assertEquals(List.of("1|w@example.com", "2|null", "3|null", "5|x@example.com"),
        rows(statement, "SELECT id, email FROM u ORDER BY id"));
    assertEquals(List.of("5"), rows(statement, "SELECT id FROM u WHERE email = 'x@example.com'"));
  }

  @Test
  void failedStatementInsideATransactionLeavesTheTransactionsOtherWrites() throws SQLException {
    statement.execute("CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(30) UNIQUE)");
    statement.execute("START TRANSACTION");
    statement.execute("INSERT INTO u VALUES (1, 'a')");
    assertState("23505", "INSERT INTO u VALUES (2, 'b'), (3, 'a')");
    statement.execute("INSERT INTO u VALUES (2, 'b')");
    statement.execute("COMMIT");
    assertEquals(List.of("1|a", "2|b"), rows(statement, "SELECT id, email FROM u ORDER BY id"));
    assertEquals(List.of("2"), rows(statement, "SELECT id FROM u WHERE email = 'b'"));
  }

  @Test
  void foreignKeysRejectDanglingReferencesAndReferencedDeletes() throws SQLException {
    statement.execute("CREATE TABLE parent (id INT PRIMARY KEY, code VARCHAR(5) UNIQUE)");
    statement.execute("CREATE TABLE child (id INT PRIMARY KEY, parent_id INT REFERENCES parent (id), "
        + "parent_code VARCHAR(5), FOREIGN KEY (parent_code) REFERENCES parent (code))");
    statement.execute("INSERT INTO parent VALUES (1, 'one'), (2, 'two')");
    statement.execute("INSERT INTO child VALUES (10, 1, 'one'), (11, NULL, NULL), (12, 2, NULL)");

    SQLException dangling = assertState("23503", "INSERT INTO child VALUES (13, 99, NULL)");
    assertTrue(dangling.getMessage().contains("(parent_id)=(99)"), dangling.getMessage());
    assertState("23503", "INSERT INTO child VALUES (13, 1, 'none')");
    assertState("23503", "INSERT INTO child VALUES (13, 1, NULL), (14, 3, NULL)");
    assertState("23503", "UPDATE child SET parent_id = 5 WHERE id = 10");
    SQLException referenced = assertState("23503", "DELETE FROM parent WHERE id = 1");
    assertTrue(referenced.getMessage().contains("child"), referenced.getMessage());
    assertState("23503", "UPDATE parent SET id = 7 WHERE id = 2");
    assertState("23503", "UPDATE parent SET code = 'uno' WHERE id = 1");
    assertEquals(3, count(statement, "SELECT COUNT(*) FROM child"));
    assertEquals(2, count(statement, "SELECT COUNT(*) FROM parent"));

    // Once nothing references a row, it may go; a child may point elsewhere.
    statement.execute("UPDATE child SET parent_id = 2, parent_code = 'two' WHERE id = 10");
    statement.execute("UPDATE parent SET code = 'uno' WHERE id = 1");
    statement.execute("DELETE FROM parent WHERE id = 1");
    statement.execute("DELETE FROM child");
    statement.execute("DELETE FROM parent");
    assertEquals(0, count(statement, "SELECT COUNT(*) FROM parent"));
  }

  @Test
  void foreignKeyFailureInsideATransactionWritesNothingOfTheStatement() throws SQLException {
    statement.execute("CREATE TABLE parent (id INT PRIMARY KEY)");
    statement.execute("CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL REFERENCES parent)");
    connection.setAutoCommit(false);
    statement.execute("INSERT INTO parent VALUES (1)");
    statement.execute("INSERT INTO child VALUES (1, 1)");
    assertState("23503", "INSERT INTO child VALUES (2, 1), (3, 2)");
    assertState("23503", "DELETE FROM parent");
    connection.commit();
    connection.setAutoCommit(true);
    assertEquals(List.of("1|1"), rows(statement, "SELECT id, parent_id FROM child"));
  }

  @Test
  void onDeleteCascadeAndSetNullFollowReferencesRecursively() throws SQLException {
    statement.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(10))");
    statement.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT REFERENCES customers (id) ON DELETE CASCADE)");
    statement.execute("CREATE TABLE lines (order_id INT, line INT, PRIMARY KEY (order_id, line), "
        + "FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE)");
    statement.execute("CREATE TABLE notes (id INT PRIMARY KEY, order_id INT REFERENCES orders ON DELETE SET NULL)");
    statement.execute("INSERT INTO customers VALUES (1, 'ann'), (2, 'ben')");
    statement.execute("INSERT INTO orders VALUES (10, 1), (11, 1), (20, 2)");
    statement.execute("INSERT INTO lines VALUES (10, 1), (10, 2), (11, 1), (20, 1)");
    statement.execute("INSERT INTO notes VALUES (1, 10), (2, 20)");

    assertEquals(1, statement.executeUpdate("DELETE FROM customers WHERE id = 1"));
    assertEquals(List.of("20|2"), rows(statement, "SELECT id, customer_id FROM orders"));
    assertEquals(List.of("20|1"), rows(statement, "SELECT order_id, line FROM lines"));
    assertEquals(List.of("1|null", "2|20"), rows(statement, "SELECT id, order_id FROM notes ORDER BY id"));

    // A cascade that reaches a restricting reference fails as a whole.
    statement.execute("CREATE TABLE audits (id INT PRIMARY KEY, order_id INT, line INT, "
        + "FOREIGN KEY (order_id, line) REFERENCES lines (order_id, line))");
    statement.execute("INSERT INTO audits VALUES (1, 20, 1)");
    assertState("23503", "DELETE FROM customers WHERE id = 2");
    assertEquals(1, count(statement, "SELECT COUNT(*) FROM customers"));
    assertEquals(1, count(statement, "SELECT COUNT(*) FROM lines"));
    assertEquals(List.of("1|null", "2|20"), rows(statement, "SELECT id, order_id FROM notes ORDER BY id"));
  }

  @Test
  void selfReferencingRowsMayComeInOneStatementAndCascadeThroughTheTree() throws SQLException {
    statement.execute("CREATE TABLE emp (id INT PRIMARY KEY, boss INT REFERENCES emp (id) ON DELETE CASCADE)");
    statement.execute("INSERT INTO emp VALUES (2, 1), (1, NULL), (3, 2), (4, 2), (5, 1)");
    assertState("23503", "INSERT INTO emp VALUES (6, 60)");
    assertEquals(3, statement.executeUpdate("DELETE FROM emp WHERE id = 2 OR id = 3 OR id = 4") );
    assertEquals(List.of("1", "5"), rows(statement, "SELECT id FROM emp ORDER BY id"));
    statement.execute("DELETE FROM emp WHERE id = 1");
    assertEquals(0, count(statement, "SELECT COUNT(*) FROM emp"));
  }

  @Test
  void foreignKeyDeclarationsAreChecked() throws SQLException {
    statement.execute("CREATE TABLE parent (id INT PRIMARY KEY, code VARCHAR(5) UNIQUE, plain INT, big BIGINT)");
    assertState("42830", "CREATE TABLE c1 (id INT PRIMARY KEY, p INT REFERENCES parent (plain))");
    assertState("42P01", "CREATE TABLE c2 (id INT PRIMARY KEY, p INT REFERENCES nowhere (id))");
    assertState("42703", "CREATE TABLE c3 (id INT PRIMARY KEY, p INT REFERENCES parent (nope))");
    assertState("42804", "CREATE TABLE c4 (id INT PRIMARY KEY, p DATE REFERENCES parent (id))");
    // A BIGINT child column may reference an INT key; values convert for the lookup.
    statement.execute("CREATE TABLE c5 (id INT PRIMARY KEY, p BIGINT REFERENCES parent (id))");
    statement.execute("INSERT INTO parent VALUES (1, 'a', 1, 1)");
    statement.execute("INSERT INTO c5 VALUES (1, 1)");
    assertState("23503", "INSERT INTO c5 VALUES (2, 9999999999)");
    SQLException drop = assertState("2BP01", "DROP TABLE parent");
    assertTrue(drop.getMessage().contains("c5"), drop.getMessage());
    statement.execute("DROP TABLE c5");
    statement.execute("DROP TABLE parent");
  }

  @Test
  void checkConstraintsRejectFalseAndAcceptNull() throws SQLException {
    statement.execute("CREATE TABLE prices (id INT PRIMARY KEY, price DECIMAL(10,2) CHECK (price > 0), "
        + "discount DECIMAL(10,2), CONSTRAINT discount_below_price CHECK (discount < price))");
    statement.execute("INSERT INTO prices VALUES (1, 10, 1), (2, NULL, NULL), (3, 5, NULL)");
    SQLException negative = assertState("23514", "INSERT INTO prices VALUES (4, -1, NULL)");
    assertTrue(negative.getMessage().contains("prices_check1"), negative.getMessage());
    SQLException named = assertState("23514", "INSERT INTO prices VALUES (4, 5, 6)");
    assertTrue(named.getMessage().contains("discount_below_price"), named.getMessage());
    assertState("23514", "INSERT INTO prices VALUES (4, 5, 1), (5, 0, NULL)");
    assertState("23514", "UPDATE prices SET price = 0.5 WHERE id = 1");
    assertEquals(3, count(statement, "SELECT COUNT(*) FROM prices"));
    statement.execute("UPDATE prices SET price = 2 WHERE id = 1");
    assertState("42703", "CREATE TABLE bad (id INT PRIMARY KEY, CHECK (nope > 1))");
    assertState("42804", "CREATE TABLE bad (id INT PRIMARY KEY, CHECK (id + 1))");
    assertState("42P01", "SELECT * FROM bad");
  }

  @Test
  void defaultsIncludingCurrentTimestamp() throws SQLException {
    statement.execute("CREATE TABLE events (id INT PRIMARY KEY, kind VARCHAR(10) DEFAULT 'note', n INT DEFAULT 7, "
        + "created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    long before = System.currentTimeMillis();
    statement.execute("INSERT INTO events (id) VALUES (1)");
    long after = System.currentTimeMillis();
    try (ResultSet rs = statement.executeQuery("SELECT kind, n, created_at FROM events")) {
      assertTrue(rs.next());
      assertEquals("note", rs.getString(1));
      assertEquals(7, rs.getInt(2));
      Timestamp at = rs.getTimestamp(3);
      assertNotNull(at);
      // The engine runs in UTC; allow a generous margin around this test's own clock.
      assertTrue(Math.abs(at.getTime() - before) < 24L * 3600 * 1000 + (after - before), at.toString());
    }
    statement.execute("INSERT INTO events (id, kind) VALUES (2, DEFAULT)");
    assertEquals(List.of("note"), rows(statement, "SELECT kind FROM events WHERE id = 2"));
  }

  @Test
  void identityValuesAreUniqueAcrossShardsAndSessions() throws Exception {
    statement.execute("CREATE TABLE seq (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, who INT) SHARDS 8");
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int who = t;
        futures.add(pool.submit(() -> {
          try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (int i = 0; i < perThread; i++) {
              s.executeUpdate("INSERT INTO seq (who) VALUES (" + who + ")");
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> ids = new HashSet<>(rows(statement, "SELECT id FROM seq"));
    assertEquals(threads * perThread, ids.size());
    assertState("428C9", "INSERT INTO seq (id, who) VALUES (1, 1)");
  }

  @Test
  void ecommerceForeignKeysGetIndexesAndFailWithNothingWritten() throws SQLException {
    for (String sql : SqlScript.statements(
        "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL);"
            + "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL, FOREIGN KEY (user_id) REFERENCES users (id));"
            + "INSERT INTO users (name) VALUES ('a'), ('b');"
            + "INSERT INTO orders (user_id) VALUES (1), (1), (2);")) {
      statement.execute(sql);
    }
    assertState("23503", "INSERT INTO orders (user_id) VALUES (2), (99)");
    assertEquals(3, count(statement, "SELECT COUNT(*) FROM orders"));
    assertState("2BP01", "DROP INDEX orders_user_id_fkey");
    assertFalse(rows(statement, "EXPLAIN PLAN FOR SELECT * FROM orders WHERE user_id = 1").isEmpty());
  }

  private SQLException assertState(String sqlState, String sql) {
    SQLException error = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
    assertEquals(sqlState, error.getSQLState(), sql + " -> " + error.getMessage());
    return error;
  }
}
