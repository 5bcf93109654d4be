package io.shaledb.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bank test through JDBC: 8 threads move money between 100 accounts (spread over 8 shards,
 * so most transfers commit with two-phase commit) for a fixed time, retrying on SQLSTATE 40001,
 * while an auditor checks in snapshot after snapshot that the total never changes.
 */
class BankJdbcTest {
  private static final int ACCOUNTS = 100;
  private static final long INITIAL_BALANCE = 1_000;
  private static final long TOTAL = ACCOUNTS * INITIAL_BALANCE;
  private static final int WRITERS = 8;
  private static final long RUN_MS = 3_000;
  private static final long JOIN_LIMIT_MS = 30_000;
  private static final int ATTEMPTS_MAX = 50;

  /** Thrown when a transfer used up its attempts; fails the test. */
  private static final class GaveUp extends Exception {
    private static final long serialVersionUID = 1L;

    GaveUp(SQLException last) {
      super("transfer gave up after " + ATTEMPTS_MAX + " attempts", last);
    }
  }

  @Test
  void concurrentTransfersKeepTheTotalInEverySnapshot() throws Exception {
    long seed = System.nanoTime();
    String url = "jdbc:shaledb:mem:" + UUID.randomUUID();
    try (Connection setup = DriverManager.getConnection(url)) {
      try (Statement statement = setup.createStatement()) {
        statement.execute("CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL) SHARDS 8");
      }
      setup.setAutoCommit(false);
      try (PreparedStatement insert = setup.prepareStatement("INSERT INTO account VALUES (?, ?)")) {
        for (int id = 0; id < ACCOUNTS; id++) {
          insert.setInt(1, id);
          insert.setLong(2, INITIAL_BALANCE);
          insert.executeUpdate();
        }
      }
      setup.commit();
      // Plan the audit queries once before the clock starts: the first planning of a query
      // (Calcite, Janino) takes seconds on a cold JVM, which would leave the run unaudited.
      audit(setup);
      setup.commit();

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong committed = new AtomicLong();
      AtomicLong aborted = new AtomicLong();
      AtomicLong audits = new AtomicLong();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Random random = new Random(seed + w);
        threads.add(new Thread(() -> {
          try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            while (!stop.get()) {
              int from = random.nextInt(ACCOUNTS);
              int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
              long amount = 1 + random.nextInt(100);
              aborted.addAndGet(transferWithRetry(connection, from, to, amount, random));
              committed.incrementAndGet();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "bank-writer-" + w));
      }
      threads.add(new Thread(() -> {
        try (Connection connection = DriverManager.getConnection(url)) {
          connection.setAutoCommit(false);
          connection.setReadOnly(true);
          while (!stop.get()) {
            long[] totals = audit(connection);
            assertEquals(TOTAL, totals[0], "total in one snapshot (seed " + seed + ")");
            assertEquals(ACCOUNTS, totals[1]);
            assertEquals(TOTAL, totals[2], "row-by-row total in the same snapshot (seed " + seed + ")");
            connection.commit(); // read-only: never aborts
            audits.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "bank-auditor"));

      long started = System.nanoTime();
      threads.forEach(Thread::start);
      Thread.sleep(RUN_MS);
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(JOIN_LIMIT_MS);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      for (Thread thread : threads) {
        assertFalse(thread.isAlive(), thread.getName() + " did not finish: deadlocked or stuck (seed " + seed + ")");
      }
      if (!failures.isEmpty()) {
        AssertionError error = new AssertionError("a thread failed (seed " + seed + ")", failures.peek());
        failures.stream().skip(1).forEach(error::addSuppressed);
        throw error;
      }

      long attempts = committed.get() + aborted.get();
      System.out.printf(
          "bank over JDBC: %d writers, %d accounts, %.1f s: %d transfers committed (%.0f/s), %d aborted with 40001 and retried "
              + "(abort rate %.1f%% of attempts), %d audits%n",
          WRITERS, ACCOUNTS, seconds, committed.get(), committed.get() / seconds, aborted.get(),
          100.0 * aborted.get() / Math.max(1, attempts), audits.get());
      assertTrue(committed.get() > 0);
      assertTrue(audits.get() > 0);
      try (Statement statement = setup.createStatement();
          ResultSet rs = statement.executeQuery("SELECT SUM(balance), COUNT(*), MIN(balance) FROM account")) {
        setup.commit();
        assertTrue(rs.next());
        assertEquals(TOTAL, rs.getLong(1), "seed " + seed);
        assertEquals(ACCOUNTS, rs.getLong(2));
      }
    }
  }

  /** {SUM(balance), COUNT(*), sum of the rows read one by one}, two queries in the connection's transaction. */
  private static long[] audit(Connection connection) throws SQLException {
    long[] totals = new long[3];
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT SUM(balance), COUNT(*) FROM account")) {
      assertTrue(rs.next());
      totals[0] = rs.getLong(1);
      totals[1] = rs.getLong(2);
    }
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT balance FROM account")) {
      while (rs.next()) {
        totals[2] += rs.getLong(1);
      }
    }
    return totals;
  }

  /**
   * One transfer as a client should write it: the whole transaction is retried on 40001, a bounded
   * number of times, with jittered exponential back-off. Returns the number of aborted attempts.
   */
  private static int transferWithRetry(Connection connection, int from, int to, long amount, Random random)
      throws SQLException, InterruptedException, GaveUp {
    SQLException last = null;
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      try {
        long fromBalance = balance(connection, from);
        long toBalance = balance(connection, to);
        update(connection, from, fromBalance - amount);
        update(connection, to, toBalance + amount);
        connection.commit();
        return attempt;
      } catch (SQLException e) {
        connection.rollback();
        if (!"40001".equals(e.getSQLState())) {
          throw e;
        }
        last = e;
        long backOffMs = Math.min(50, 1L << Math.min(attempt, 5));
        Thread.sleep(1 + random.nextInt((int) backOffMs));
      }
    }
    throw new GaveUp(last);
  }

  private static long balance(Connection connection, int id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
      select.setInt(1, id);
      try (ResultSet rs = select.executeQuery()) {
        assertTrue(rs.next());
        return rs.getLong(1);
      }
    }
  }

  private static void update(Connection connection, int id, long balance) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE account SET balance = ? WHERE id = ?")) {
      update.setLong(1, balance);
      update.setInt(2, id);
      assertEquals(1, update.executeUpdate());
    }
  }
}
