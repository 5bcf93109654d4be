package io.shaledb.cluster.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints point selects per second through {@code jdbc:shaledb://} (a server on loopback in this
 * process) and through the embedded URL, at 1 and 4 client threads. A measurement to read, not a
 * test: run it with the test class path, e.g.
 * {@code java -cp cluster/target/test-classes:cluster/target/classes:$(cat cp.txt) io.shaledb.cluster.server.PointSelectThroughput [seconds]}.
 */
public final class PointSelectThroughput {
  private static final int ROWS = 10_000;

  private PointSelectThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path remoteData = Files.createTempDirectory("shaledb-throughput-remote");
    Path embeddedData = Files.createTempDirectory("shaledb-throughput-embedded");
    AtomicLong requests = new AtomicLong();
    RequestAuthenticator counting = (authorization, remoteAddress) -> {
      requests.incrementAndGet();
      return new RequestAuthenticator.Accepted("anonymous");
    };
    try (ShaleServer server = ShaleServer.start(new ServerConfig("127.0.0.1", 0, -1, remoteData, 100, 1 << 24,
        Duration.ofMinutes(10), 64), counting, Clock.systemUTC())) {
      String remote = "jdbc:shaledb://127.0.0.1:" + server.port();
      String embedded = "jdbc:shaledb:file:" + embeddedData;
      // Keeps the embedded database open between runs, as an application would.
      try (Connection keepOpen = DriverManager.getConnection(embedded)) {
        load(remote);
        load(embedded);
        System.out.printf("%-28s %8s %14s %18s%n", "url", "threads", "selects/s", "HTTP requests/select");
        for (int threads : new int[] {1, 4}) {
          for (String url : List.of(embedded, remote)) {
            measure(url, threads, 2, new AtomicLong());
            long before = requests.get();
            AtomicLong selects = new AtomicLong();
            double rate = measure(url, threads, seconds, selects);
            boolean isRemote = url.startsWith("jdbc:shaledb://");
            System.out.printf("%-28s %8d %14.0f %18s%n", isRemote ? "jdbc:shaledb://127.0.0.1" : "jdbc:shaledb:file:",
                threads, rate, isRemote ? String.format("%.2f", (requests.get() - before) / (double) selects.get()) : "-");
          }
        }
      }
    }
  }

  private static void load(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kv (id INT PRIMARY KEY, v VARCHAR(40))");
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          insert.setInt(1, i);
          insert.setString(2, "value " + i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
    }
  }

  /** Point selects per second over {@code seconds}, each thread on its own connection and prepared statement. */
  private static double measure(String url, int threads, int seconds, AtomicLong done) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t;
      Thread worker = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        try (Connection c = DriverManager.getConnection(url);
            PreparedStatement select = c.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
          while (System.nanoTime() < end) {
            select.setInt(1, random.nextInt(ROWS));
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                throw new IllegalStateException("row missing");
              }
            }
            done.incrementAndGet();
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a client failed", failures.get(0));
    }
    return done.get() / (double) seconds;
  }
}
