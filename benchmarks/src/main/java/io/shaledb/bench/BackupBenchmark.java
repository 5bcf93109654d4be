package io.shaledb.bench;

import io.shaledb.bench.workload.Engine;
import io.shaledb.bench.workload.Sizes;
import io.shaledb.bench.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Backup and restore throughput on an embedded file database loaded with the e-commerce data, and how much a
 * running BACKUP slows point selects. A program that prints a table, never a test:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.shaledb.bench.BackupBenchmark --dir /tmp/backup-bench [--scale 1.0]
 * </pre>
 *
 * <p>It loads {@code DIR/source}, measures point selects and one-row updates for a few seconds alone and then while
 * backups run back to back, times one BACKUP DATABASE and one RESTORE DATABASE into {@code DIR/target}, and checks the restored
 * row counts against the source's. {@code DIR} must be new or empty.
 */
public final class BackupBenchmark {
  private static final long WINDOW_NANOS = 5_000_000_000L;

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = null;
    double scale = 1.0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("usage: --dir DIR [--scale FACTOR]; unknown " + args[i]);
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("usage: --dir DIR [--scale FACTOR]");
    }
    Files.createDirectories(dir);
    try (Stream<Path> existing = Files.list(dir)) {
      if (existing.findAny().isPresent()) {
        throw new IllegalArgumentException(dir + " is not empty");
      }
    }
    Sizes sizes = new Sizes((int) (Sizes.DEFAULT.users() * scale), Math.max(1, (int) (Sizes.DEFAULT.products() * scale)),
        (int) (Sizes.DEFAULT.orders() * scale));
    PrintStream out = System.out;
    String source = "jdbc:shaledb:file:" + dir.resolve("source");
    Workload workload = new Workload(Engine.forUrl(source), sizes, 42, System::nanoTime, System.err);
    workload.load();
    long rows = (long) sizes.users() + sizes.products() + sizes.orders();

    try (Connection c = DriverManager.getConnection(source)) {
      String select = "SELECT username FROM users WHERE id = ?";
      // A one-row write transaction: each commit waits for its fsync.
      String update = "UPDATE products SET stock = stock - 1 WHERE id = ?";
      double selectsAlone = ops(c, select, sizes.users(), dir, false);
      double selectsDuring = ops(c, select, sizes.users(), dir, true);
      double updatesAlone = ops(c, update, sizes.products(), dir, false);
      double updatesDuring = ops(c, update, sizes.products(), dir, true);

      Path backup = dir.resolve("full");
      long t0 = System.nanoTime();
      execute(c, "BACKUP DATABASE TO '" + backup + "'");
      double backupSeconds = (System.nanoTime() - t0) / 1e9;
      long backupBytes = sizeOf(backup);
      long sourceBytes = sizeOf(dir.resolve("source"));

      String target = "jdbc:shaledb:file:" + dir.resolve("target");
      double restoreSeconds;
      try (Connection t = DriverManager.getConnection(target)) {
        long t1 = System.nanoTime();
        execute(t, "RESTORE DATABASE FROM '" + backup + "'");
        restoreSeconds = (System.nanoTime() - t1) / 1e9;
        for (String table : new String[] {"users", "products", "orders"}) {
          long want = count(c, table);
          long got = count(t, table);
          if (want != got) {
            throw new IllegalStateException(table + ": restored " + got + " rows, the source has " + want);
          }
        }
      }

      out.printf(Locale.ROOT, "rows %,d (users %,d, products %,d, orders %,d); data directory %.1f MB, backup %.2f MB%n",
          rows, sizes.users(), sizes.products(), sizes.orders(), sourceBytes / 1e6, backupBytes / 1e6);
      out.printf(Locale.ROOT, "%-8s %9s %12s %14s %12s%n", "step", "seconds", "rows/s", "data MB/s", "backup MB/s");
      out.printf(Locale.ROOT, "%-8s %9.2f %,12.0f %14.1f %12.2f%n", "backup", backupSeconds, rows / backupSeconds,
          sourceBytes / 1e6 / backupSeconds, backupBytes / 1e6 / backupSeconds);
      out.printf(Locale.ROOT, "%-8s %9.2f %,12.0f %14s %12.2f%n", "restore", restoreSeconds, rows / restoreSeconds,
          "-", backupBytes / 1e6 / restoreSeconds);
      out.printf(Locale.ROOT, "point selects, 1 connection: %,.0f ops/s alone, %,.0f ops/s during backups (%.0f%%)%n",
          selectsAlone, selectsDuring, 100.0 * selectsDuring / selectsAlone);
      out.printf(Locale.ROOT, "one-row updates, 1 connection: %,.0f ops/s alone, %,.0f ops/s during backups (%.0f%%)%n",
          updatesAlone, updatesDuring, 100.0 * updatesDuring / updatesAlone);
    }
  }

  /**
   * Runs of {@code sql} (one parameter: an id from 1 to {@code ids}) per second on one auto-commit connection
   * over {@link #WINDOW_NANOS}, after a one-second warm-up; with {@code duringBackups}, while another connection
   * runs full backups back to back for the whole window.
   */
  private static double ops(Connection c, String sql, int ids, Path dir, boolean duringBackups) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      long warmEnd = System.nanoTime() + 1_000_000_000L;
      while (System.nanoTime() < warmEnd) {
        runOne(statement, 1 + random.nextInt(ids));
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong backups = new AtomicLong();
      Thread backupLoop = null;
      if (duringBackups) {
        backupLoop = new Thread(() -> {
          try (Connection b = DriverManager.getConnection(c.getMetaData().getURL())) {
            while (!stop.get()) {
              execute(b, "BACKUP DATABASE TO '" + Files.createTempDirectory(dir, "during-") + "'");
              backups.incrementAndGet();
            }
          } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
          }
        });
        backupLoop.start();
      }
      long ops = 0;
      long start = System.nanoTime();
      long end = start + WINDOW_NANOS;
      long now;
      while ((now = System.nanoTime()) < end) {
        runOne(statement, 1 + random.nextInt(ids));
        ops++;
      }
      if (backupLoop != null) {
        stop.set(true);
        backupLoop.join();
        System.err.println(backups.get() + " backups ran during the window");
      }
      return ops / ((now - start) / 1e9);
    }
  }

  private static void runOne(PreparedStatement statement, int id) throws SQLException {
    statement.setInt(1, id);
    if (statement.execute()) {
      try (ResultSet rs = statement.getResultSet()) {
        if (!rs.next()) {
          throw new IllegalStateException("row " + id + " is missing");
        }
      }
    } else if (statement.getUpdateCount() != 1) {
      throw new IllegalStateException("row " + id + " is missing");
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long sizeOf(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
