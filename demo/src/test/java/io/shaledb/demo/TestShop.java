package io.shaledb.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Properties;
import java.util.UUID;

/**
 * A shop running for a test on a loopback port, with its own database (an in-memory one unless a URL is given),
 * cheap password hashing and a little sample data; and plain JDBC to look at what it wrote.
 */
final class TestShop implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-password";
  static final SampleSizes SMALL = new SampleSizes(3, 14, 10);

  private final ShopConfig config;
  private final Shop shop;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  /** Holds an in-memory database open between the test's own connections. */
  private final Connection keeper;

  private TestShop(ShopConfig config) throws SQLException {
    this.config = config;
    this.shop = Shop.start(config, Clock.systemUTC(), new SecureRandom(),
        new PrintStream(output, true, StandardCharsets.UTF_8));
    this.keeper = connect();
  }

  /** A shop on a fresh in-memory database. */
  static TestShop start() throws SQLException {
    return start("jdbc:shaledb:mem:shop-" + UUID.randomUUID(), null, null);
  }

  /** A shop on the database at {@code url}. */
  static TestShop start(String url, String user, String password) throws SQLException {
    ShopConfig config = ShopConfig.defaults().withDatabase(url, user, password).withWeb("127.0.0.1", 0)
        .withPasswordIterations(1_000).withSampleData(SMALL).withAdminPassword(ADMIN_PASSWORD);
    return new TestShop(config);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + shop.port();
  }

  /** What the shop printed while starting. */
  String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (config.user() != null) {
      properties.setProperty("user", config.user());
      properties.setProperty("password", config.password());
    }
    return DriverManager.getConnection(config.url(), properties);
  }

  /** Adds a product directly in the database; returns its id. */
  int addProduct(String name, String price, int stock) throws SQLException {
    try (Connection c = connect()) {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO products (name, price, description, stock, created_at) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, name);
        insert.setBigDecimal(2, new BigDecimal(price));
        insert.setString(3, "added by a test");
        insert.setInt(4, stock);
        insert.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
        insert.executeUpdate();
      }
      try (PreparedStatement select = c.prepareStatement("SELECT id FROM products WHERE name = ?")) {
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }
  }

  int stock(int productId) throws SQLException {
    return (int) number("SELECT stock FROM products WHERE id = " + productId);
  }

  void setStock(int productId, int stock) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE products SET stock = " + stock + " WHERE id = " + productId);
    }
  }

  /** The first column of the first row of {@code sql}, a number. */
  long number(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Everything a request could change, as one comparable text: the rows of users, orders and order lines (by
   * count and key) and every product's stock and price.
   */
  String fingerprint() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : new String[] {
          "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM users",
          "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM orders",
          "SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM order_lines",
          "SELECT id, name, price, stock FROM products ORDER BY id"}) {
        try (ResultSet rs = s.executeQuery(sql)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              out.append(rs.getString(i)).append('|');
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws SQLException {
    try {
      shop.close();
    } finally {
      keeper.close();
    }
  }
}
