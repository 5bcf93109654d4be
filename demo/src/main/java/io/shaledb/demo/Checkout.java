package io.shaledb.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/**
 * Places orders. One order is one transaction: for each product, read its price and stock and take the quantity
 * off the stock with an UPDATE guarded by {@code stock >= quantity}; then insert the order and its lines. If any
 * product lacks stock, the transaction is rolled back and nothing is written. A write conflict with a concurrent
 * order (SQLSTATE 40001 under ShaleDB's snapshot isolation) rolls back and runs the whole transaction again,
 * reading again, at most {@link #ATTEMPTS_MAX} times. Prices come from the database, never from the request.
 */
final class Checkout {
  static final int ATTEMPTS_MAX = 30;
  private static final long BACK_OFF_MS_MAX = 50;
  private static final String SERIALIZATION_FAILURE = "40001";
  /** Order ids are random: a clash with an existing one (rare) fails the insert, and the attempt is retried. */
  private static final String DUPLICATE_KEY = "23505";
  private static final long ORDER_ID_MIN = 1_000_000_000L;
  private static final long ORDER_ID_SPAN = 9_000_000_000L;

  /** Waits between attempts; a test may pass one that does not sleep. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final DataSource database;
  private final Clock clock;
  private final RandomGenerator random;
  private final Sleeper sleeper;

  /**
   * @param random draws order ids and back-off times; shared by concurrent checkouts, so it must be thread-safe
   *     (e.g. {@link java.security.SecureRandom} or {@link java.util.Random})
   */
  Checkout(DataSource database, Clock clock, RandomGenerator random, Sleeper sleeper) {
    this.database = database;
    this.clock = clock;
    this.random = random;
    this.sleeper = sleeper;
  }

  /** Orders what {@code cart} holds for the user, priced from the database. */
  CheckoutResult place(int userId, Cart cart) throws SQLException, InterruptedException {
    if (cart.isEmpty()) {
      return new CheckoutResult.EmptyCart();
    }
    // Products in id order: two orders of the same products then meet on the same row first.
    Map<Integer, Integer> lines = new TreeMap<>(cart.quantities());
    for (int attempt = 1; ; attempt++) {
      try (Connection c = database.getConnection()) {
        c.setAutoCommit(false);
        try {
          CheckoutResult result = attempt(c, userId, lines);
          if (result instanceof CheckoutResult.Placed) {
            c.commit();
          } else {
            c.rollback();
          }
          return result;
        } catch (SQLException e) {
          c.rollback();
          if (!retryable(e)) {
            throw e;
          }
          if (attempt == ATTEMPTS_MAX) {
            return new CheckoutResult.Busy(attempt);
          }
        }
      }
      // Exponential back-off with jitter, so that the losers of one round do not collide again in the next.
      long capMs = Math.min(BACK_OFF_MS_MAX, 1L << Math.min(attempt, 6));
      sleeper.sleep(1 + random.nextLong(capMs));
    }
  }

  private CheckoutResult attempt(Connection c, int userId, Map<Integer, Integer> lines) throws SQLException {
    Map<Integer, BigDecimal> prices = new TreeMap<>();
    BigDecimal total = BigDecimal.ZERO;
    try (PreparedStatement select = c.prepareStatement("SELECT name, price, stock FROM products WHERE id = ?");
        PreparedStatement take = c.prepareStatement(
            "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?")) {
      for (Map.Entry<Integer, Integer> line : lines.entrySet()) {
        int productId = line.getKey();
        int quantity = line.getValue();
        String name;
        BigDecimal price;
        int stock;
        select.setInt(1, productId);
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            return new CheckoutResult.UnknownProduct(productId);
          }
          name = rs.getString(1);
          price = rs.getBigDecimal(2);
          stock = rs.getInt(3);
        }
        take.setInt(1, quantity);
        take.setInt(2, productId);
        take.setInt(3, quantity);
        if (stock < quantity || take.executeUpdate() != 1) {
          return new CheckoutResult.OutOfStock(productId, name, stock, quantity);
        }
        prices.put(productId, price);
        total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
      }
    }
    long orderId = ORDER_ID_MIN + random.nextLong(ORDER_ID_SPAN);
    Timestamp now = UtcTimestamps.now(clock);
    try (PreparedStatement order = c.prepareStatement(
        "INSERT INTO orders (id, user_id, total, created_at) VALUES (?, ?, ?, ?)")) {
      order.setLong(1, orderId);
      order.setInt(2, userId);
      order.setBigDecimal(3, total);
      order.setTimestamp(4, now);
      order.executeUpdate();
    }
    try (PreparedStatement line = c.prepareStatement(
        "INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<Integer, Integer> entry : lines.entrySet()) {
        line.setLong(1, orderId);
        line.setInt(2, entry.getKey());
        line.setInt(3, entry.getValue());
        line.setBigDecimal(4, prices.get(entry.getKey()));
        line.executeUpdate();
      }
    }
    return new CheckoutResult.Placed(orderId, total);
  }

  private static boolean retryable(SQLException e) {
    return SERIALIZATION_FAILURE.equals(e.getSQLState()) || DUPLICATE_KEY.equals(e.getSQLState());
  }
}
