package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchemaTest {
  @Test
  void existingTablesAreKeptAndTheSeedsOwnUsersTableIsRefused() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:shaledb:mem:schema-" + UUID.randomUUID());
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        // The seed's table, verbatim: a plain 20-character password column and no room for a hash.
        s.execute("CREATE TABLE IF NOT EXISTS users (id INT AUTO_INCREMENT PRIMARY KEY, username VARCHAR(20) "
            + "NOT NULL, password VARCHAR(20) NOT NULL, email VARCHAR(20) NOT NULL, created_at TIMESTAMP NOT NULL)");
      }
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Schema.ensure(pool));
      assertTrue(refused.getMessage().startsWith("The database already has a table users that is not the shop's"),
          refused.getMessage());
    }
    try (MemoryDatabase db = new MemoryDatabase()) {
      db.addProduct("kept", "1.00", 1);
      Schema.ensure(db.pool());
      assertEquals(1, db.number("SELECT COUNT(*) FROM products"));
    }
  }
}
