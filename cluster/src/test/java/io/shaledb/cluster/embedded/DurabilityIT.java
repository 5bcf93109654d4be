package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments and checks after each restart that
 * every acknowledged transaction is there completely, no transaction is there partly, and nothing
 * uncommitted is there.
 */
class DurabilityIT {
  private static final int ROUNDS = 4;

  @TempDir
  Path dataDirectory;

  @Test
  void acknowledgedCommitsSurviveSigkill() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    long nextGroup = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long lastAcked = runAndKill(nextGroup, 20 + random.nextInt(400), seed);
      Map<Long, Integer> rowsPerGroup = rowsPerGroup();
      String context = "round " + round + ", seed " + seed + ", last acknowledged group " + lastAcked;
      for (long group = 0; group <= lastAcked; group++) {
        assertEquals(DurabilityWorkload.ROWS_PER_GROUP, rowsPerGroup.getOrDefault(group, 0),
            "acknowledged group " + group + " incomplete; " + context);
      }
      for (Map.Entry<Long, Integer> group : rowsPerGroup.entrySet()) {
        assertEquals(DurabilityWorkload.ROWS_PER_GROUP, group.getValue(),
            "group " + group.getKey() + " partly visible; " + context);
      }
      assertFalse(rowsPerGroup.containsKey(-1L), "an uncommitted row is visible; " + context);
      long highest = rowsPerGroup.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
      nextGroup = highest + 1;
    }
  }

  /** Runs the workload until {@code acks} commits were acknowledged, kills it, returns the last acknowledged group. */
  private long runAndKill(long firstGroup, int acks, long seed) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DurabilityWorkload.class.getName(), dataDirectory.toString(), Long.toString(firstGroup))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    long lastAcked = firstGroup - 1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      int seen = 0;
      String line;
      while (seen < acks && (line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          lastAcked = Long.parseLong(line.substring(4));
          seen++;
        }
      }
      assertTrue(child.isAlive(), "workload died by itself (seed " + seed + ")");
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    return lastAcked;
  }

  private Map<Long, Integer> rowsPerGroup() throws SQLException {
    Map<Long, Integer> groups = new HashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:shaledb:file:" + dataDirectory);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT grp, COUNT(*) FROM ledger GROUP BY grp")) {
      while (rs.next()) {
        groups.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return groups;
  }
}
