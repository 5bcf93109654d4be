package io.shaledb.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.fault.ClusterProcesses;
import io.shaledb.cluster.fault.NodeProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank workload on three node JVMs while a nemesis SIGKILLs and restarts random nodes (node 1,
 * the timestamp oracle's and metadata node, included). Clients move money between accounts spread
 * over every shard through JDBC against random nodes; each transfer also inserts its row into a
 * ledger in the same transaction. An auditor reads the total in one snapshot on random nodes
 * throughout. At the end, with every node back and the lock TTL and sweeps passed: no lock is left
 * in any node's storage, every node shows the same accounts and ledger, the total is unchanged,
 * every acknowledged transfer is in the ledger with its amounts, every ledger row is a transfer
 * that was acknowledged or whose outcome was unknown, and each balance is its initial one plus the
 * ledger's movements (so no transfer is half there).
 *
 * <p>How a client treats errors: 40001 (conflict) and 08006 (a needed node is down, nothing
 * committed) are retried with the same transfer id; a failure of {@code commit()} with any other
 * error (08007, the connection dropped) leaves the outcome unknown, and the transfer is not retried.
 * A retried transfer whose earlier attempt did commit after all would fail on the ledger's primary
 * key, which the test reports as a broken promise.
 *
 * <p>System properties: {@code shaledb.it.bank.seconds} (nemesis duration, default {@value
 * #SECONDS_DEFAULT}), {@code shaledb.it.bank.clients} ({@value #CLIENTS_DEFAULT}), {@code
 * shaledb.it.bank.accounts} ({@value #ACCOUNTS_DEFAULT}), {@code shaledb.it.bank.killPauseMs} (time
 * between a node serving again and the next kill, default {@value #KILL_PAUSE_MS_DEFAULT}), {@code
 * shaledb.it.bank.seed}.
 */
class ClusterBankIT {
  private static final int SECONDS_DEFAULT = 60;
  private static final int CLIENTS_DEFAULT = 4;
  private static final int ACCOUNTS_DEFAULT = 200;
  private static final int KILL_PAUSE_MS_DEFAULT = 6_000;
  private static final long INITIAL_BALANCE = 1_000;
  private static final int SHARDS = 6;
  /** Attempts of one transfer before the client gives up on it (every attempt failed retryably). */
  private static final int ATTEMPTS_MAX = 40;
  /** The lock TTL (TxnConfig's 10 s) plus two sweeps of 2 s plus slack for a loaded machine. */
  private static final long LOCK_SETTLE_MS = 16_000;

  @TempDir
  Path base;
  private ClusterProcesses cluster;

  /** A transfer as the client sent it. */
  private record Transfer(long id, int from, int to, long amount) {}

  /** What the workload threads observed; thread-safe. */
  private static final class Observed {
    final Map<Long, Transfer> acknowledged = new ConcurrentSkipListMap<>();
    final Map<Long, Transfer> unknown = new ConcurrentSkipListMap<>();
    final Map<String, LongAdder> retriesByState = new ConcurrentHashMap<>();
    final Map<String, LongAdder> auditFailuresByState = new ConcurrentHashMap<>();
    /** The first message seen for each kind of failure, for the summary. */
    final Map<String, String> examples = new ConcurrentSkipListMap<>();
    final LongAdder abandoned = new LongAdder();
    final LongAdder audits = new LongAdder();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final Map<Integer, LongAdder> killsByNode = new ConcurrentHashMap<>();

    static void count(Map<String, LongAdder> counts, String key) {
      counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void count(Map<String, LongAdder> counts, String key, Exception e) {
      count(counts, key);
      examples.putIfAbsent(key, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }

    static Map<String, Long> snapshot(Map<?, LongAdder> counts) {
      Map<String, Long> copy = new TreeMap<>();
      counts.forEach((k, v) -> copy.put(String.valueOf(k), v.sum()));
      return copy;
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void moneyIsNeitherCreatedNorLostWhileNodesAreKilled() throws Exception {
    int seconds = Integer.getInteger("shaledb.it.bank.seconds", SECONDS_DEFAULT);
    int clients = Integer.getInteger("shaledb.it.bank.clients", CLIENTS_DEFAULT);
    int accounts = Integer.getInteger("shaledb.it.bank.accounts", ACCOUNTS_DEFAULT);
    int killPauseMs = Integer.getInteger("shaledb.it.bank.killPauseMs", KILL_PAUSE_MS_DEFAULT);
    long seed = Long.getLong("shaledb.it.bank.seed", System.nanoTime());
    long total = accounts * INITIAL_BALANCE;
    System.out.printf("bank: %d s of nemesis, %d clients, %d accounts, seed %d%n", seconds, clients, accounts, seed);

    cluster = ClusterProcesses.create(base, 3);
    cluster.startAll();
    try {
      createAccounts(accounts);
      Observed observed = new Observed();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      AtomicLong nextTransferId = new AtomicLong(1);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        long clientSeed = seed + i;
        workers.add(start("bank-client-" + i,
            () -> runClient(new Random(clientSeed), accounts, nextTransferId, deadline, observed)));
      }
      workers.add(start("bank-auditor", () -> runAuditor(new Random(seed - 1), accounts, total, deadline, observed)));
      Thread progress = start("bank-progress", () -> reportProgress(deadline, observed));
      runNemesis(new Random(seed - 2), deadline, killPauseMs, observed);
      for (Thread worker : workers) {
        worker.join(TimeUnit.MINUTES.toMillis(2));
        assertTrue(!worker.isAlive(), worker.getName() + " did not stop");
      }
      progress.interrupt();

      // Coordinators killed between prepare and commit left locks; their TTL passes, each node's
      // sweep resolves those of its shards through the primary. Checked in the files, with every
      // node stopped, before any SQL read could resolve them instead.
      Thread.sleep(LOCK_SETTLE_MS);
      cluster.stopAll();
      Map<String, Integer> locksLeft = cluster.locksInStorage();
      cluster.startAll();

      long ledgerRows = checkFinalState(accounts, total, observed);
      System.out.printf("bank: %d transfers acknowledged, %d with unknown outcome, %d abandoned after %d attempts, "
              + "%d ledger rows; retries by SQLSTATE %s; %d audit reads (failed by SQLSTATE %s); kills by node %s%n",
          observed.acknowledged.size(), observed.unknown.size(), observed.abandoned.sum(), ATTEMPTS_MAX, ledgerRows,
          Observed.snapshot(observed.retriesByState), observed.audits.sum(),
          Observed.snapshot(observed.auditFailuresByState), Observed.snapshot(observed.killsByNode));
      observed.examples.forEach((kind, message) -> System.out.printf("bank: first %s: %s%n", kind, message));
      assertEquals(Map.of(), locksLeft, "locks left after the lock TTL and sweeps (seed " + seed + ")");
      assertEquals(List.of(), observed.violations, "seed " + seed);
      assertTrue(observed.acknowledged.size() > 0, "no transfer was acknowledged");
      assertTrue(observed.audits.sum() > 0, "no audit read succeeded");
      if (seconds >= 60) {
        for (int nodeId = 1; nodeId <= cluster.size(); nodeId++) {
          assertTrue(observed.killsByNode.containsKey(nodeId), "node " + nodeId + " was never killed");
        }
      }
    } catch (AssertionError | Exception e) {
      System.out.println(cluster.logTails());
      throw e;
    }
  }

  private void createAccounts(int accounts) throws SQLException {
    try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL) SHARDS " + SHARDS);
      s.execute("CREATE TABLE transfer (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, "
          + "amount BIGINT NOT NULL) SHARDS " + SHARDS);
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO account VALUES (?, ?)")) {
        for (int id = 0; id < accounts; id++) {
          insert.setInt(1, id);
          insert.setLong(2, INITIAL_BALANCE);
          insert.executeUpdate();
          if (id % 50 == 49) {
            c.commit();
          }
        }
      }
      c.commit();
    }
  }

  private static Thread start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  // ---- the clients -------------------------------------------------------------------------

  private void runClient(Random random, int accounts, AtomicLong nextTransferId, long deadline, Observed observed) {
    Connection connection = null;
    try {
      while (System.nanoTime() < deadline) {
        int from = random.nextInt(accounts);
        int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
        Transfer transfer = new Transfer(nextTransferId.getAndIncrement(), from, to, 1 + random.nextInt(100));
        boolean settled = false;
        for (int attempt = 1; attempt <= ATTEMPTS_MAX && !settled && System.nanoTime() < deadline; attempt++) {
          if (connection == null) {
            connection = tryConnect(1 + random.nextInt(cluster.size()), observed);
            if (connection == null) {
              pause(random, attempt);
              continue;
            }
          }
          Attempt outcome = attemptTransfer(connection, transfer);
          if (outcome instanceof Attempt.Committed) {
            observed.acknowledged.put(transfer.id(), transfer);
            settled = true;
          } else if (outcome instanceof Attempt.Unknown unknown) {
            observed.unknown.put(transfer.id(), transfer);
            observed.count(observed.retriesByState, "commit outcome unknown: " + unknown.state(), unknown.cause());
            connection = closeQuietly(connection);
            settled = true;
          } else if (outcome instanceof Attempt.Broken broken) {
            observed.violations.add("transfer " + transfer + ": " + broken.description());
            connection = closeQuietly(connection);
            settled = true;
          } else {
            Attempt.Retry retry = (Attempt.Retry) outcome;
            observed.count(observed.retriesByState, retry.state(), retry.cause());
            if (!retry.state().startsWith("40001")) {
              // The node may be down or restarting: go to another one.
              connection = closeQuietly(connection);
            }
            pause(random, attempt);
          }
        }
        if (!settled && System.nanoTime() < deadline) {
          observed.abandoned.increment();
        }
      }
    } finally {
      closeQuietly(connection);
    }
  }

  /** What one attempt of a transfer came to. */
  private sealed interface Attempt {
    record Committed() implements Attempt {}

    /** Nothing of the attempt was committed; {@code state} is why. */
    record Retry(String state, Exception cause) implements Attempt {}

    /** {@code commit()} failed in a way that does not say whether it committed. */
    record Unknown(String state, Exception cause) implements Attempt {}

    /** An answer the contract rules out. */
    record Broken(String description) implements Attempt {}
  }

  private static Attempt attemptTransfer(Connection c, Transfer transfer) {
    try {
      c.setAutoCommit(false);
      try (PreparedStatement debit = c.prepareStatement("UPDATE account SET balance = balance - ? WHERE id = ?");
          PreparedStatement credit = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
          PreparedStatement ledger = c.prepareStatement("INSERT INTO transfer VALUES (?, ?, ?, ?)")) {
        debit.setLong(1, transfer.amount());
        debit.setInt(2, transfer.from());
        credit.setLong(1, transfer.amount());
        credit.setInt(2, transfer.to());
        ledger.setLong(1, transfer.id());
        ledger.setInt(2, transfer.from());
        ledger.setInt(3, transfer.to());
        ledger.setLong(4, transfer.amount());
        if (debit.executeUpdate() != 1 || credit.executeUpdate() != 1) {
          return new Attempt.Broken("an account row is missing");
        }
        ledger.executeUpdate();
      }
    } catch (SQLException e) {
      rollbackQuietly(c);
      if ("23505".equals(e.getSQLState())) {
        return new Attempt.Broken("the ledger already holds it, so an attempt reported as not committed did commit: " + e);
      }
      return new Attempt.Retry(stateOf(e), e);
    } catch (RuntimeException e) {
      // Avatica's client reports a lost HTTP connection this way.
      return new Attempt.Retry(stateOf(e), e);
    }
    try {
      c.commit();
      return new Attempt.Committed();
    } catch (SQLException e) {
      String state = stateOf(e);
      if (state.equals("40001") || state.equals("08006")) {
        rollbackQuietly(c);
        return new Attempt.Retry(state + " at commit", e);
      }
      return new Attempt.Unknown(state, e);
    } catch (RuntimeException e) {
      return new Attempt.Broken("commit() threw " + e + " instead of an SQLException");
    }
  }

  private static String stateOf(Exception e) {
    if (e instanceof SQLException sql && sql.getSQLState() != null) {
      return sql.getSQLState();
    }
    return e.getClass().getSimpleName();
  }

  private Connection tryConnect(int nodeId, Observed observed) {
    try {
      return cluster.connect(nodeId);
    } catch (SQLException | RuntimeException e) {
      observed.count(observed.retriesByState, "connect: " + stateOf(e), e);
      return null;
    }
  }

  private static void pause(Random random, int attempt) {
    long capMs = Math.min(500, 10L << Math.min(attempt, 6));
    try {
      Thread.sleep(capMs / 2 + random.nextLong(capMs / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      // The connection is unusable; the next attempt notices and reconnects.
    }
  }

  private static Connection closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException | RuntimeException e) {
        // Its node is gone; the server forgets the connection when it restarts.
      }
    }
    return null;
  }

  // ---- the auditor -------------------------------------------------------------------------

  /** Reads the number of accounts and the total in one snapshot, on a random node each time. */
  private void runAuditor(Random random, int accounts, long total, long deadline, Observed observed) {
    while (System.nanoTime() < deadline) {
      int nodeId = 1 + random.nextInt(cluster.size());
      try (Connection c = cluster.connect(nodeId)) {
        for (int read = 0; read < 20 && System.nanoTime() < deadline; read++) {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(balance) FROM account")) {
            rs.next();
            if (rs.getInt(1) != accounts || rs.getLong(2) != total) {
              observed.violations.add("audit on node " + nodeId + " saw " + rs.getInt(1) + " accounts holding "
                  + rs.getLong(2) + ", not " + accounts + " holding " + total);
            }
            observed.audits.increment();
          }
          Thread.sleep(20);
        }
      } catch (SQLException | RuntimeException e) {
        observed.count(observed.auditFailuresByState, "audit: " + stateOf(e), e);
        pause(random, 3);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // ---- the nemesis -------------------------------------------------------------------------

  /**
   * Until the deadline: kills a node with SIGKILL, leaves it down for 1-3 s, restarts it with the
   * same flags and data and waits until it serves, pauses, and so on. The victims come in shuffled
   * rounds of all nodes, so each node (node 1 included) dies about equally often. Leaves every
   * node running.
   */
  private void runNemesis(Random random, long deadline, int killPauseMs, Observed observed) throws Exception {
    List<Integer> victims = new ArrayList<>();
    Thread.sleep(killPauseMs / 2 + random.nextInt(killPauseMs / 2 + 1));
    while (System.nanoTime() < deadline) {
      if (victims.isEmpty()) {
        for (int nodeId = 1; nodeId <= cluster.size(); nodeId++) {
          victims.add(nodeId);
        }
        Collections.shuffle(victims, random);
      }
      NodeProcess victim = cluster.node(victims.remove(0));
      victim.kill();
      observed.killsByNode.computeIfAbsent(victim.nodeId(), id -> new LongAdder()).increment();
      System.out.printf("bank: killed node %d%n", victim.nodeId());
      Thread.sleep(1_000 + random.nextInt(2_000));
      long restarting = System.nanoTime();
      victim.start();
      System.out.printf("bank: node %d serves again %.1f s after its restart%n", victim.nodeId(),
          (System.nanoTime() - restarting) / 1e9);
      long pauseMs = killPauseMs / 2 + random.nextInt(killPauseMs + 1);
      Thread.sleep(Math.max(0, Math.min(pauseMs, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
    }
  }

  private static void reportProgress(long deadline, Observed observed) {
    long started = System.nanoTime();
    try {
      while (System.nanoTime() < deadline) {
        Thread.sleep(10_000);
        System.out.printf("bank: %3.0f s: %d acknowledged, %d unknown, %d audits, retries %s%n",
            (System.nanoTime() - started) / 1e9, observed.acknowledged.size(), observed.unknown.size(),
            observed.audits.sum(), Observed.snapshot(observed.retriesByState));
      }
    } catch (InterruptedException e) {
      // Done.
    }
  }

  // ---- the final checks --------------------------------------------------------------------

  /** Checks what every node shows against what the clients observed; returns the ledger's size. */
  private long checkFinalState(int accounts, long total, Observed observed) throws Exception {
    Map<Long, Transfer> ledger = null;
    Map<Integer, Long> balances = null;
    for (int nodeId = 1; nodeId <= cluster.size(); nodeId++) {
      Snapshot snapshot = readSnapshot(nodeId);
      if (ledger == null) {
        ledger = snapshot.ledger();
        balances = snapshot.balances();
      } else {
        assertEquals(ledger, snapshot.ledger(), "the ledger on node " + nodeId + " differs from node 1's");
        assertEquals(balances, snapshot.balances(), "the balances on node " + nodeId + " differ from node 1's");
      }
    }
    assertEquals(accounts, balances.size(), "accounts");
    assertEquals(total, balances.values().stream().mapToLong(Long::longValue).sum(), "total");
    for (Transfer acknowledged : observed.acknowledged.values()) {
      assertEquals(acknowledged, ledger.get(acknowledged.id()), "acknowledged transfer " + acknowledged.id());
    }
    Map<Integer, Long> expected = new TreeMap<>();
    for (int id = 0; id < accounts; id++) {
      expected.put(id, INITIAL_BALANCE);
    }
    for (Transfer present : ledger.values()) {
      Transfer sent = observed.acknowledged.getOrDefault(present.id(), observed.unknown.get(present.id()));
      assertEquals(sent, present, "ledger row " + present.id() + " is not a transfer that was acknowledged or in doubt");
      expected.merge(present.from(), -present.amount(), Long::sum);
      expected.merge(present.to(), present.amount(), Long::sum);
    }
    assertEquals(expected, balances, "balances are not the initial ones plus the ledger's transfers");
    return ledger.size();
  }

  private record Snapshot(Map<Long, Transfer> ledger, Map<Integer, Long> balances) {}

  /** Ledger and balances in one transaction on node {@code nodeId}, retried while the cluster settles. */
  private Snapshot readSnapshot(int nodeId) throws Exception {
    SQLException last = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      try (Connection c = cluster.connect(nodeId); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        Map<Long, Transfer> ledger = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SELECT id, src, dst, amount FROM transfer")) {
          while (rs.next()) {
            ledger.put(rs.getLong(1), new Transfer(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4)));
          }
        }
        Map<Integer, Long> balances = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SELECT id, balance FROM account")) {
          while (rs.next()) {
            balances.put(rs.getInt(1), rs.getLong(2));
          }
        }
        c.commit();
        return new Snapshot(ledger, balances);
      } catch (SQLException e) {
        last = e;
        Thread.sleep(500 + ThreadLocalRandom.current().nextInt(500));
      }
    }
    throw last;
  }
}
