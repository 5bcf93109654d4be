package io.shaledb.bench.workload;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The e-commerce workload on one engine: users, products with stock, and orders keyed by (user, order) so a
 * user's orders are a primary-key range on every engine without secondary indexes. Only portable SQL is used,
 * so the same statements run on ShaleDB, H2, SQLite and PostgreSQL.
 *
 * <p>Every product starts with {@link #INITIAL_STOCK} units and a placed order moves quantity from a product's
 * stock into a new order row in one transaction, so stock plus ordered quantity stays constant: {@link
 * #checkInvariant()} verifies it after the run.
 */
public final class Workload {
  static final int INITIAL_STOCK = 1_000_000;
  private static final int BATCH = 500;
  private static final int RANGE = 100;
  private static final int MAX_ATTEMPTS = 1_000;

  private final Engine engine;
  private final Sizes sizes;
  private final long seed;
  private final LongSupplier nanoTime;
  private final PrintStream progress;
  private final AtomicLong nextOrderId;
  private long conservedTotal = -1;

  /**
   * @param seed makes the data and the request mix reproducible
   * @param nanoTime the clock latencies and durations are measured with
   * @param progress where the bulk load draws its progress bar
   */
  public Workload(Engine engine, Sizes sizes, long seed, LongSupplier nanoTime, PrintStream progress) {
    this.engine = engine;
    this.sizes = sizes;
    this.seed = seed;
    this.nanoTime = nanoTime;
    this.progress = progress;
    this.nextOrderId = new AtomicLong(sizes.orders() + 1L);
  }

  public Engine engine() {
    return engine;
  }

  /** A new connection with the engine's durable settings applied. */
  public Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(engine.url(), engine.connectionProperties());
    engine.configure(connection);
    return connection;
  }

  /** The durability sentence for this engine, read over a new connection. */
  public String durability() throws SQLException {
    try (Connection connection = connect()) {
      return engine.durability(connection);
    }
  }

  /**
   * Drops and recreates the tables, then loads them with batched prepared inserts, {@value #BATCH} rows per
   * transaction. Returns the load as one result: rows per second, latency per batch.
   */
  public OpResult load() throws SQLException {
    SplittableRandom random = new SplittableRandom(seed);
    LatencyRecorder batches = new LatencyRecorder();
    long total = (long) sizes.users() + sizes.products() + sizes.orders();
    long started = nanoTime.getAsLong();
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        for (String table : List.of("orders", "products", "users")) {
          s.execute("DROP TABLE IF EXISTS " + table);
        }
        s.execute("CREATE TABLE users (id INT PRIMARY KEY, username VARCHAR(40) NOT NULL, email VARCHAR(80) NOT NULL)");
        s.execute("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL, "
            + "stock INT NOT NULL)");
        s.execute("CREATE TABLE orders (user_id INT NOT NULL, id BIGINT NOT NULL, product_id INT NOT NULL, "
            + "quantity INT NOT NULL, PRIMARY KEY (user_id, id))");
      }
      c.setAutoCommit(false);
      Progress bar = new Progress(progress, total);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (id, username, email) VALUES (?, ?, ?)")) {
        for (int id = 1; id <= sizes.users(); id++) {
          insert.setInt(1, id);
          insert.setString(2, "user" + id);
          insert.setString(3, "user" + id + "@example.com");
          insert.addBatch();
          flushEvery(c, insert, id, sizes.users(), batches, bar);
        }
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO products (id, name, price, stock) VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= sizes.products(); id++) {
          insert.setInt(1, id);
          insert.setString(2, "product" + id);
          insert.setBigDecimal(3, BigDecimal.valueOf(100 + random.nextInt(99_900), 2));
          insert.setInt(4, INITIAL_STOCK);
          insert.addBatch();
          flushEvery(c, insert, id, sizes.products(), batches, bar);
        }
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO orders (user_id, id, product_id, quantity) VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= sizes.orders(); id++) {
          insert.setInt(1, 1 + random.nextInt(sizes.users()));
          insert.setLong(2, id);
          insert.setInt(3, 1 + random.nextInt(sizes.products()));
          insert.setInt(4, 1 + random.nextInt(5));
          insert.addBatch();
          flushEvery(c, insert, id, sizes.orders(), batches, bar);
        }
      }
      bar.finish();
      c.setAutoCommit(true);
      conservedTotal = stockPlusOrdered(c);
    }
    double seconds = (nanoTime.getAsLong() - started) / 1e9;
    long[] sorted = LatencyRecorder.merged(List.of(batches));
    return new OpResult(engine.name(), "bulk load (rows)", 1, total, seconds,
        LatencyRecorder.quantileMicros(sorted, 0.5), LatencyRecorder.quantileMicros(sorted, 0.99), 0);
  }

  private void flushEvery(Connection c, PreparedStatement insert, int done, int of, LatencyRecorder batches,
      Progress bar) throws SQLException {
    if (done % BATCH == 0 || done == of) {
      long t0 = nanoTime.getAsLong();
      insert.executeBatch();
      c.commit();
      batches.record(nanoTime.getAsLong() - t0);
      bar.advance(done % BATCH == 0 ? BATCH : done % BATCH);
    }
  }

  /**
   * Runs one operation on {@code threads} connections for {@code duration} after a warm-up of a fifth of it
   * (at most a second) that is not recorded. Every thread completes at least one recorded operation.
   */
  public OpResult run(Operation operation, int threads, Duration duration) throws SQLException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      long warmupNanos = Math.min(1_000_000_000L, duration.toNanos() / 5);
      List<Future<Worker>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Worker worker = new Worker(operation, new SplittableRandom(seed * 31 + t + 1));
        futures.add(pool.submit(() -> worker.run(ready, warmupNanos, duration.toNanos())));
      }
      List<LatencyRecorder> recorders = new ArrayList<>();
      long retries = 0;
      double seconds = 0;
      for (Future<Worker> future : futures) {
        Worker worker = future.get();
        recorders.add(worker.latencies);
        retries += worker.retries;
        seconds = Math.max(seconds, worker.measuredNanos / 1e9);
      }
      long[] sorted = LatencyRecorder.merged(recorders);
      return new OpResult(engine.name(), operation.label(), threads, sorted.length, seconds,
          LatencyRecorder.quantileMicros(sorted, 0.5), LatencyRecorder.quantileMicros(sorted, 0.99), retries);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof SQLException ? (SQLException) cause : new SQLException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Stock plus ordered quantity now and right after the load; equal unless a transaction was torn. */
  public record Invariant(long expected, long actual) {
    public boolean holds() {
      return expected == actual;
    }
  }

  public Invariant checkInvariant() throws SQLException {
    if (conservedTotal < 0) {
      throw new IllegalStateException("load() first");
    }
    try (Connection c = connect()) {
      return new Invariant(conservedTotal, stockPlusOrdered(c));
    }
  }

  private static long stockPlusOrdered(Connection c) throws SQLException {
    return single(c, "SELECT SUM(stock) FROM products") + single(c, "SELECT SUM(quantity) FROM orders");
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A serialization conflict the transaction should simply run again after. */
  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    if ("40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state)) {
      return true;
    }
    String message = String.valueOf(e.getMessage());
    return message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED");
  }

  /** One client thread: its connection, statements, random stream and what it measured. */
  private final class Worker {
    private final Operation operation;
    private final SplittableRandom random;
    final LatencyRecorder latencies = new LatencyRecorder();
    long retries;
    long measuredNanos;

    Worker(Operation operation, SplittableRandom random) {
      this.operation = operation;
      this.random = random;
    }

    Worker run(CountDownLatch ready, long warmupNanos, long durationNanos) throws SQLException, InterruptedException {
      try (Connection c = connect();
          PreparedStatement pointSelect = c.prepareStatement("SELECT username, email FROM users WHERE id = ?");
          PreparedStatement rangeScan = c.prepareStatement(
              "SELECT id, username FROM users WHERE id >= ? AND id < ? ORDER BY id");
          PreparedStatement readStock = c.prepareStatement("SELECT stock FROM products WHERE id = ?");
          PreparedStatement takeStock = c.prepareStatement("UPDATE products SET stock = stock - ? WHERE id = ?");
          PreparedStatement insertOrder = c.prepareStatement(
              "INSERT INTO orders (user_id, id, product_id, quantity) VALUES (?, ?, ?, ?)");
          PreparedStatement userOrders = c.prepareStatement(
              "SELECT o.id, p.name, o.quantity, p.price FROM orders o JOIN products p ON p.id = o.product_id "
                  + "WHERE o.user_id = ?");
          PreparedStatement revenue = c.prepareStatement(
              "SELECT SUM(o.quantity * p.price) FROM orders o JOIN products p ON p.id = o.product_id WHERE o.id > ?")) {
        if (operation == Operation.PLACE_ORDER) {
          // One explicit transaction per order; switching modes per order would add a round trip on a server.
          c.setAutoCommit(false);
        }
        ready.countDown();
        ready.await();
        long start = nanoTime.getAsLong();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        long now = start;
        boolean measuring = false;
        while (!measuring || now < end) {
          measuring = now >= measureFrom;
          long t0 = now;
          switch (operation) {
            case POINT_SELECT:
              pointSelect.setInt(1, 1 + random.nextInt(sizes.users()));
              drain(pointSelect);
              break;
            case RANGE_SCAN:
              int from = 1 + random.nextInt(sizes.users() - RANGE + 1);
              rangeScan.setInt(1, from);
              rangeScan.setInt(2, from + RANGE);
              drain(rangeScan);
              break;
            case PLACE_ORDER:
              placeOrder(c, readStock, takeStock, insertOrder);
              break;
            case USER_ORDERS:
              userOrders.setInt(1, 1 + random.nextInt(sizes.users()));
              drain(userOrders);
              break;
            case REVENUE:
              // Every order matches; the parameter varies so no engine can hand back a cached result (H2 does).
              revenue.setLong(1, -1 - random.nextInt(1_000_000));
              drain(revenue);
              break;
            default:
              throw new IllegalStateException(operation.name());
          }
          now = nanoTime.getAsLong();
          if (measuring) {
            latencies.record(now - t0);
          }
        }
        measuredNanos = now - measureFrom;
      }
      return this;
    }

    private void placeOrder(Connection c, PreparedStatement readStock, PreparedStatement takeStock,
        PreparedStatement insertOrder) throws SQLException {
      int user = 1 + random.nextInt(sizes.users());
      int product = 1 + random.nextInt(sizes.products());
      int quantity = 1 + random.nextInt(5);
      long orderId = nextOrderId.getAndIncrement();
      for (int attempt = 1; ; attempt++) {
        try {
          readStock.setInt(1, product);
          int stock;
          try (ResultSet rs = readStock.executeQuery()) {
            rs.next();
            stock = rs.getInt(1);
          }
          if (stock >= quantity) {
            takeStock.setInt(1, quantity);
            takeStock.setInt(2, product);
            takeStock.executeUpdate();
            insertOrder.setInt(1, user);
            insertOrder.setLong(2, orderId);
            insertOrder.setInt(3, product);
            insertOrder.setInt(4, quantity);
            insertOrder.executeUpdate();
          }
          c.commit();
          return;
        } catch (SQLException e) {
          c.rollback();
          if (!isRetryable(e) || attempt >= MAX_ATTEMPTS) {
            throw e;
          }
          retries++;
          backOff(random, attempt);
        }
      }
    }
  }

  /** Sleeps up to a millisecond times the attempt number (at most 10 ms), so conflicting writers spread out. */
  private static void backOff(SplittableRandom random, int attempt) throws SQLException {
    try {
      Thread.sleep(random.nextInt(Math.min(attempt, 10) + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }

  private static void drain(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rs.getObject(1);
      }
    }
  }

  /** A one-line progress bar redrawn in place with carriage returns. */
  private static final class Progress {
    private final PrintStream out;
    private final long total;
    private long done;
    private int drawnPercent = -1;

    Progress(PrintStream out, long total) {
      this.out = out;
      this.total = Math.max(1, total);
    }

    void advance(long rows) {
      done += rows;
      int percent = (int) (done * 100 / total);
      if (percent != drawnPercent) {
        drawnPercent = percent;
        int filled = percent * 40 / 100;
        out.print("\r  load [" + "#".repeat(filled) + " ".repeat(40 - filled) + "] " + percent + "% " + done
            + "/" + total + " rows");
        out.flush();
      }
    }

    void finish() {
      out.println();
    }
  }
}
