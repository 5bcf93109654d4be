package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkout on one in-memory database per class; each test has its own buyer and products. */
class CheckoutTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static MemoryDatabase db;
  private int user;
  private int lamp;
  private int mug;
  private final List<Long> sleeps = new ArrayList<>();

  @BeforeAll
  static void openDatabase() throws SQLException {
    db = new MemoryDatabase();
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }

  @BeforeEach
  void setUp() throws SQLException {
    int test = TESTS.incrementAndGet();
    user = db.addUser("buyer" + test);
    lamp = db.addProduct("lamp" + test, "30.00", 5);
    mug = db.addProduct("mug" + test, "7.25", 2);
  }

  private long ordersOfTheBuyer() throws SQLException {
    return db.number("SELECT COUNT(*) FROM orders WHERE user_id = " + user);
  }

  private Checkout checkout(DataSource database) {
    return new Checkout(database, CLOCK, new Random(1), sleeps::add);
  }

  @Test
  void anOrderIsPricedFromTheDatabaseAndTakesTheStock() throws Exception {
    CheckoutResult result = checkout(db.pool()).place(user, new Cart(Map.of(lamp, 2, mug, 1)));
    CheckoutResult.Placed placed = assertInstanceOf(CheckoutResult.Placed.class, result);
    assertEquals(new BigDecimal("67.25"), placed.total());
    assertEquals(3, db.number("SELECT stock FROM products WHERE id = " + lamp));
    assertEquals(1, db.number("SELECT stock FROM products WHERE id = " + mug));
    assertEquals(1, db.number("SELECT COUNT(*) FROM orders WHERE total = 67.25 AND user_id = " + user
        + " AND created_at = TIMESTAMP '2026-03-01 12:00:00' AND id = " + placed.orderId()));
    assertEquals(2, db.number("SELECT COUNT(*) FROM order_lines WHERE order_id = " + placed.orderId()));
    assertEquals(1, db.number("SELECT COUNT(*) FROM order_lines WHERE unit_price = 7.25 AND quantity = 1 "
        + "AND product_id = " + mug));
  }

  @Test
  void oneProductShortFailsTheWholeOrder() throws Exception {
    CheckoutResult result = checkout(db.pool()).place(user, new Cart(Map.of(lamp, 2, mug, 3)));
    CheckoutResult.OutOfStock short_ = assertInstanceOf(CheckoutResult.OutOfStock.class, result);
    assertEquals(mug, short_.productId());
    assertEquals(2, short_.available());
    assertEquals(3, short_.requested());
    assertEquals(5, db.number("SELECT stock FROM products WHERE id = " + lamp), "the lamp's stock is put back");
    assertEquals(2, db.number("SELECT stock FROM products WHERE id = " + mug));
    assertEquals(0, ordersOfTheBuyer());
  }

  @Test
  void unknownProductsAndEmptyCartsOrderNothing() throws Exception {
    assertEquals(new CheckoutResult.UnknownProduct(424242),
        checkout(db.pool()).place(user, new Cart(Map.of(lamp, 1, 424242, 1))));
    assertEquals(new CheckoutResult.EmptyCart(), checkout(db.pool()).place(user, Cart.EMPTY));
    assertEquals(5, db.number("SELECT stock FROM products WHERE id = " + lamp));
    assertEquals(0, ordersOfTheBuyer());
  }

  @Test
  void aWriteConflictRunsTheWholeTransactionAgainOnFreshReads() throws Exception {
    // The first commit of the checkout meets another order that took 4 lamps after the checkout read the stock:
    // ShaleDB refuses the commit with 40001, and the retry reads the new stock (1) and fails on it.
    DataSource racing = withRivalBeforeFirstCommit(db.pool(), "UPDATE products SET stock = stock - 4 WHERE id = "
        + lamp);
    CheckoutResult result = checkout(racing).place(user, new Cart(Map.of(lamp, 2)));
    assertEquals(new CheckoutResult.OutOfStock(lamp, "lamp" + TESTS.get(), 1, 2), result);
    assertEquals(1, sleeps.size(), "one back-off between the two attempts");
    assertEquals(1, db.number("SELECT stock FROM products WHERE id = " + lamp));
    assertEquals(0, ordersOfTheBuyer());
  }

  @Test
  void aRetriedOrderIsPlacedOnceWithTheStockItReadLast() throws Exception {
    DataSource racing = withRivalBeforeFirstCommit(db.pool(), "UPDATE products SET stock = stock - 1 WHERE id = "
        + lamp);
    CheckoutResult result = checkout(racing).place(user, new Cart(Map.of(lamp, 2)));
    assertInstanceOf(CheckoutResult.Placed.class, result);
    assertEquals(1, sleeps.size());
    assertEquals(2, db.number("SELECT stock FROM products WHERE id = " + lamp));
    assertEquals(1, ordersOfTheBuyer());
  }

  @Test
  void concurrentBuyersNeverOversell() throws Exception {
    Checkout shared = new Checkout(db.pool(), CLOCK, new Random(7), millis -> Thread.sleep(millis));
    List<Thread> threads = new ArrayList<>();
    List<CheckoutResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      threads.add(new Thread(() -> {
        try {
          results.add(shared.place(user, new Cart(Map.of(mug, 1))));
        } catch (SQLException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(8, results.size());
    assertEquals(2, results.stream().filter(r -> r instanceof CheckoutResult.Placed).count());
    assertTrue(results.stream().allMatch(r -> r instanceof CheckoutResult.Placed
        || r instanceof CheckoutResult.OutOfStock), results.toString());
    assertEquals(0, db.number("SELECT stock FROM products WHERE id = " + mug));
    assertEquals(2, db.number("SELECT COUNT(*) FROM order_lines WHERE product_id = " + mug));
  }

  /**
   * {@code database}, except that the first connection's first commit is preceded by {@code rivalSql}, committed
   * on another connection: a concurrent order that wins the race.
   */
  private static DataSource withRivalBeforeFirstCommit(DataSource database, String rivalSql) {
    AtomicBoolean rivalRan = new AtomicBoolean();
    return (DataSource) Proxy.newProxyInstance(CheckoutTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(method, database, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection connection = (Connection) result;
          return Proxy.newProxyInstance(CheckoutTest.class.getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                if (m.getName().equals("commit") && rivalRan.compareAndSet(false, true)) {
                  try (Connection rival = database.getConnection(); Statement s = rival.createStatement()) {
                    s.executeUpdate(rivalSql);
                  }
                }
                return invoke(m, connection, a);
              });
        });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
