package io.shaledb.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM ({@link DurabilityWorkload}: four threads committing multi-shard,
 * two-table transactions) with SIGKILL at random moments, {@value #ROUNDS} times in a row, and
 * checks after each restart: locks left by the killed commits are resolved when the store opens
 * (checked through the storage API), every acknowledged transaction is there completely, no
 * transaction is there partly (ledger rows and group_log rows agree), nothing uncommitted
 * is there, and the catalog holds every table whose creation was acknowledged.
 */
class DurabilityIT {
  private static final int ROUNDS = 20;
  private static final int ACKS_MIN = 3;
  private static final int ACKS_MAX = 40;

  @TempDir
  Path dataDirectory;

  private record Run(Set<Long> acknowledged, boolean ddlAcknowledged) {}

  @Test
  void acknowledgedCommitsSurviveSigkill() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    long nextGroup = 0;
    Set<Long> acknowledged = new HashSet<>();
    Set<Integer> tablesAcknowledged = new HashSet<>();
    int locksFoundTotal = 0;
    long started = System.nanoTime();
    long childNanos = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int acks = ACKS_MIN + random.nextInt(ACKS_MAX - ACKS_MIN);
      long childStarted = System.nanoTime();
      Run run = runAndKill(nextGroup, round, acks, random.nextInt(20), seed);
      childNanos += System.nanoTime() - childStarted;
      acknowledged.addAll(run.acknowledged());
      if (run.ddlAcknowledged()) {
        tablesAcknowledged.add(round);
      }
      String context = "round " + round + ", seed " + seed;

      locksFoundTotal += checkLocksResolvedAtOpen(context);
      long highest = checkSql(acknowledged, tablesAcknowledged, context);
      nextGroup = Math.max(highest, acknowledged.stream().mapToLong(Long::longValue).max().orElse(-1)) + 1;
    }
    System.out.printf("durability: %d SIGKILL rounds in %.1f s (%.1f s in children), %d acknowledged transactions, "
            + "%d locks of killed commits resolved at open%n",
        ROUNDS, (System.nanoTime() - started) / 1e9, childNanos / 1e9, acknowledged.size(), locksFoundTotal);
  }

  /**
   * Starts the workload, waits for {@code acks} acknowledgements plus {@code extraMs}, kills it.
   * Returns what it acknowledged.
   */
  private Run runAndKill(long firstGroup, int round, int acks, int extraMs, long seed) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // C1 only and the serial collector: the child lives a few seconds, so JVM start-up dominates.
    Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        DurabilityWorkload.class.getName(), dataDirectory.toString(), Long.toString(firstGroup), Integer.toString(round))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Set<Long> acknowledged = new HashSet<>();
    boolean ddl = false;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < acks && (line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged.add(Long.parseLong(line.substring(4)));
        } else if (line.equals("DDL " + round)) {
          ddl = true;
        }
      }
      assertTrue(child.isAlive(), "workload died by itself (seed " + seed + ")");
      Thread.sleep(extraMs);
      // Killed while the writers are mid-commit; acknowledgements printed meanwhile are not read.
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    return new Run(acknowledged, ddl);
  }

  /** Opens the storage and the KV store as the engine does; no lock may survive the open. Returns the locks found before it. */
  private int checkLocksResolvedAtOpen(String context) {
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(dataDirectory))) {
      int before = countLocks(storage);
      LocalKvStore store = new LocalKvStore(storage, LocalKvStoreConfig.defaults(), Clock.systemUTC());
      try {
        assertEquals(before, store.locksResolvedAtOpen(), context);
        assertEquals(0, countLocks(storage), "locks left after recovery; " + context);
      } finally {
        store.close();
      }
      return before;
    }
  }

  private static int countLocks(NodeStorage storage) {
    return storage.shardIds().stream().mapToInt(id -> storage.shard(id).locks().size()).sum();
  }

  /** Checks the data through SQL; returns the highest group found. */
  private long checkSql(Set<Long> acknowledged, Set<Integer> tablesAcknowledged, String context) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:shaledb:file:" + dataDirectory);
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false); // one snapshot for every query below
      Map<Long, Integer> rowsPerGroup = new HashMap<>();
      try (ResultSet rs = statement.executeQuery("SELECT grp, COUNT(*) FROM ledger GROUP BY grp")) {
        while (rs.next()) {
          rowsPerGroup.put(rs.getLong(1), rs.getInt(2));
        }
      }
      for (long group : acknowledged) {
        assertEquals(DurabilityWorkload.ROWS_PER_GROUP, rowsPerGroup.getOrDefault(group, 0),
            "acknowledged group " + group + " incomplete; " + context);
      }
      for (Map.Entry<Long, Integer> group : rowsPerGroup.entrySet()) {
        assertEquals(DurabilityWorkload.ROWS_PER_GROUP, group.getValue(), "group " + group.getKey() + " partly visible; " + context);
      }
      assertFalse(rowsPerGroup.containsKey(-1L), "an uncommitted row is visible; " + context);

      Map<Long, Integer> loggedGroups = new HashMap<>();
      try (ResultSet rs = statement.executeQuery("SELECT grp, row_count FROM group_log")) {
        while (rs.next()) {
          loggedGroups.put(rs.getLong(1), rs.getInt(2));
        }
      }
      // The two tables were written by the same transactions: they must hold the same groups.
      assertEquals(rowsPerGroup, loggedGroups, "ledger and group_log disagree; " + context);
      for (int round : tablesAcknowledged) {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM round_" + round)) {
          assertTrue(rs.next());
          assertEquals(0, rs.getLong(1), context);
        }
      }
      try (ResultSet rs = connection.getMetaData().getTables(null, null, "round_%", null)) {
        int tables = 0;
        while (rs.next()) {
          tables++;
        }
        assertTrue(tables >= tablesAcknowledged.size(), "catalog lost tables; " + context);
      }
      connection.commit();
      return rowsPerGroup.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }
  }
}
