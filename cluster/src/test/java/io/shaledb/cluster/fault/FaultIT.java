package io.shaledb.cluster.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each nemesis (kill, pause, partition, clock offset) aimed at the metadata leader and at a
 * follower of a three-node cluster, under the {@link FaultWorkload} (bank, set, registers, DDL on
 * one-shard tables): every checker finds zero violations. For faults aimed at a follower it also
 * measures liveness: transfers through the other nodes acknowledged during the faults on the
 * tables the victim does not hold (asserted with {@code -Dshaledb.it.fault.assertLiveness=true}). Until metadata moves to Raft, node 1 stands for
 * the metadata leader and everything stops while it is down, so faults aimed at it are checked for
 * safety only.
 *
 * <p>The nodes run in network namespaces where the test may create them (root, iproute2), else on
 * loopback, where partitions are skipped with the reason. All scenarios share one cluster, each
 * with its own tables.
 *
 * <p>System properties: {@code shaledb.it.seed} (replays a run: every scenario's schedule and
 * clients derive from it), {@code shaledb.it.fault.seconds} (per scenario, default {@value
 * #SECONDS_DEFAULT}), {@code shaledb.it.fault.soakRuns} (with it, {@link #soak} runs that many
 * scenarios of {@code seconds} each, rotating through nemeses and targets; {@code -Psoak}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultIT {
  private static final int SECONDS_DEFAULT = 6;
  private static final int NODES = 3;
  private static final long FINAL_READ_TIMEOUT_MS = 90_000;
  private static final long TAIL_MS = 3_000;
  private static final long DDL_WAITED_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final long seed = Long.getLong("shaledb.it.seed", System.nanoTime());
  private final int seconds = Integer.getInteger("shaledb.it.fault.seconds", SECONDS_DEFAULT);
  private final int soakRuns = Integer.getInteger("shaledb.it.fault.soakRuns", 0);
  /**
   * Off by default for now: some runs see no transfer acknowledged anywhere while a follower is
   * paused or killed (e.g. seed 20261208, pause of node 2), cause not found yet; see README.
   */
  private final boolean assertLiveness = Boolean.getBoolean("shaledb.it.fault.assertLiveness");

  @TempDir
  static Path base;
  private ClusterProcesses cluster;
  private Optional<String> namespacesUnavailable;
  private int scenarios;

  @BeforeAll
  void startCluster() throws Exception {
    System.out.printf("fault: seed %d (replay with -Dshaledb.it.seed=%d), %d s per scenario%n", seed, seed, seconds);
    namespacesUnavailable = NetworkNamespaces.unavailableReason();
    if (namespacesUnavailable.isEmpty()) {
      cluster = ClusterProcesses.create(base, NetworkNamespaces.create(NODES, new Random(seed)));
      System.out.println("fault: nodes in network namespaces at " + cluster.node(1).url() + " ...");
    } else {
      cluster = ClusterProcesses.create(base, NODES);
      System.out.println("fault: nodes on loopback, partitions skipped: " + namespacesUnavailable.get());
    }
    cluster.startAll();
  }

  @AfterAll
  void stopCluster() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Stream<Arguments> scenarios() {
    List<Arguments> arguments = new ArrayList<>();
    for (Nemesis.Kind kind : Nemesis.Kind.values()) {
      for (Nemesis.Target target : Nemesis.Target.values()) {
        arguments.add(Arguments.of(kind, target));
      }
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0} on the {1}")
  @MethodSource("scenarios")
  void zeroViolations(Nemesis.Kind kind, Nemesis.Target target) throws Exception {
    assumeTrue(soakRuns == 0, "the soak runs instead");
    runScenario(kind, target, scenarioSeed(kind, target, 0), seconds);
  }

  /** {@code shaledb.it.fault.soakRuns} scenarios in turn, each with its own seed derived from the run's. */
  @Test
  void soak() throws Exception {
    assumeTrue(soakRuns > 0, "no soak: -Psoak or -Dshaledb.it.fault.soakRuns=N runs it");
    List<Arguments> all = scenarios().toList();
    for (int run = 0; run < soakRuns; run++) {
      Nemesis.Kind kind = (Nemesis.Kind) all.get(run % all.size()).get()[0];
      Nemesis.Target target = (Nemesis.Target) all.get(run % all.size()).get()[1];
      if (kind == Nemesis.Kind.PARTITION && namespacesUnavailable.isPresent()) {
        continue;
      }
      System.out.printf("fault: soak run %d of %d%n", run + 1, soakRuns);
      runScenario(kind, target, scenarioSeed(kind, target, run), seconds);
    }
  }

  private long scenarioSeed(Nemesis.Kind kind, Nemesis.Target target, int run) {
    return seed * 1_000_003L + kind.ordinal() * 1_009L + target.ordinal() * 101L + run;
  }

  private void runScenario(Nemesis.Kind kind, Nemesis.Target target, long scenarioSeed, int scenarioSeconds)
      throws Exception {
    if (kind == Nemesis.Kind.PARTITION) {
      assumeTrue(namespacesUnavailable.isEmpty(), () -> "partitions need network namespaces: "
          + namespacesUnavailable.orElse(""));
    }
    long started = System.nanoTime();
    String prefix = "s" + ++scenarios;
    FaultWorkload workload = new FaultWorkload(cluster, prefix, scenarioSeed);
    Nemesis nemesis = Nemesis.schedule(scenarioSeed, kind, target, TimeUnit.SECONDS.toMillis(scenarioSeconds));
    Random victims = new Random(scenarioSeed);
    System.out.println("fault: " + prefix + ": " + nemesis.describe());
    try {
      workload.createTables(anyServingNode());
      workload.start();
      List<Nemesis.Window> windows = nemesis.run(cluster, () -> victim(target, victims),
          line -> System.out.printf("fault: %s: %5.1f s %s%n", prefix, (System.nanoTime() - started) / 1e9, line));
      // The clients go on for a while with every node healed: operations that hung on a fault
      // complete, and the cluster shows it serves again.
      workload.stop(TAIL_MS);
      healAll();
      workload.finalReads(FINAL_READ_TIMEOUT_MS);

      History history = workload.history();
      Map<String, List<String>> violations = new TreeMap<>();
      for (Checker checker : FaultWorkload.checkers()) {
        List<String> found = checker.check(history);
        if (!found.isEmpty()) {
          violations.put(checker.name(), found);
        }
      }
      System.out.printf("fault: %s: %s on the %s, %.1f s, %d faults, operations %s, violations %s%n", prefix, kind,
          target, (System.nanoTime() - started) / 1e9, windows.size(), summary(history), violations.keySet());
      assertEquals(Map.of(), violations, prefix + " " + kind + " on the " + target + ", replay with -Dshaledb.it.seed="
          + seed);
      assertTrue(history.operations().stream().anyMatch(o -> o.f().equals(BankChecker.TRANSFER) && o.ok()),
          "no transfer was acknowledged, not even after the faults were healed");
      if (target == Nemesis.Target.FOLLOWER) {
        assertLiveDuringFaults(history, windows, workload);
      }
    } catch (AssertionError | Exception e) {
      System.out.println(cluster.logTails());
      throw e;
    } finally {
      workload.halt();
      healAll();
    }
  }

  /**
   * While a follower was down, paused, cut off or off in time, the nodes that were not still
   * acknowledged transfers on at least two of the three bank tables (the victim holds at most one:
   * consecutive tables are placed on consecutive members). Faults during which a {@code CREATE
   * TABLE} waited (failed, or took over 2 s) are left out: one that places its shard on the faulty
   * node keeps node 1's metadata service locked while it waits for that host (up to the RPC
   * timeout), which stalls the others; that ends with metadata on Raft.
   */
  private void assertLiveDuringFaults(History history, List<Nemesis.Window> windows, FaultWorkload workload) {
    List<History.Operation> operations = history.operations();
    List<Nemesis.Window> checked = new ArrayList<>();
    for (Nemesis.Window window : windows) {
      boolean ddlWaited = operations.stream().anyMatch(o -> o.f().equals(DdlChecker.CREATE)
          && o.invocation().nanos() < window.healingNanos() && o.completedNanos() > window.injectedNanos()
          && (!o.ok() || o.completedNanos() - o.invocation().nanos() > DDL_WAITED_NANOS));
      if (!ddlWaited) {
        checked.add(window);
      }
    }
    if (checked.isEmpty()) {
      System.out.println("fault: liveness not checked: a CREATE TABLE waited during every fault");
      return;
    }
    Set<Object> tables = new HashSet<>();
    for (History.Operation operation : operations) {
      if (!operation.f().equals(BankChecker.TRANSFER) || !operation.ok()) {
        continue;
      }
      for (Nemesis.Window window : checked) {
        if (window.covers(operation.completion().nanos()) && operation.invocation().node() != window.fault().node()) {
          tables.add(((BankChecker.Transfer) operation.invocation().value()).table());
        }
      }
    }
    String outcome = "transfers acknowledged by the other nodes while a follower was faulty (" + checked.size()
        + " faults without waiting DDL) on " + tables + " of " + workload.bankTable(0) + ".."
        + workload.bankTable(FaultWorkload.BANK_TABLES - 1);
    System.out.println("fault: liveness: " + outcome);
    if (assertLiveness) {
      assertTrue(tables.size() >= FaultWorkload.BANK_TABLES - 1, outcome);
    }
  }

  /** Counts of operations by name and outcome, e.g. {@code transfer ok=120}. */
  private static Map<String, Integer> summary(History history) {
    Map<String, Integer> counts = new TreeMap<>();
    for (History.Operation operation : history.operations()) {
      String outcome = operation.completion() == null ? "open" : operation.completion().type().name().toLowerCase();
      counts.merge(operation.f() + " " + outcome, 1, Integer::sum);
    }
    return counts;
  }

  private int victim(Nemesis.Target target, Random random) {
    int leader = metadataLeader();
    if (target == Nemesis.Target.METADATA_LEADER) {
      return leader;
    }
    int follower = 1 + random.nextInt(NODES - 1);
    return follower >= leader ? follower + 1 : follower;
  }

  private int metadataLeader() {
    SQLException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      for (int node = 1; node <= NODES; node++) {
        try {
          return cluster.metadataLeader(node);
        } catch (SQLException | RuntimeException e) {
          last = e instanceof SQLException sql ? sql : new SQLException(e);
        }
      }
      sleepQuietly(500);
    }
    throw new IllegalStateException("no node names the metadata leader", last);
  }

  private int anyServingNode() {
    return metadataLeader();
  }

  /** Resumes, restarts, reconnects and resets the clock of every node. */
  private void healAll() throws Exception {
    for (NodeProcess node : cluster.nodes()) {
      node.resume();
      node.setClockOffsetMillis(0);
      if (!node.isAlive()) {
        node.start();
      }
    }
    if (cluster.network().isPresent()) {
      cluster.network().get().healAll();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
