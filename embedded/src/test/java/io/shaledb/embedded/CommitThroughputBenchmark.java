package io.shaledb.embedded;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit throughput through JDBC in file mode, with 1 and 8 threads: what group commit buys
 * (concurrent commits share one log sync). A measurement that prints, not a test of speed: it is
 * not matched by the build's test patterns and runs only when asked for:
 * {@code ./mvnw -B -o -pl cluster -am test -Dtest=CommitThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CommitThroughputBenchmark {
  private static final long WARM_UP_MS = 2_000;
  private static final long MEASURE_MS = 5_000;

  @TempDir Path dataDirectory;

  /** One transaction of the workload, on a connection of one thread; {@code id} is unique. */
  private interface Work {
    void run(Connection connection, long id) throws SQLException;
  }

  @Test
  void commitThroughput() throws Exception {
    String url = "jdbc:shaledb:file:" + dataDirectory;
    try (Connection keepOpen = DriverManager.getConnection(url); Statement statement = keepOpen.createStatement()) {
      statement.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(100)) SHARDS 8");
      AtomicLong ids = new AtomicLong();
      Work onePhase = (connection, id) -> {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
          insert.setLong(1, id);
          insert.setString(2, "value " + id);
          insert.executeUpdate(); // auto-commit: one row, one shard, one-phase commit
        }
      };
      Work twoPhase = (connection, id) -> {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
          for (int i = 0; i < 3; i++) {
            insert.setLong(1, -(id * 3 + i) - 1);
            insert.setString(2, "value " + id);
            insert.executeUpdate();
          }
          connection.commit(); // three rows, usually on several shards: two-phase commit
        } finally {
          connection.setAutoCommit(true);
        }
      };
      System.out.println("commit throughput, file mode, " + Runtime.getRuntime().availableProcessors() + " CPUs:");
      for (int threads : new int[] {1, 8}) {
        report("1-row INSERT (1PC)", threads, measure(url, threads, onePhase, ids));
      }
      for (int threads : new int[] {1, 8}) {
        report("3-row transaction (2PC)", threads, measure(url, threads, twoPhase, ids));
      }
    }
  }

  private static void report(String workload, int threads, double commitsPerSecond) {
    System.out.printf("  %-24s %d thread%s: %8.0f commits/s%n", workload, threads, threads == 1 ? " " : "s", commitsPerSecond);
    assertTrue(commitsPerSecond > 0);
  }

  /** Runs {@code work} on {@code threads} connections; returns commits per second after the warm-up. */
  private static double measure(String url, int threads, Work work, AtomicLong ids) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean counting = new AtomicBoolean();
    AtomicLong commits = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try (Connection connection = DriverManager.getConnection(url)) {
          while (!stop.get()) {
            work.run(connection, ids.getAndIncrement());
            if (counting.get()) {
              commits.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      workers.add(worker);
      worker.start();
    }
    Thread.sleep(WARM_UP_MS);
    counting.set(true);
    long started = System.nanoTime();
    Thread.sleep(MEASURE_MS);
    long counted = commits.get();
    double seconds = (System.nanoTime() - started) / 1e9;
    stop.set(true);
    for (Thread worker : workers) {
      worker.join(30_000);
    }
    if (failure.get() != null) {
      throw new AssertionError("a worker failed", failure.get());
    }
    return counted / seconds;
  }
}
