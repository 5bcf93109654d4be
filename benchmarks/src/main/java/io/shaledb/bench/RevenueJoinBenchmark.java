package io.shaledb.bench;

import io.shaledb.embedded.EmbeddedNode;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.StorageConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The workload's revenue aggregate ({@code SUM(quantity * price)} over every order joined with its
 * product) in memory, as the planner plans it without statistics ({@code none}: a lookup join, one
 * point get per order) and after ANALYZE ({@code analyzed}: one scan of products, joined by hash; at a
 * fifth of the orders the planner picks a merge join instead). Same data, same JVM.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RevenueJoin}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RevenueJoinBenchmark {
  /** The workload runner's default sizes. */
  static final int PRODUCTS = 1_000;
  static final int ORDERS = 100_000;
  static final String REVENUE =
      "SELECT SUM(o.quantity * p.price) FROM orders o JOIN products p ON p.id = o.product_id WHERE o.id > ?";

  /** {@code none}: never analyzed; {@code analyzed}: ANALYZE ran after the load. */
  @Param({"none", "analyzed"})
  public String statistics;

  /** Orders loaded; fewer in the test that checks the plans. */
  int orders = ORDERS;
  private EmbeddedNode node;
  private Session session;
  private PreparedSql revenue;
  private final AtomicBoolean noCancel = new AtomicBoolean();

  @Setup(Level.Trial)
  public void open() {
    node = EmbeddedNode.open(StorageConfig.inMemory(),
        new SqlEngineConfig(Clock.systemUTC(), SqlEngineConfig.DEFAULT_SHARD_COUNT).withAutoAnalyze(false)
            // The JVM's first plan generates Calcite's metadata and operator code; on a loaded machine that
            // alone took longer than the default 10 s. Setup only: the measured query runs its prepared plan.
            .withPlanningTimeoutMs(300_000));
    session = node.engine().openSession();
    session.execute("CREATE TABLE products (id INT PRIMARY KEY, price DECIMAL(10,2) NOT NULL)");
    session.execute("CREATE TABLE orders (user_id INT NOT NULL, id BIGINT NOT NULL, product_id INT NOT NULL, "
        + "quantity INT NOT NULL, PRIMARY KEY (user_id, id))");
    insert("INSERT INTO products VALUES (?, ?)", PRODUCTS, id -> List.of(id, java.math.BigDecimal.valueOf(100 + id % 900, 2)));
    insert("INSERT INTO orders VALUES (?, ?, ?, ?)", orders,
        id -> List.of(id % 2_000, (long) id, 1 + (id * 7919) % PRODUCTS, 1 + id % 5));
    if (statistics.equals("analyzed")) {
      session.execute("ANALYZE");
    }
    revenue = session.prepare(REVENUE);
  }

  private void insert(String sql, int rows, java.util.function.IntFunction<List<Object>> row) {
    PreparedSql insert = session.prepare(sql);
    session.execute("BEGIN");
    for (int id = 1; id <= rows; id++) {
      session.execute(insert, new ArrayList<>(row.apply(id)), noCancel);
    }
    session.execute("COMMIT");
  }

  @TearDown(Level.Trial)
  public void close() {
    session.close();
    node.close();
  }

  /** The physical plan the benchmark runs, for checking which join it is. */
  String physicalPlan() {
    return revenue.plan() instanceof io.shaledb.sql.plan.StatementPlan.Query query ? query.physicalPlan() : "";
  }

  @Benchmark
  public Object revenue() {
    return PointSelectPlanningBenchmark.single(session.execute(revenue, List.of(0L), noCancel));
  }
}
