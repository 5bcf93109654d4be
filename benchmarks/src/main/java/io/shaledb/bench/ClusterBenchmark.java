package io.shaledb.bench;

import io.shaledb.bench.workload.LatencyRecorder;
import io.shaledb.bench.workload.OpResult;
import io.shaledb.bench.workload.Report;
import io.shaledb.cluster.node.ClusterConfig;
import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.cluster.rpc.RpcClient;
import io.shaledb.cluster.rpc.RpcClientConfig;
import io.shaledb.cluster.server.RequestAuthenticator;
import io.shaledb.cluster.server.ServerConfig;
import io.shaledb.cluster.server.ShaleServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of distribution: the same transactions on clusters of 1, 2 and 3 nodes on this
 * machine. Every node is a full server (SQL endpoint, RPC listener, own data directory) in this
 * JVM; clients use the remote JDBC driver. All nodes share the machine's cores, so more nodes do
 * not add capacity here: the numbers show what routing, remote shards and two-phase commit over
 * the network cost, not speed-up.
 *
 * <p>Operations: a one-shard commit (UPDATE of one row; one-phase commit on the shard's node), a
 * cross-node commit (UPDATE of one row in each of two one-shard tables that the shard map puts on
 * different nodes once there are two; two-phase commit), and a point select on a table spread
 * over every node, with clients connected to every node in turn. Also the raw round trip of one
 * RPC (a timestamp request to the oracle's node).
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.shaledb.bench.ClusterBenchmark [--nodes 1,2,3] [--seconds 10]
 *        [--threads 4] [--out benchmarks/results/cluster]
 * </pre>
 */
public final class ClusterBenchmark {
  private static final byte[] SECRET = "benchmark-cluster-secret".getBytes(StandardCharsets.UTF_8);
  private static final int ROWS = 2_000;

  private ClusterBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> nodeCounts = List.of(1, 2, 3);
    int seconds = 10;
    int threads = 4;
    Path out = Path.of("benchmarks/results/cluster");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nodes" -> nodeCounts = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(out);
    PrintStream console = System.out;
    console.printf(Locale.ROOT, "cluster benchmark: %s nodes, %d s per measurement, 1 and %d client threads; "
        + "durable commits (fdatasync) on every node; %d cores%n", nodeCounts, seconds, threads,
        Runtime.getRuntime().availableProcessors());
    List<OpResult> results = new ArrayList<>();
    for (int nodes : nodeCounts) {
      results.addAll(measure(nodes, seconds, threads, console));
    }
    Report report = new Report(results);
    report.printTable(console);
    report.writeCsv(out.resolve("cluster.csv"));
    report.writeCharts(out);
    console.println("wrote " + out.resolve("cluster.csv") + " and charts in " + out);
  }

  private static List<OpResult> measure(int nodes, int seconds, int threads, PrintStream console) throws Exception {
    Path data = Files.createTempDirectory("shaledb-cluster-bench");
    List<ShaleServer> servers = new ArrayList<>();
    String engine = nodes + (nodes == 1 ? " node" : " nodes");
    try {
      for (int id = 1; id <= nodes; id++) {
        List<PeerAddress> join = id == 1 ? List.of() : List.of(new PeerAddress("127.0.0.1", servers.get(0).rpcPort()));
        ClusterConfig cluster = new ClusterConfig(id, "127.0.0.1", 0, "127.0.0.1", join, SECRET,
            Duration.ofSeconds(30), Duration.ofSeconds(10));
        servers.add(ShaleServer.start(new ServerConfig("127.0.0.1", 0, -1, data.resolve("node" + id), 200,
            1 << 24, Duration.ofMinutes(30), 64).withCluster(cluster), RequestAuthenticator.ALLOW_ALL,
            Clock.systemUTC()));
      }
      List<String> urls = servers.stream().map(s -> "jdbc:shaledb://127.0.0.1:" + s.port()).toList();
      load(urls.get(0), console, engine);
      List<OpResult> results = new ArrayList<>();
      for (int clients : List.of(1, threads)) {
        console.printf(Locale.ROOT, "%s: measuring with %d client thread(s)...%n", engine, clients);
        results.add(run(engine, "one-shard commit", clients, seconds, urls, ClusterBenchmark::oneShardCommit));
        results.add(run(engine, "cross-node commit", clients, seconds, urls, ClusterBenchmark::crossNodeCommit));
        results.add(run(engine, "point select", clients, seconds, urls, ClusterBenchmark::pointSelect));
      }
      if (nodes > 1) {
        results.add(rpcRoundTrips(engine, servers.get(0).rpcPort(), seconds));
      }
      return results;
    } finally {
      for (int i = servers.size() - 1; i >= 0; i--) {
        servers.get(i).close();
      }
    }
  }

  /** Tables a and b have one shard each; consecutive keyspace ids place them on consecutive nodes. */
  private static void load(String url, PrintStream console, String engine) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE a (id INT PRIMARY KEY, v BIGINT NOT NULL) SHARDS 1");
      s.execute("CREATE TABLE b (id INT PRIMARY KEY, v BIGINT NOT NULL) SHARDS 1");
      s.execute("CREATE TABLE c (id INT PRIMARY KEY, v BIGINT NOT NULL, name VARCHAR(40)) SHARDS 6");
      for (String table : List.of("a", "b", "c")) {
        for (int from = 0; from < ROWS; from += 500) {
          StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
          for (int id = from; id < from + 500; id++) {
            insert.append(id == from ? "" : ", ").append('(').append(id).append(", 0")
                .append(table.equals("c") ? ", 'name " + id + "'" : "").append(')');
          }
          s.executeUpdate(insert.toString());
          console.printf(Locale.ROOT, "\r%s: loading %s %d/%d", engine, table, from + 500, ROWS);
        }
      }
      console.println();
    }
  }

  private interface Operation {
    /** Runs one operation; returns how many times it was retried after a conflict. */
    int run(Connection connection) throws SQLException;
  }

  private static int oneShardCommit(Connection c) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE a SET v = v + 1 WHERE id = ?")) {
      update.setInt(1, ThreadLocalRandom.current().nextInt(ROWS));
      return retrying(c, update::executeUpdate);
    }
  }

  private static int crossNodeCommit(Connection c) throws SQLException {
    int idA = ThreadLocalRandom.current().nextInt(ROWS);
    int idB = ThreadLocalRandom.current().nextInt(ROWS);
    return retrying(c, () -> {
      c.setAutoCommit(false);
      try (PreparedStatement a = c.prepareStatement("UPDATE a SET v = v - 1 WHERE id = ?");
          PreparedStatement b = c.prepareStatement("UPDATE b SET v = v + 1 WHERE id = ?")) {
        a.setInt(1, idA);
        a.executeUpdate();
        b.setInt(1, idB);
        b.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      return 1;
    });
  }

  private static int pointSelect(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT v, name FROM c WHERE id = ?")) {
      select.setInt(1, ThreadLocalRandom.current().nextInt(ROWS));
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("row missing");
        }
      }
    }
    return 0;
  }

  private interface Attempt {
    int attempt() throws SQLException;
  }

  private static int retrying(Connection c, Attempt attempt) throws SQLException {
    for (int retries = 0; ; retries++) {
      try {
        attempt.attempt();
        return retries;
      } catch (SQLException e) {
        if (!"40001".equals(e.getSQLState()) || retries > 100) {
          throw e;
        }
      }
    }
  }

  private static OpResult run(String engine, String name, int clients, int seconds, List<String> urls,
      Operation operation) throws Exception {
    List<LatencyRecorder> recorders = new ArrayList<>();
    AtomicLong retries = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long warmupEnd = System.nanoTime() + Duration.ofSeconds(Math.max(2, seconds / 3)).toNanos();
    long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
    for (int t = 0; t < clients; t++) {
      LatencyRecorder recorder = new LatencyRecorder();
      recorders.add(recorder);
      String url = urls.get(t % urls.size());
      Thread worker = new Thread(() -> {
        try (Connection c = DriverManager.getConnection(url)) {
          while (true) {
            long started = System.nanoTime();
            if (started >= end) {
              return;
            }
            int retried = operation.run(c);
            if (started >= warmupEnd) {
              recorder.record(System.nanoTime() - started);
              retries.addAndGet(retried);
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(engine + " " + name + " failed", failures.get(0));
    }
    long[] sorted = LatencyRecorder.merged(recorders);
    return new OpResult(engine, name, clients, sorted.length, seconds,
        LatencyRecorder.quantileMicros(sorted, 0.5), LatencyRecorder.quantileMicros(sorted, 0.99), retries.get());
  }

  /** One RPC to the oracle's node and back, as every node but the oracle's pays for each timestamp. */
  private static OpResult rpcRoundTrips(String engine, int oraclePort, int seconds) {
    LatencyRecorder recorder = new LatencyRecorder();
    ClusterRequest.NextTimestamps request = new ClusterRequest.NextTimestamps(1);
    PeerAddress oracle = new PeerAddress("127.0.0.1", oraclePort);
    try (RpcClient client = new RpcClient(RpcClientConfig.of(99, SECRET))) {
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      while (System.nanoTime() < end) {
        long started = System.nanoTime();
        request.decodeResult(client.call(oracle, request.type(), request.encode()).join());
        recorder.record(System.nanoTime() - started);
      }
    }
    long[] sorted = LatencyRecorder.merged(List.of(recorder));
    return new OpResult(engine, "rpc round trip", 1, sorted.length, seconds,
        LatencyRecorder.quantileMicros(sorted, 0.5), LatencyRecorder.quantileMicros(sorted, 0.99), 0);
  }

}
