package io.shaledb.embedded;

import static io.shaledb.embedded.JdbcRows.count;
import static io.shaledb.embedded.JdbcRows.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SQL and JDBC surface of the foundation, through the embedded driver against real in-memory storage. */
class EmbeddedJdbcTest {
  private Connection connection;
  private Statement statement;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:shaledb:mem:" + UUID.randomUUID());
    statement = connection.createStatement();
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void everyColumnTypeRoundTripsThroughStatementsAndParameters() throws SQLException {
    statement.execute("CREATE TABLE t (id INT PRIMARY KEY, b BOOLEAN, s SMALLINT, big BIGINT, d DECIMAL(10,2), "
        + "dbl DOUBLE, r REAL, v VARCHAR(10), c CHAR(3), txt TEXT, dt DATE, tm TIME, ts TIMESTAMP)");
    statement.execute("INSERT INTO t VALUES (1, TRUE, 7, 9000000000, 12.34, 1.5, 2.5, 'hello', 'abc', 'long text', "
        + "DATE '2026-01-05', TIME '10:11:12', TIMESTAMP '2026-01-05 10:00:00.123')");
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setInt(1, 2);
      insert.setBoolean(2, false);
      insert.setShort(3, (short) -3);
      insert.setLong(4, Long.MIN_VALUE);
      insert.setBigDecimal(5, new BigDecimal("-0.5"));
      insert.setDouble(6, -1e300);
      insert.setFloat(7, 0.25f);
      insert.setString(8, "ünïcødé");
      insert.setString(9, "x");
      insert.setNull(10, Types.VARCHAR);
      insert.setDate(11, Date.valueOf("1969-12-31"));
      insert.setTime(12, Time.valueOf("23:59:59"));
      insert.setTimestamp(13, Timestamp.valueOf("1999-12-31 23:59:59.5"));
      assertEquals(1, insert.executeUpdate());
    }
    try (ResultSet rs = statement.executeQuery("SELECT * FROM t ORDER BY id")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt("id"));
      assertTrue(rs.getBoolean("b"));
      assertEquals(7, rs.getShort("s"));
      assertEquals(9_000_000_000L, rs.getLong("big"));
      assertEquals(new BigDecimal("12.34"), rs.getBigDecimal("d"));
      assertEquals(1.5, rs.getDouble("dbl"));
      assertEquals(2.5f, rs.getFloat("r"));
      assertEquals("hello", rs.getString("v"));
      assertEquals("abc", rs.getString("c"));
      assertEquals("long text", rs.getString("txt"));
      assertEquals(Date.valueOf("2026-01-05"), rs.getDate("dt"));
      assertEquals(Time.valueOf("10:11:12"), rs.getTime("tm"));
      assertEquals(Timestamp.valueOf("2026-01-05 10:00:00.123"), rs.getTimestamp("ts"));
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
      assertFalse(rs.getBoolean(2));
      assertEquals(Long.MIN_VALUE, rs.getLong(4));
      assertEquals(new BigDecimal("-0.50"), rs.getBigDecimal(5));
      assertEquals("ünïcødé", rs.getString(8));
      assertNull(rs.getString(10));
      assertTrue(rs.wasNull());
      assertEquals(Date.valueOf("1969-12-31"), rs.getDate(11));
      assertEquals(Timestamp.valueOf("1999-12-31 23:59:59.5"), rs.getTimestamp(13));
      assertFalse(rs.next());
    }
  }

  @Test
  void resultSetMetaDataDescribesColumns() throws SQLException {
    statement.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(8,2))");
    try (ResultSet rs = statement.executeQuery("SELECT id, name AS label, price * 2 AS doubled FROM items")) {
      ResultSetMetaData meta = rs.getMetaData();
      assertEquals(3, meta.getColumnCount());
      assertEquals("id", meta.getColumnLabel(1));
      assertEquals(Types.BIGINT, meta.getColumnType(1));
      assertEquals("label", meta.getColumnLabel(2));
      assertEquals(Types.VARCHAR, meta.getColumnType(2));
      assertEquals(ResultSetMetaData.columnNoNulls, meta.isNullable(2));
      assertEquals(Types.DECIMAL, meta.getColumnType(3));
      assertEquals("items", meta.getTableName(1));
    }
  }

  @Test
  void insertUpdateDeleteAndQueries() throws SQLException {
    statement.execute("CREATE TABLE emp (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL, "
        + "dept VARCHAR(10), salary INT DEFAULT 1000)");
    statement.execute("CREATE TABLE dept (code VARCHAR(10) PRIMARY KEY, title VARCHAR(30))");
    assertEquals(4, statement.executeUpdate("INSERT INTO emp (name, dept, salary) VALUES "
        + "('ann', 'eng', 3000), ('bo', 'eng', 2000), ('cy', 'ops', 1500), ('di', NULL, 1200)"));
    assertEquals(1, statement.executeUpdate("INSERT INTO emp (name, dept) VALUES ('ed', 'ops')"));
    statement.execute("INSERT INTO dept VALUES ('eng', 'Engineering'), ('hr', 'People')");

    assertEquals(List.of("1|ann", "2|bo", "3|cy", "4|di", "5|ed"), rows(statement, "SELECT id, name FROM emp ORDER BY id"));
    assertEquals(List.of("1000"), rows(statement, "SELECT salary FROM emp WHERE name = 'ed'"));
    assertEquals(List.of("eng|2|5000", "ops|2|2500"), rows(statement,
        "SELECT dept, COUNT(*), SUM(salary) FROM emp WHERE dept IS NOT NULL GROUP BY dept ORDER BY dept"));
    assertEquals(List.of("ann|Engineering", "bo|Engineering", "cy|null", "di|null", "ed|null"), rows(statement,
        "SELECT e.name, d.title FROM emp e LEFT JOIN dept d ON e.dept = d.code ORDER BY e.id"));
    assertEquals(List.of("null|People"), rows(statement,
        "SELECT e.name, d.title FROM emp e RIGHT JOIN dept d ON e.dept = d.code WHERE e.id IS NULL"));
    assertEquals(List.of("ann", "bo"), rows(statement, "SELECT name FROM emp ORDER BY salary DESC LIMIT 2"));
    assertEquals(List.of("bo"), rows(statement, "SELECT name FROM emp ORDER BY salary DESC LIMIT 1 OFFSET 1"));

    assertEquals(2, statement.executeUpdate("UPDATE emp SET salary = salary + 100 WHERE dept = 'eng'"));
    assertEquals(List.of("3100", "2100"), rows(statement, "SELECT salary FROM emp WHERE dept = 'eng' ORDER BY id"));
    assertEquals(1, statement.executeUpdate("DELETE FROM emp WHERE id = 4"));
    assertEquals(4, count(statement, "SELECT COUNT(*) FROM emp"));
    assertEquals(1, statement.executeUpdate("UPDATE emp SET id = 40 WHERE id = 5"));
    assertEquals(List.of("1", "2", "3", "40"), rows(statement, "SELECT id FROM emp ORDER BY id"));
    assertEquals(0, statement.executeUpdate("DELETE FROM emp WHERE id = 999"));
  }

  @Test
  void compositePrimaryKeysAndPointLookups() throws SQLException {
    statement.execute("CREATE TABLE stock (warehouse INT, sku VARCHAR(10), qty INT NOT NULL, PRIMARY KEY (warehouse, sku))");
    statement.execute("INSERT INTO stock VALUES (1, 'a', 5), (1, 'b', 6), (2, 'a', 7)");
    SQLException duplicate = assertThrows(SQLException.class,
        () -> statement.execute("INSERT INTO stock VALUES (1, 'b', 9)"));
    assertEquals("23505", duplicate.getSQLState());
    assertEquals(List.of("6"), rows(statement, "SELECT qty FROM stock WHERE warehouse = 1 AND sku = 'b'"));
    assertEquals(List.of("a", "b"), rows(statement, "SELECT sku FROM stock WHERE warehouse = 1 ORDER BY sku"));
    try (PreparedStatement lookup = connection.prepareStatement("SELECT qty FROM stock WHERE warehouse = ? AND sku = ?")) {
      lookup.setInt(1, 2);
      lookup.setString(2, "a");
      try (ResultSet rs = lookup.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(7, rs.getInt(1));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void explainShowsThePointGet() throws SQLException {
    statement.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))");
    String plan = String.join("\n", rows(statement, "EXPLAIN PLAN FOR SELECT name FROM users WHERE id = 7"));
    assertTrue(plan.contains("point get [7]"), plan);
    String scan = String.join("\n", rows(statement, "EXPLAIN PLAN FOR SELECT name FROM users WHERE name = 'x'"));
    assertTrue(scan.contains("full scan"), scan);
  }

  @Test
  void limitWithoutOrderIsPushedIntoTheScan() throws SQLException {
    statement.execute("CREATE TABLE many (id INT PRIMARY KEY, v VARCHAR(5)) SHARDS 4");
    StringBuilder insert = new StringBuilder("INSERT INTO many VALUES (0, 'v')");
    for (int i = 1; i < 50; i++) {
      insert.append(", (").append(i).append(", 'v')");
    }
    statement.execute(insert.toString());
    String plan = String.join("\n", rows(statement, "EXPLAIN PLAN FOR SELECT id FROM many LIMIT 3 OFFSET 2"));
    assertTrue(plan.contains("limit=[5]"), plan);
    assertEquals(3, rows(statement, "SELECT id FROM many LIMIT 3 OFFSET 2").size());
    assertEquals(List.of("0", "1"), rows(statement, "SELECT id FROM many ORDER BY id LIMIT 2"));
    // ORDER BY the key reads in key order: the limit bounds the read. Any other order needs every row.
    String byKey = String.join("\n", rows(statement, "EXPLAIN PLAN FOR SELECT id FROM many ORDER BY id LIMIT 2"));
    assertTrue(byKey.contains("limit=[2]"), byKey);
    String ordered = String.join("\n", rows(statement, "EXPLAIN PLAN FOR SELECT id FROM many ORDER BY v, id LIMIT 2"));
    assertFalse(ordered.contains("limit=["), "an ORDER BY on another column needs every row: " + ordered);
    assertEquals(List.of("0", "1"), rows(statement, "SELECT id FROM many ORDER BY v, id LIMIT 2"));
    assertEquals(List.of("7"), rows(statement, "SELECT id FROM many WHERE id = 7 LIMIT 3"));
  }

  @Test
  void orderByTheLeadingPrimaryKeyColumnsNeedsNoSort() throws SQLException {
    statement.execute("CREATE TABLE ord (a INT, b BIGINT, c VARCHAR(5), PRIMARY KEY (a, b)) SHARDS 4");
    statement.execute("CREATE TABLE named (name VARCHAR(5) PRIMARY KEY, n INT)");
    StringBuilder insert = new StringBuilder("INSERT INTO ord VALUES (9, 9, 'x')");
    for (int i = 0; i < 20; i++) {
      insert.append(", (").append(i % 5).append(", ").append(20 - i).append(", 'v')");
    }
    statement.execute(insert.toString());
    connection.setAutoCommit(false);
    // The transaction's own writes are merged into the scan in key order too.
    statement.execute("INSERT INTO ord VALUES (2, 100, 'own'), (-1, 0, 'own')");

    for (String query : List.of("SELECT a, b FROM ord ORDER BY a, b", "SELECT a, b FROM ord ORDER BY a",
        "SELECT a, b FROM ord WHERE a >= 1 AND a < 3 ORDER BY a, b", "SELECT a, b FROM ord WHERE a = 2 ORDER BY a, b")) {
      String plan = String.join("\n", rows(statement, "EXPLAIN PLAN FOR " + query));
      assertFalse(plan.contains("Sort"), query + ": " + plan);
      assertSortedPairs(rows(statement, query.replace("SELECT a, b", "SELECT a || ':' || b")), query);
    }
    assertEquals(List.of("2:100", "2:18", "2:13", "2:8", "2:3"),
        rows(statement, "SELECT a || ':' || b FROM ord WHERE a = 2 ORDER BY b DESC"));
    for (String query : List.of("SELECT a, b FROM ord ORDER BY b", "SELECT a, b FROM ord ORDER BY a DESC",
        "SELECT b FROM ord ORDER BY b", "SELECT name FROM named ORDER BY name")) {
      String plan = String.join("\n", rows(statement, "EXPLAIN PLAN FOR " + query));
      assertTrue(plan.contains("Sort"), query + ": " + plan);
    }
    assertEquals(List.of("9", "4", "4", "4", "4"), rows(statement, "SELECT a FROM ord ORDER BY a DESC LIMIT 5"));
    connection.rollback();
    connection.setAutoCommit(true);
  }

  private static void assertSortedPairs(List<String> pairs, String query) {
    List<long[]> parsed = new ArrayList<>();
    for (String pair : pairs) {
      String[] parts = pair.split(":");
      parsed.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
    }
    List<long[]> sorted = new ArrayList<>(parsed);
    sorted.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
    assertTrue(!parsed.isEmpty(), query);
    for (int i = 0; i < parsed.size(); i++) {
      assertArrayEquals(sorted.get(i), parsed.get(i), query + " returned " + pairs);
    }
  }

  @Test
  void manualCommitAndRollback() throws SQLException {
    statement.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance INT NOT NULL)");
    connection.setAutoCommit(false);
    statement.execute("INSERT INTO acct VALUES (1, 100)");
    connection.rollback();
    assertEquals(0, count(statement, "SELECT COUNT(*) FROM acct"));
    statement.execute("INSERT INTO acct VALUES (1, 100)");
    assertEquals(1, count(statement, "SELECT COUNT(*) FROM acct"));
    connection.commit();
    connection.setAutoCommit(true);
    assertEquals(1, count(statement, "SELECT COUNT(*) FROM acct"));

    statement.execute("START TRANSACTION");
    statement.execute("UPDATE acct SET balance = 0 WHERE id = 1");
    statement.execute("ROLLBACK");
    assertEquals(List.of("100"), rows(statement, "SELECT balance FROM acct"));
    statement.execute("BEGIN");
    statement.execute("UPDATE acct SET balance = 50 WHERE id = 1");
    statement.execute("COMMIT");
    assertEquals(List.of("50"), rows(statement, "SELECT balance FROM acct"));
  }

  @Test
  void badInputGetsItsSqlStateAndWritesNothing() throws SQLException {
    statement.execute("CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(5) NOT NULL, n INT)");
    statement.execute("INSERT INTO p VALUES (1, 'one', 1)");
    assertState("42601", "SELEC * FROM p");
    assertState("42601", "CREATE TABLE broken (id INT PRIMARY KEY");
    assertState("42P01", "SELECT * FROM nowhere");
    assertState("42703", "SELECT nope FROM p");
    assertState("42703", "INSERT INTO p (id, nope) VALUES (2, 1)");
    assertState("22001", "INSERT INTO p VALUES (2, 'too long', 2)");
    assertState("23502", "INSERT INTO p VALUES (2, NULL, 2)");
    assertState("23502", "INSERT INTO p (id) VALUES (2)");
    assertState("23505", "INSERT INTO p VALUES (1, 'dup', 1)");
    assertState("23505", "INSERT INTO p VALUES (7, 'a', 1), (7, 'b', 2)");
    assertState("42P07", "CREATE TABLE p (id INT PRIMARY KEY)");
    assertState("42P01", "DROP TABLE nowhere");
    assertState("42804", "INSERT INTO p VALUES (2, 'x', DATE '2026-01-01')");
    assertState("22012", "SELECT n / 0 FROM p");
    assertState("42P16", "CREATE TABLE twokeys (a INT PRIMARY KEY, b INT PRIMARY KEY)");
    // Nothing of the failed statements was written, and the connection still works.
    assertEquals(List.of("1|one|1"), rows(statement, "SELECT * FROM p"));

    connection.setAutoCommit(false);
    statement.execute("INSERT INTO p VALUES (3, 'three', 3)");
    assertState("23505", "INSERT INTO p VALUES (4, 'four', 4), (3, 'again', 3)");
    connection.commit();
    assertEquals(List.of("1", "3"), rows(statement, "SELECT id FROM p ORDER BY id"));
  }

  @Test
  void ddlIfExistsAndIfNotExists() throws SQLException {
    statement.execute("CREATE TABLE IF NOT EXISTS a (id INT PRIMARY KEY)");
    statement.execute("CREATE TABLE IF NOT EXISTS a (id INT PRIMARY KEY, other INT)");
    statement.execute("INSERT INTO a VALUES (1)");
    statement.execute("DROP TABLE a");
    statement.execute("DROP TABLE IF EXISTS a");
    statement.execute("CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(3))");
    assertEquals(0, count(statement, "SELECT COUNT(*) FROM a"));
    DatabaseMetaData meta = connection.getMetaData();
    try (ResultSet tables = meta.getTables(null, "public", "%", null)) {
      assertTrue(tables.next());
      assertEquals("a", tables.getString("TABLE_NAME"));
    }
    try (ResultSet columns = meta.getColumns(null, "public", "a", "%")) {
      assertTrue(columns.next());
      assertEquals("id", columns.getString("COLUMN_NAME"));
      assertTrue(columns.next());
      assertEquals("v", columns.getString("COLUMN_NAME"));
      assertEquals(3, columns.getInt("COLUMN_SIZE"));
    }
    try (ResultSet keys = meta.getPrimaryKeys(null, "public", "a")) {
      assertTrue(keys.next());
      assertEquals("id", keys.getString("COLUMN_NAME"));
    }
  }

  private void assertState(String sqlState, String sql) {
    SQLException error = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
    assertEquals(sqlState, error.getSQLState(), sql + " -> " + error.getMessage());
  }
}
