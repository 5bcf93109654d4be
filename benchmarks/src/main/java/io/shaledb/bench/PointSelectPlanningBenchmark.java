package io.shaledb.bench;

import io.shaledb.embedded.EmbeddedNode;
import io.shaledb.sql.runtime.QueryCursor;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.StorageConfig;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one point select by primary key costs per execution, by how much of the SQL pipeline it
 * runs: a prepared statement (plan made once), the same text through the plan cache, a new text
 * on the fast path (parse and validate only), and a new text through the cost-based optimizer
 * and code generation.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PointSelectPlanning}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PointSelectPlanningBenchmark {
  static final int ROWS = 1_000;

  private EmbeddedNode cachingNode;
  private EmbeddedNode uncachedNode;
  private Session cached;
  private Session uncached;
  private PreparedSql prepared;
  private final AtomicBoolean noCancel = new AtomicBoolean();
  private int next;

  @Setup(Level.Trial)
  public void open() {
    cachingNode = EmbeddedNode.open(StorageConfig.inMemory());
    uncachedNode = EmbeddedNode.open(StorageConfig.inMemory(),
        new SqlEngineConfig(Clock.systemUTC(), SqlEngineConfig.DEFAULT_SHARD_COUNT).withPlanCacheCapacity(0));
    cached = cachingNode.engine().openSession();
    uncached = uncachedNode.engine().openSession();
    for (Session session : List.of(cached, uncached)) {
      session.execute("CREATE TABLE kv (id INT PRIMARY KEY, v VARCHAR(40))");
      StringBuilder insert = new StringBuilder("INSERT INTO kv VALUES ");
      for (int i = 0; i < ROWS; i++) {
        insert.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'value ").append(i).append("')");
      }
      session.execute(insert.toString());
    }
    prepared = cached.prepare("SELECT v FROM kv WHERE id = ?");
  }

  @TearDown(Level.Trial)
  public void close() {
    cached.close();
    uncached.close();
    cachingNode.close();
    uncachedNode.close();
  }

  private int nextId() {
    next = (next + 7) % ROWS;
    return next;
  }

  @Benchmark
  public Object preparedStatement() {
    return single(cached.execute(prepared, List.of(nextId()), noCancel));
  }

  @Benchmark
  public Object cachedText() {
    return single(cached.execute("SELECT v FROM kv WHERE id = 42"));
  }

  @Benchmark
  public Object uncachedFastPath() {
    return single(uncached.execute("SELECT v FROM kv WHERE id = " + nextId()));
  }

  @Benchmark
  public Object uncachedOptimizerAndCodegen() {
    // The extra conjunct keeps the statement off the fast path; it selects the same row.
    return single(uncached.execute("SELECT v FROM kv WHERE id = " + nextId() + " AND v IS NOT NULL"));
  }

  static Object single(ExecutionResult result) {
    try (QueryCursor cursor = ((ExecutionResult.Rows) result).cursor()) {
      List<Object[]> rows = cursor.fetch(2);
      if (rows.size() != 1) {
        throw new IllegalStateException("expected one row, got " + rows.size());
      }
      return rows.get(0)[0];
    }
  }
}
