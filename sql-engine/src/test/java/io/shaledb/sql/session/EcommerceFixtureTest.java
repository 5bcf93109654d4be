package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.testing.LocalEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed article's e-commerce script runs as written through JDBC, with the results its comments expect. */
class EcommerceFixtureTest {
  private static final Path FIXTURE = Path.of("..", "..", "shared", "fixtures", "ecommerce-seed.sql");
  private static final Path BUNDLED = Path.of("src", "test", "resources", "ecommerce-seed.sql");

  @TempDir
  Path dataDirectory;

  @Test
  void fixtureRunsAsWrittenAndItsExpectationsHold() throws Exception {
    String url = "jdbc:shaledb:file:" + dataDirectory;
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      for (String sql : SqlScript.statements(fixture())) {
        statement.execute(sql);
      }
      assertEquals(3, count(statement, "SELECT COUNT(*) FROM users"));
      assertEquals(2, count(statement, "SELECT COUNT(*) FROM products"));
      assertEquals(2, count(statement, "SELECT COUNT(*) FROM orders"));
      try (ResultSet rs = statement.executeQuery("SELECT username FROM users WHERE id = 2")) {
        assertTrue(rs.next());
        assertEquals("bob", rs.getString(1));
      }
      assertEquals(List.of("alice|keyboard|2", "bob|mouse|1"), rows(statement,
          "SELECT u.username, p.name, o.quantity FROM orders o JOIN users u ON o.user_id = u.id "
              + "JOIN products p ON o.product_id = p.id ORDER BY o.id"));

      SQLException foreignKey = assertThrows(SQLException.class, () -> statement.executeUpdate(
          "INSERT INTO orders (user_id, product_id, quantity, created_at) VALUES (99, 1, 1, CURRENT_TIMESTAMP)"));
      assertEquals("23503", foreignKey.getSQLState());
      assertEquals(2, count(statement, "SELECT COUNT(*) FROM orders"));
      SQLException referenced = assertThrows(SQLException.class, () -> statement.executeUpdate("DELETE FROM users WHERE id = 1"));
      assertEquals("23503", referenced.getSQLState());
      assertEquals(3, count(statement, "SELECT COUNT(*) FROM users"));

      SQLException notNull = assertThrows(SQLException.class, () -> statement.executeUpdate(
          "INSERT INTO users (username, password, email) VALUES ('dave', 'x', 'd@example.com')"));
      assertEquals("23502", notNull.getSQLState());
      assertEquals(3, count(statement, "SELECT COUNT(*) FROM users"));
    }
    // The schema and rows survive closing the database (file mode), foreign keys included in the catalog.
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      assertEquals(2, count(statement, "SELECT COUNT(*) FROM orders"));
      assertEquals(List.of("keyboard|49.90", "mouse|19.50"), rows(statement, "SELECT name, price FROM products ORDER BY id"));
    }
    try (LocalEngine node = LocalEngine.open(io.shaledb.storage.StorageConfig.file(dataDirectory))) {
      var orders = node.engine().catalog().table("orders").orElseThrow();
      assertEquals(2, orders.foreignKeys().size());
      assertEquals("users", orders.foreignKeys().get(0).referencedTable());
      assertEquals(List.of("id"), orders.foreignKeys().get(1).referencedColumns());
    }
  }

  private static String fixture() throws IOException {
    Path source = Files.exists(FIXTURE) ? FIXTURE : BUNDLED;
    return Files.readString(source, StandardCharsets.UTF_8);
  }

  static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  static List<String> rows(Statement statement, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          if (i > 1) {
            row.append('|');
          }
          row.append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
