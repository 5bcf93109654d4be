package io.shaledb.sql.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ANALYZE end to end: the statistics against exact answers computed by H2 over the same rows, the
 * plans they lead to (the benchmark's revenue aggregate), EXPLAIN's estimates, the automatic
 * refresh and durability across a restart.
 */
class AnalyzeTest {
  private static final String REVENUE =
      "SELECT SUM(o.quantity * p.price) FROM orders o JOIN products p ON p.id = o.product_id WHERE o.id > ?";
  private static final int PRODUCTS = 100;
  private static final int ORDERS = 3_000;

  @TempDir
  Path dataDirectory;

  @Test
  void statisticsAgreeWithExactCountsFromH2() throws SQLException {
    Random random = new Random(20261207);
    List<Object[]> rows = new ArrayList<>();
    for (int id = 1; id <= 6_000; id++) {
      Integer group = random.nextInt(10) == 0 ? null : random.nextInt(300);
      String name = random.nextInt(4) == 0 ? null : "name" + random.nextInt(2_500);
      BigDecimal amount = BigDecimal.valueOf(random.nextInt(100_000), 2);
      rows.add(new Object[] {id, group, name, amount});
    }
    String ddl = "CREATE TABLE t (id INT PRIMARY KEY, grp INT, name VARCHAR(20), amount DECIMAL(10,2))";
    try (LocalEngine node = manual(StorageConfig.inMemory());
        Session session = node.engine().openSession();
        Connection h2 = DriverManager.getConnection("jdbc:h2:mem:analyze" + System.nanoTime())) {
      session.execute(ddl);
      h2.createStatement().execute(ddl);
      insert(session, "INSERT INTO t VALUES (?, ?, ?, ?)", rows);
      try (PreparedStatement insert = h2.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            insert.setObject(i + 1, row[i]);
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
      session.execute("ANALYZE t");
      TableStatistics statistics = statistics(node, "t");

      assertEquals(h2Long(h2, "SELECT COUNT(*) FROM t"), statistics.rowCount());
      for (String column : List.of("id", "grp", "name", "amount")) {
        long distinct = h2Long(h2, "SELECT COUNT(DISTINCT " + column + ") FROM t");
        long estimated = statistics.column(column).distinctCount();
        if (distinct < DistinctSketch.CAPACITY) {
          assertEquals(distinct, estimated, column);
        } else {
          // The sketch's standard error is about 3 %; 10 % is beyond three of them.
          assertTrue(Math.abs(estimated - distinct) <= 0.10 * distinct, column + ": " + estimated + " vs " + distinct);
        }
        double nulls = h2Long(h2, "SELECT COUNT(*) - COUNT(" + column + ") FROM t") / (double) statistics.rowCount();
        assertEquals(nulls, statistics.column(column).nullFraction(), 1e-12, column);
      }
      assertTrue(statistics.column("name").histogram().isEmpty(), "no histogram of text");
      // Range shares from the histogram of a 2,048-row sample: within 5 points of the exact share.
      for (int bound : new int[] {0, 17, 150, 299, 300}) {
        double exact = h2Long(h2, "SELECT COUNT(*) FROM t WHERE grp < " + bound)
            / (double) h2Long(h2, "SELECT COUNT(grp) FROM t");
        assertEquals(exact, statistics.column("grp").fractionBelow(bound, false), 0.05, "grp < " + bound);
      }
      for (String bound : List.of("10.00", "250.50", "999.99")) {
        double exact = h2Long(h2, "SELECT COUNT(*) FROM t WHERE amount <= " + bound) / (double) rows.size();
        assertEquals(exact, statistics.column("amount").fractionBelow(Double.parseDouble(bound), true), 0.05,
            "amount <= " + bound);
      }
    }
  }

  @Test
  void revenueAggregateBecomesAHashJoinOverOneScanOfProductsOnceAnalyzed() {
    try (LocalEngine node = manual(StorageConfig.inMemory()); Session session = node.engine().openSession()) {
      loadShop(session);
      List<String> before = explain(session, REVENUE);
      assertTrue(has(before, "ShaleLookupJoin"), String.join("\n", before));
      Object expected = revenue(session);

      session.execute("ANALYZE");
      List<String> after = explain(session, REVENUE);
      assertFalse(has(after, "ShaleLookupJoin"), String.join("\n", after));
      assertTrue(has(after, "EnumerableHashJoin"), String.join("\n", after));
      assertTrue(after.stream().anyMatch(line -> line.contains("table=[[public, products]]")
          && line.contains("access=[full scan]") && line.contains("rows=[" + PRODUCTS + "]")), String.join("\n", after));
      // Each order finds its one product: the join's estimate is the orders', not Calcite's 15 % of the product.
      assertEquals(rowsOf(after, "public, orders"), rowsOf(after, "EnumerableHashJoin"), String.join("\n", after));
      assertEquals(expected, revenue(session));

      // A user's orders stay a lookup join: ten orders, ten point gets.
      List<String> userOrders = explain(session, "SELECT o.id, p.price FROM orders o JOIN products p "
          + "ON p.id = o.product_id WHERE o.user_id = ?");
      assertTrue(has(userOrders, "ShaleLookupJoin"), String.join("\n", userOrders));
    }
  }

  @Test
  void explainShowsEstimatedRowsFromStatistics() {
    try (LocalEngine node = manual(StorageConfig.inMemory()); Session session = node.engine().openSession()) {
      loadShop(session);
      String byUser = "SELECT * FROM orders WHERE user_id = 7";
      // 1,000 rows assumed before ANALYZE, a tenth of them for an equality on the leading key column, and
      // Calcite's guess of 15 % for the filter above it.
      assertEquals(List.of(100L, 15L), List.of(rowsOf(explain(session, byUser), "ShaleTableScan"),
          rowsOf(explain(session, byUser), "EnumerableCalc")));
      session.execute("ANALYZE orders");
      // 3,000 orders over 300 users: 10 per user, and the filter above keeps them all (its condition is the key's).
      assertEquals(List.of(10L, 10L), List.of(rowsOf(explain(session, byUser), "ShaleTableScan"),
          rowsOf(explain(session, byUser), "EnumerableCalc")));
      assertTrue(has(explain(session, "SELECT * FROM orders"), "rows=[" + ORDERS + "]"));
      // user_id is spread evenly over 0..299: a third of the orders lie below 100.
      List<String> range = explain(session, "SELECT * FROM orders WHERE user_id < 100");
      long estimated = rowsOf(range, "ShaleTableScan");
      assertTrue(Math.abs(estimated - ORDERS / 3) < ORDERS * 0.05, String.join("\n", range));
    }
  }

  @Test
  void anIndexOnAColumnOfFewValuesGivesWayToAFullScanOnceAnalyzed() {
    try (LocalEngine node = manual(StorageConfig.inMemory()); Session session = node.engine().openSession()) {
      session.execute("CREATE TABLE t (id INT PRIMARY KEY, flag INT, v INT)");
      session.execute("CREATE INDEX t_flag ON t (flag)");
      session.execute("CREATE INDEX t_v ON t (v)");
      List<Object[]> rows = new ArrayList<>();
      for (int id = 0; id < 2_000; id++) {
        rows.add(new Object[] {id, id % 2, id});
      }
      insert(session, "INSERT INTO t VALUES (?, ?, ?)", rows);
      String half = "SELECT * FROM t WHERE flag = 1";
      String one = "SELECT * FROM t WHERE v = 1234";
      assertTrue(has(explain(session, half), "index scan t_flag"), String.join("\n", explain(session, half)));
      session.execute("ANALYZE t");
      // Half of the table through the index is 1,000 lookups; one sequential read of 2,000 rows is cheaper.
      assertTrue(has(explain(session, half), "access=[full scan]"), String.join("\n", explain(session, half)));
      assertTrue(has(explain(session, one), "index scan t_v"), String.join("\n", explain(session, one)));
      assertEquals(1_000, rows(session.execute(half)).size());
    }
  }

  @Test
  void statisticsRefreshAfterAShareOfTheRowsChanged() {
    try (LocalEngine node = manual(StorageConfig.inMemory()); Session session = node.engine().openSession()) {
      session.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      TableDef table = node.engine().catalog().table("t").orElseThrow();
      List<Runnable> refreshes = new ArrayList<>();
      StatisticsKeeper keeper = new StatisticsKeeper(node.engine().catalog(), node.kv(), java.time.Clock.systemUTC(),
          refreshes::add);
      insertRange(session, 1, 2_000);
      keeper.recordModified(table, StatisticsKeeper.REFRESH_MIN_ROWS - 1);
      assertTrue(refreshes.isEmpty());
      keeper.recordModified(table, 1);
      assertEquals(1, refreshes.size());
      keeper.recordModified(table, 1_000);
      assertEquals(1, refreshes.size(), "one refresh of a table at a time");
      refreshes.remove(0).run();
      assertEquals(2_000, statistics(node, "t").rowCount());
      assertEquals(0, keeper.modifiedSinceAnalyze(table.tableId()));

      // Next threshold: 500 + 20 % of 2,000 = 900 rows.
      insertRange(session, 2_001, 2_899);
      keeper.recordModified(table, 899);
      assertTrue(refreshes.isEmpty());
      keeper.recordModified(table, 1);
      refreshes.remove(0).run();
      assertEquals(2_899, statistics(node, "t").rowCount());
    }
  }

  @Test
  void theEngineRefreshesOnItsOwnAfterWrites() throws InterruptedException {
    try (LocalEngine node = LocalEngine.open(StorageConfig.inMemory()); Session session = node.engine().openSession()) {
      session.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      insertRange(session, 1, (int) StatisticsKeeper.REFRESH_MIN_ROWS + 100);
      int tableId = node.engine().catalog().table("t").orElseThrow().tableId();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (node.engine().catalog().statistics(tableId).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // At least the rows of the statement that crossed the threshold.
      assertTrue(statistics(node, "t").rowCount() >= StatisticsKeeper.REFRESH_MIN_ROWS);
    }
  }

  @Test
  void statisticsSurviveARestartAndLeaveWithTheirTable() {
    TableStatistics analyzed;
    try (LocalEngine node = manual(StorageConfig.file(dataDirectory));
        Session session = node.engine().openSession()) {
      loadShop(session);
      session.execute("ANALYZE");
      analyzed = statistics(node, "orders");
    }
    try (LocalEngine node = manual(StorageConfig.file(dataDirectory));
        Session session = node.engine().openSession()) {
      assertEquals(analyzed, statistics(node, "orders"));
      assertTrue(has(explain(session, REVENUE), "EnumerableHashJoin"));
      int tableId = node.engine().catalog().table("orders").orElseThrow().tableId();
      session.execute("DROP TABLE orders");
      assertTrue(node.engine().catalog().statistics(tableId).isEmpty());
    }
  }

  @Test
  void analyzeOfAnUnknownTableFails() {
    try (LocalEngine node = manual(StorageConfig.inMemory()); Session session = node.engine().openSession()) {
      ShaleException e = assertThrows(ShaleException.class, () -> session.execute("ANALYZE nothing"));
      assertEquals(SqlState.UNDEFINED_TABLE, e.sqlState());
    }
  }

  /** An engine that gathers statistics only when told to (ANALYZE), so plans before and after are known. */
  private static LocalEngine manual(StorageConfig storage) {
    return LocalEngine.open(storage, new SqlEngineConfig(storage.clock(), SqlEngineConfig.DEFAULT_SHARD_COUNT)
        .withAutoAnalyze(false));
  }

  private static void loadShop(Session session) {
    session.execute("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL)");
    session.execute("CREATE TABLE orders (user_id INT NOT NULL, id BIGINT NOT NULL, product_id INT NOT NULL, "
        + "quantity INT NOT NULL, PRIMARY KEY (user_id, id))");
    List<Object[]> products = new ArrayList<>();
    for (int id = 1; id <= PRODUCTS; id++) {
      products.add(new Object[] {id, "p" + id, BigDecimal.valueOf(100 + id * 37L % 5_000, 2)});
    }
    insert(session, "INSERT INTO products VALUES (?, ?, ?)", products);
    List<Object[]> orders = new ArrayList<>();
    for (int id = 1; id <= ORDERS; id++) {
      orders.add(new Object[] {id % 300, (long) id, 1 + id * 7 % PRODUCTS, 1 + id % 5});
    }
    insert(session, "INSERT INTO orders VALUES (?, ?, ?, ?)", orders);
  }

  private static void insertRange(Session session, int from, int to) {
    List<Object[]> rows = new ArrayList<>();
    for (int id = from; id <= to; id++) {
      rows.add(new Object[] {id, id % 7});
    }
    insert(session, "INSERT INTO t VALUES (?, ?)", rows);
  }

  private static void insert(Session session, String sql, List<Object[]> rows) {
    PreparedSql insert = session.prepare(sql);
    session.execute("BEGIN");
    for (Object[] row : rows) {
      session.execute(insert, Arrays.asList(row), new AtomicBoolean());
    }
    session.execute("COMMIT");
  }

  private static Object revenue(Session session) {
    return rows(session.execute(session.prepare(REVENUE), List.of(0L), new AtomicBoolean())).get(0).get(0);
  }

  private static TableStatistics statistics(LocalEngine node, String table) {
    int tableId = node.engine().catalog().table(table).orElseThrow().tableId();
    TableStatistics statistics = node.engine().catalog().statistics(tableId).orElse(null);
    assertNotNull(statistics, "statistics of " + table);
    return statistics;
  }

  private static List<String> explain(Session session, String sql) {
    return rows(session.execute("EXPLAIN PLAN FOR " + sql)).stream().map(row -> (String) row.get(0)).toList();
  }

  private static boolean has(List<String> plan, String text) {
    return plan.stream().anyMatch(line -> line.contains(text));
  }

  private static long rowsOf(List<String> plan, String operator) {
    String line = plan.stream().filter(l -> l.contains(operator)).findFirst().orElseThrow();
    String rows = line.substring(line.lastIndexOf("rows=[") + 6);
    return Long.parseLong(rows.substring(0, rows.indexOf(']')));
  }

  private static List<List<Object>> rows(ExecutionResult result) {
    List<List<Object>> rows = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) result).cursor()) {
      for (Object[] row : cursor.fetch(Integer.MAX_VALUE)) {
        rows.add(Arrays.asList(row));
      }
    }
    return rows;
  }

  private static long h2Long(Connection h2, String sql) throws SQLException {
    try (ResultSet rs = h2.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
