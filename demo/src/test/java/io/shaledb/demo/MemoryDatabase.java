package io.shaledb.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.UUID;

/** A fresh in-memory ShaleDB with the shop's tables behind a small pool, for tests of one component. */
final class MemoryDatabase implements AutoCloseable {
  private final HikariDataSource pool;

  MemoryDatabase() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:shaledb:mem:test-" + UUID.randomUUID());
    config.setMaximumPoolSize(8);
    pool = new HikariDataSource(config);
    Schema.ensure(pool);
  }

  HikariDataSource pool() {
    return pool;
  }

  int addUser(String username) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (username, password_hash, email, "
          + "is_admin, created_at) VALUES (?, 'not-a-hash', 'u@example.com', FALSE, CURRENT_TIMESTAMP)")) {
        insert.setString(1, username);
        insert.executeUpdate();
      }
      return (int) number("SELECT id FROM users WHERE username = '" + username + "'");
    }
  }

  int addProduct(String name, String price, int stock) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(
        "INSERT INTO products (name, price, stock, created_at) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, name);
      insert.setBigDecimal(2, new BigDecimal(price));
      insert.setInt(3, stock);
      insert.setTimestamp(4, new Timestamp(0));
      insert.executeUpdate();
    }
    return (int) number("SELECT id FROM products WHERE name = '" + name + "'");
  }

  long number(String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
