package io.shaledb.embedded;

import static io.shaledb.embedded.JdbcRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALTER TABLE, indexes and views are stored in the catalog: a reopened database reads old rows the
 * same way and keeps its indexes.
 */
class SchemaChangePersistenceTest {
  @TempDir
  Path dataDirectory;

  @Test
  void schemaChangesAndViewsSurviveReopening() throws SQLException {
    String url = "jdbc:shaledb:file:" + dataDirectory;
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(10), legacy INT)");
      statement.execute("INSERT INTO items VALUES (1, 'old', 5)");
      statement.execute("CREATE UNIQUE INDEX items_name ON items (name)");
      statement.execute("ALTER TABLE items ADD COLUMN price DECIMAL(6,2) NOT NULL DEFAULT 9.99");
      statement.execute("ALTER TABLE items DROP COLUMN legacy");
      statement.execute("ALTER TABLE items RENAME COLUMN name TO title");
      statement.execute("INSERT INTO items VALUES (2, 'new', 1.00)");
      statement.execute("ALTER TABLE items RENAME TO products");
      statement.execute("CREATE VIEW cheap AS SELECT title FROM products WHERE price < 5");
    }
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      assertEquals(List.of("1|old|9.99", "2|new|1.00"), rows(statement, "SELECT * FROM products ORDER BY id"));
      assertEquals(List.of("new"), rows(statement, "SELECT * FROM cheap"));
      // The index survived the rename of its column and of its table, and still enforces uniqueness.
      assertEquals(List.of("products|items_name|title|YES"), rows(statement,
          "SELECT table_name, index_name, column_name, is_unique FROM information_schema.indexes"));
      assertEquals(List.of("2"), rows(statement, "SELECT id FROM products WHERE title = 'new'"));
      SQLException duplicate = assertThrows(SQLException.class,
          () -> statement.execute("INSERT INTO products VALUES (3, 'old', 2.00)"));
      assertEquals("23505", duplicate.getSQLState());
      statement.execute("ALTER TABLE products ADD COLUMN stock INT DEFAULT 0");
      assertEquals(List.of("1|0", "2|0"), rows(statement, "SELECT id, stock FROM products ORDER BY id"));
    }
  }
}
