package io.shaledb.demo;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Fills an empty shop with customers, products with stock and past orders, in one transaction (so a load that
 * fails leaves the shop empty and the next start tries again), drawing a progress bar. A shop that has
 * products is left alone.
 */
final class SampleData {
  /** Every sample customer's password; the README says so. */
  static final String CUSTOMER_PASSWORD = "shaledb-demo";
  private static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace",
      "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor");
  private static final List<String> MATERIALS = List.of("Oak", "Walnut", "Steel", "Linen", "Copper", "Ceramic",
      "Bamboo", "Glass", "Wool", "Leather", "Cork", "Marble");
  private static final List<String> THINGS = List.of("desk lamp", "notebook", "mug", "backpack", "water bottle",
      "monitor stand", "pen set", "plant pot", "desk mat", "cable tray", "bookend", "coaster set");
  private static final Duration HISTORY = Duration.ofDays(90);

  private final DataSource database;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final PrintStream progress;

  SampleData(DataSource database, PasswordHasher hasher, Clock clock, PrintStream progress) {
    this.database = database;
    this.hasher = hasher;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Loads {@code sizes} if the shop has no products yet; the same {@code seed} gives the same data.
   *
   * @return whether anything was loaded
   */
  boolean loadIfEmpty(SampleSizes sizes, long seed) throws SQLException {
    if (sizes.isNone()) {
      return false;
    }
    try (Connection c = database.getConnection()) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM products")) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return false;
        }
      }
      Random random = new Random(seed);
      ProgressBar bar = new ProgressBar(progress, "Loading sample data", sizes.users() + sizes.products() + 2L
          + sizes.orders());
      c.setAutoCommit(false);
      try {
        List<Integer> users = insertUsers(c, sizes.users(), bar);
        List<Product> products = insertProducts(c, sizes.products(), random, bar);
        insertOrders(c, sizes.orders(), users, products, random, bar);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        bar.finish();
      }
      return true;
    }
  }

  private List<Integer> insertUsers(Connection c, int count, ProgressBar bar) throws SQLException {
    Timestamp now = UtcTimestamps.now(clock);
    List<String> names = new ArrayList<>();
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO users (username, password_hash, email, is_admin, created_at) VALUES (?, ?, ?, FALSE, ?)")) {
      for (int i = 0; i < count; i++) {
        String name = i < NAMES.size() ? NAMES.get(i) : "customer" + (i + 1);
        insert.setString(1, name);
        insert.setString(2, hasher.hash(CUSTOMER_PASSWORD));
        insert.setString(3, name + "@example.com");
        insert.setTimestamp(4, now);
        insert.executeUpdate();
        names.add(name);
        bar.advance(1);
      }
    }
    List<Integer> ids = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("SELECT id FROM users WHERE username = ?")) {
      for (String name : names) {
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          ids.add(rs.getInt(1));
        }
      }
    }
    return ids;
  }

  private List<Product> insertProducts(Connection c, int count, Random random, ProgressBar bar)
      throws SQLException {
    List<Product> wanted = new ArrayList<>();
    // The seed's two products, as the seed wrote them.
    wanted.add(new Product(0, "keyboard", new BigDecimal("49.90"), "mechanical, US layout", 25));
    wanted.add(new Product(0, "mouse", new BigDecimal("19.50"), null, 40));
    List<String> names = new ArrayList<>();
    for (String material : MATERIALS) {
      for (String thing : THINGS) {
        names.add(material + " " + thing);
      }
    }
    Collections.shuffle(names, random);
    for (int i = 0; i < count; i++) {
      String name = i < names.size() ? names.get(i) : "Gadget no. " + (i + 1);
      BigDecimal price = BigDecimal.valueOf(500 + random.nextInt(24_500), 2);
      int stock = random.nextInt(12) == 0 ? 0 : 1 + random.nextInt(60);
      String[] words = name.toLowerCase().split(" ", 2);
      String description = "A " + words[words.length - 1] + " made of " + words[0] + ", built to last.";
      wanted.add(new Product(0, name, price, description, stock));
    }
    Timestamp now = UtcTimestamps.now(clock);
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO products (name, price, description, stock, created_at) VALUES (?, ?, ?, ?, ?)")) {
      for (Product p : wanted) {
        insert.setString(1, p.name());
        insert.setBigDecimal(2, p.price());
        insert.setString(3, p.description());
        insert.setInt(4, p.stock());
        insert.setTimestamp(5, now);
        insert.executeUpdate();
        bar.advance(1);
      }
    }
    List<Product> products = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, price, description, stock FROM products ORDER BY id")) {
      while (rs.next()) {
        products.add(new Product(rs.getInt(1), rs.getString(2), rs.getBigDecimal(3), rs.getString(4), rs.getInt(5)));
      }
    }
    return products;
  }

  private void insertOrders(Connection c, int count, List<Integer> users, List<Product> products, Random random,
      ProgressBar bar) throws SQLException {
    Set<Long> orderIds = new HashSet<>();
    long historyMs = HISTORY.toMillis();
    try (PreparedStatement order = c.prepareStatement(
            "INSERT INTO orders (id, user_id, total, created_at) VALUES (?, ?, ?, ?)");
        PreparedStatement line = c.prepareStatement(
            "INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < count; i++) {
        long orderId;
        do {
          orderId = 1_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 9_000_000_000L;
        } while (!orderIds.add(orderId));
        List<Product> chosen = new ArrayList<>(products);
        Collections.shuffle(chosen, random);
        chosen = chosen.subList(0, Math.min(chosen.size(), 1 + random.nextInt(3)));
        List<Integer> quantities = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Product p : chosen) {
          int quantity = 1 + random.nextInt(3);
          quantities.add(quantity);
          total = total.add(p.price().multiply(BigDecimal.valueOf(quantity)));
        }
        order.setLong(1, orderId);
        order.setInt(2, users.get(random.nextInt(users.size())));
        order.setBigDecimal(3, total);
        order.setTimestamp(4, new Timestamp(UtcTimestamps.now(clock).getTime() - (long) (random.nextDouble()
            * historyMs)));
        order.executeUpdate();
        for (int j = 0; j < chosen.size(); j++) {
          line.setLong(1, orderId);
          line.setInt(2, chosen.get(j).id());
          line.setInt(3, quantities.get(j));
          line.setBigDecimal(4, chosen.get(j).price());
          line.executeUpdate();
        }
        bar.advance(1);
      }
    }
  }
}
