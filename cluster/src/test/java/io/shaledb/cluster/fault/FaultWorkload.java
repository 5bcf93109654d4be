package io.shaledb.cluster.fault;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients of a fault test, each a thread that records what it does in a {@link History}:
 *
 * <ul>
 *   <li>bank clients, one per table: transfers between the accounts of one of {@value
 *       #BANK_TABLES} one-shard tables and reads of the whole table in one snapshot, each reading
 *       its transaction's start timestamp ({@code information_schema.current_transaction}); a
 *       client per table, so a table on a faulty node stalls only its own client;
 *   <li>a register client: writes a growing value to a key through one node, then reads it
 *       through another;
 *   <li>a set client: inserts unique elements;
 *   <li>a DDL client: creates a table through one node, then uses it through every node.
 * </ul>
 *
 * Every table is one shard, so the transactions commit in one phase on the node holding it. Tables
 * carry a prefix, so several workloads can share one cluster. Clients pick nodes at random from
 * their seed, connect with a response timeout (a paused node is given up on), and after a failure
 * connect to another node. An error before {@code commit()} is a FAIL (nothing committed); at
 * {@code commit()}, 40001 and 08006 are FAILs and anything else INFO (may have committed).
 */
public final class FaultWorkload {
  public static final int BANK_TABLES = 3;
  public static final int ACCOUNTS = 8;
  public static final long INITIAL_BALANCE = 100;
  public static final int REGISTERS = 4;
  /**
   * Shorter than the shortest pause, so a client stuck on a paused node (or on a table there)
   * gives up and goes to another node while the fault lasts.
   */
  private static final int RESPONSE_TIMEOUT_MS = 2_500;
  private static final String START_TIMESTAMP = "SELECT start_timestamp FROM information_schema.current_transaction";

  private final ClusterProcesses cluster;
  private final String prefix;
  private final long seed;
  private final History history = new History(System::nanoTime);
  private final AtomicInteger nextProcess = new AtomicInteger();
  private final AtomicLong nextElement = new AtomicLong(1);
  private final List<Thread> threads = new ArrayList<>();
  private volatile long deadlineNanos = Long.MAX_VALUE;

  public FaultWorkload(ClusterProcesses cluster, String prefix, long seed) {
    this.cluster = cluster;
    this.prefix = prefix;
    this.seed = seed;
  }

  public History history() {
    return history;
  }

  public String bankTable(int i) {
    return prefix + "_bank_" + i;
  }

  private String registerTable() {
    return prefix + "_register";
  }

  private String setTable() {
    return prefix + "_set";
  }

  /** The checkers this workload's history is meant for. */
  public static List<Checker> checkers() {
    return List.of(new BankChecker(ACCOUNTS, ACCOUNTS * INITIAL_BALANCE), new SetChecker(), new ReadAfterWriteChecker(),
        new TimestampChecker(), new DdlChecker());
  }

  /** Creates and fills the tables through node {@code nodeId}, in an order that spreads the bank tables over the nodes. */
  public void createTables(int nodeId) throws SQLException {
    try (Connection c = cluster.connect(nodeId); Statement s = c.createStatement()) {
      // Consecutive tables get consecutive ids and shards on consecutive members: one bank table per node.
      for (int t = 0; t < BANK_TABLES; t++) {
        s.execute("CREATE TABLE " + bankTable(t) + " (id INT PRIMARY KEY, balance BIGINT NOT NULL) SHARDS 1");
      }
      s.execute("CREATE TABLE " + registerTable() + " (k INT PRIMARY KEY, v BIGINT NOT NULL) SHARDS 1");
      s.execute("CREATE TABLE " + setTable() + " (element BIGINT PRIMARY KEY) SHARDS 1");
      List<String> accounts = new ArrayList<>();
      for (int id = 0; id < ACCOUNTS; id++) {
        accounts.add("(" + id + ", " + INITIAL_BALANCE + ")");
      }
      for (int t = 0; t < BANK_TABLES; t++) {
        s.executeUpdate("INSERT INTO " + bankTable(t) + " VALUES " + String.join(", ", accounts));
      }
      List<String> registers = new ArrayList<>();
      for (int k = 0; k < REGISTERS; k++) {
        registers.add("(" + k + ", 0)");
      }
      s.executeUpdate("INSERT INTO " + registerTable() + " VALUES " + String.join(", ", registers));
    }
  }

  /**
   * Starts every client; they run until {@link #stop}. Each draws from its own generator seeded
   * from the workload's (not from seed + i: java.util.Random's first draws from neighbouring seeds
   * are nearly equal, and every client would start on the same node).
   */
  public void start() {
    Random seeds = new Random(seed);
    for (int i = 0; i < BANK_TABLES; i++) {
      Random random = new Random(seeds.nextLong());
      String table = bankTable(i);
      threads.add(thread("bank-" + i, () -> runBank(random, table)));
    }
    Random registers = new Random(seeds.nextLong());
    threads.add(thread("registers", () -> runRegisters(registers)));
    Random set = new Random(seeds.nextLong());
    threads.add(thread("set", () -> runSet(set)));
    Random ddl = new Random(seeds.nextLong());
    threads.add(thread("ddl", () -> runDdl(ddl)));
  }

  /** Lets the clients run {@code moreMillis} longer, then waits for them to stop. */
  public void stop(long moreMillis) throws InterruptedException {
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(moreMillis);
    for (Thread thread : threads) {
      thread.join(moreMillis + TimeUnit.SECONDS.toMillis(60));
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop");
      }
    }
  }

  /** Tells the clients to stop after their current operation, without waiting for them. */
  public void halt() {
    deadlineNanos = 0;
  }

  private boolean running() {
    return System.nanoTime() < deadlineNanos;
  }

  private static Thread thread(String name, Runnable body) {
    Thread thread = new Thread(body, "workload-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * With every node healed: reads every bank table, every register and the set on every node,
   * each retried for up to {@code timeoutMillis} while the cluster settles.
   */
  public void finalReads(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (int node = 1; node <= cluster.size(); node++) {
      Client client = new Client(new Random(seed), nextProcess.getAndIncrement(), node);
      int at = node;
      for (int t = 0; t < BANK_TABLES; t++) {
        String table = bankTable(t);
        retry(deadline, () -> client.connectTo(at).bankRead(table));
      }
      for (int k = 0; k < REGISTERS; k++) {
        int key = k;
        retry(deadline, () -> client.connectTo(at).registerRead(key));
      }
      retry(deadline, () -> client.connectTo(at).setRead());
      client.close();
    }
  }

  private interface Attempt {
    boolean run();
  }

  private static void retry(long deadlineNanos, Attempt attempt) throws InterruptedException {
    while (!attempt.run() && System.nanoTime() < deadlineNanos) {
      Thread.sleep(500);
    }
  }

  // ---- the clients -------------------------------------------------------------------------

  private void runBank(Random random, String table) {
    Client client = new Client(random, nextProcess.getAndIncrement(), 0);
    while (running()) {
      boolean done = random.nextInt(5) == 0 ? client.bankRead(table) : client.transfer(table);
      client.pauseAfter(done);
    }
    client.close();
  }

  private void runRegisters(Random random) {
    Client client = new Client(random, nextProcess.getAndIncrement(), 0);
    long value = 0;
    while (running()) {
      int key = random.nextInt(REGISTERS);
      value++;
      boolean written = client.registerWrite(key, value);
      if (written) {
        // The next read goes through another node.
        client.reconnectElsewhere();
        client.registerRead(key);
      }
      client.pauseAfter(written);
    }
    client.close();
  }

  private void runSet(Random random) {
    Client client = new Client(random, nextProcess.getAndIncrement(), 0);
    while (running()) {
      client.pauseAfter(client.add(nextElement.getAndIncrement()));
    }
    client.close();
  }

  private void runDdl(Random random) {
    Client client = new Client(random, nextProcess.getAndIncrement(), 0);
    int table = 0;
    while (running()) {
      String name = prefix + "_ddl_" + table++;
      if (client.createTable(name)) {
        for (int node = 1; node <= cluster.size(); node++) {
          client.connectTo(node);
          client.probe(name);
        }
      }
      sleep(1_000 + random.nextInt(1_000));
    }
    client.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One client process: a connection to one node at a time, and the history it writes. */
  private final class Client {
    private final Random random;
    private int process;
    private int node;
    private Connection connection;

    /** @param node the node to talk to first, 0 for a random one */
    Client(Random random, int process, int node) {
      this.random = random;
      this.process = process;
      this.node = node == 0 ? 1 + random.nextInt(cluster.size()) : node;
    }

    Client connectTo(int nodeId) {
      if (nodeId != node) {
        closeConnection();
        node = nodeId;
      }
      return this;
    }

    void reconnectElsewhere() {
      closeConnection();
      node = 1 + (node + random.nextInt(cluster.size() - 1)) % cluster.size();
    }

    private Connection connection() throws SQLException {
      if (connection == null) {
        connection = cluster.connect(node, RESPONSE_TIMEOUT_MS);
      }
      return connection;
    }

    void pauseAfter(boolean succeeded) {
      sleep(succeeded ? 5 + random.nextInt(20) : 200 + random.nextInt(300));
    }

    private void closeConnection() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException | RuntimeException e) {
          // Its node is gone; the server forgets the connection when it restarts.
        }
        connection = null;
      }
    }

    void close() {
      closeConnection();
    }

    /** After a failure: this connection may be dead, and the node down; the next operation goes elsewhere. */
    private void failedOver(Exception e) {
      if (!(e instanceof SQLException sql) || !"40001".equals(sql.getSQLState())) {
        reconnectElsewhere();
      }
    }

    /** After an INFO the process may still be running the operation, as far as the checkers know: a new one takes over. */
    private void crashed() {
      process = nextProcess.getAndIncrement();
      reconnectElsewhere();
    }

    boolean transfer(String table) {
      int from = random.nextInt(ACCOUNTS);
      int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
      BankChecker.Transfer transfer = new BankChecker.Transfer(table, from, to, 1 + random.nextInt(20));
      return transaction(BankChecker.TRANSFER, transfer, c -> {
        try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET balance = balance + ? WHERE id = ?")) {
          update.setLong(1, -transfer.amount());
          update.setInt(2, from);
          int debited = update.executeUpdate();
          update.setLong(1, transfer.amount());
          update.setInt(2, to);
          if (debited + update.executeUpdate() != 2) {
            throw new SQLException("an account of " + table + " is missing", "XX000");
          }
        }
        return null;
      });
    }

    boolean bankRead(String table) {
      return transaction(BankChecker.READ, table, c -> {
        Map<Integer, Long> balances = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, balance FROM " + table)) {
          while (rs.next()) {
            balances.put(rs.getInt(1), rs.getLong(2));
          }
        }
        return balances;
      });
    }

    boolean setRead() {
      return transaction(SetChecker.READ, null, c -> {
        List<Long> elements = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT element FROM " + setTable())) {
          while (rs.next()) {
            elements.add(rs.getLong(1));
          }
        }
        return new TreeSet<>(elements);
      });
    }

    private interface Body {
      Object run(Connection c) throws SQLException;
    }

    /** Runs {@code body} in one transaction with its start timestamp read first, and records it. */
    private boolean transaction(String f, Object value, Body body) {
      int at = node;
      history.invoke(process, f, value, at);
      long startTimestamp = -1;
      Object result;
      Connection c;
      try {
        c = connection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(START_TIMESTAMP)) {
          rs.next();
          startTimestamp = rs.getLong(1);
        }
        result = body.run(c);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        history.fail(process, f, stateOf(e), at, startTimestamp);
        failedOver(e);
        return false;
      }
      try {
        c.commit();
        history.ok(process, f, result, at, startTimestamp);
        return true;
      } catch (SQLException e) {
        if ("40001".equals(e.getSQLState()) || "08006".equals(e.getSQLState())) {
          rollbackQuietly();
          history.fail(process, f, stateOf(e), at, startTimestamp);
          failedOver(e);
        } else {
          history.info(process, f, stateOf(e), at, startTimestamp);
          crashed();
        }
        return false;
      } catch (RuntimeException e) {
        history.info(process, f, stateOf(e), at, startTimestamp);
        crashed();
        return false;
      }
    }

    private void rollbackQuietly() {
      if (connection != null) {
        try {
          connection.rollback();
        } catch (SQLException | RuntimeException e) {
          // The connection is unusable; the next attempt reconnects.
        }
      }
    }

    /** One auto-commit statement, recorded: an error is a FAIL for 40001/08006/42P01, else INFO. */
    private boolean autoCommit(String f, Object value, Body body) {
      int at = node;
      history.invoke(process, f, value, at);
      try {
        Connection c = connection();
        c.setAutoCommit(true);
        history.ok(process, f, body.run(c), at, -1);
        return true;
      } catch (SQLException e) {
        String state = stateOf(e);
        if (state.equals("40001") || state.equals("08006") || state.equals(DdlChecker.UNDEFINED_TABLE)
            || state.equals("XX001")) {
          history.fail(process, f, state, at, -1);
          failedOver(e);
        } else {
          history.info(process, f, state, at, -1);
          crashed();
        }
        return false;
      } catch (RuntimeException e) {
        history.info(process, f, stateOf(e), at, -1);
        crashed();
        return false;
      }
    }

    boolean registerWrite(int key, long value) {
      return autoCommit(ReadAfterWriteChecker.WRITE, new ReadAfterWriteChecker.Write(key, value), c -> {
        try (PreparedStatement update = c.prepareStatement("UPDATE " + registerTable() + " SET v = ? WHERE k = ?")) {
          update.setLong(1, value);
          update.setInt(2, key);
          update.executeUpdate();
        }
        return null;
      });
    }

    boolean registerRead(int key) {
      return autoCommit(ReadAfterWriteChecker.READ, key, c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT v FROM " + registerTable() + " WHERE k = ?")) {
          select.setInt(1, key);
          try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
              throw new SQLException("register " + key + " is missing", "XX001");
            }
            return rs.getLong(1);
          }
        }
      });
    }

    boolean add(long element) {
      return autoCommit(SetChecker.ADD, element, c -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO " + setTable() + " VALUES (" + element + ")");
        }
        return null;
      });
    }

    boolean createTable(String name) {
      return autoCommit(DdlChecker.CREATE, name, c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY) SHARDS 1");
        }
        return null;
      });
    }

    boolean probe(String name) {
      return autoCommit(DdlChecker.PROBE, name, c -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + name)) {
          rs.next();
          return rs.getLong(1);
        }
      });
    }
  }

  private static String stateOf(Exception e) {
    if (e instanceof SQLException sql && sql.getSQLState() != null) {
      return sql.getSQLState();
    }
    return e.getClass().getSimpleName();
  }
}
