package io.shaledb.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.fault.ClusterProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No stale reads across nodes: a value written and acknowledged through one node is read by the
 * next new transaction on every other node, for every ordered pair of nodes, with one-shard
 * (auto-commit) and multi-shard (two-phase) writes. Three node JVMs on loopback ports.
 *
 * <p>Rounds: system property {@code shaledb.it.readAfterWrite.rounds} (default {@value #ROUNDS_DEFAULT}).
 */
class ClusterReadAfterWriteIT {
  private static final int ROUNDS_DEFAULT = 10;
  /** Keys spread over the table's six shards, so the multi-key writes touch several shards on several nodes. */
  private static final int KEYS = 12;

  @TempDir
  Path base;
  private ClusterProcesses cluster;

  @AfterEach
  void stop() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aCommittedWriteIsSeenByTheNextTransactionOnEveryNode() throws Exception {
    int rounds = Integer.getInteger("shaledb.it.readAfterWrite.rounds", ROUNDS_DEFAULT);
    cluster = ClusterProcesses.create(base, 3);
    cluster.startAll();
    long started = System.nanoTime();
    List<Connection> connections = new ArrayList<>();
    try {
      for (int nodeId = 1; nodeId <= cluster.size(); nodeId++) {
        connections.add(cluster.connect(nodeId));
      }
      try (Statement s = connections.get(0).createStatement()) {
        s.execute("CREATE TABLE register (k INT PRIMARY KEY, v BIGINT NOT NULL) SHARDS 6");
        for (int k = 0; k < KEYS; k++) {
          s.executeUpdate("INSERT INTO register VALUES (" + k + ", 0)");
        }
      }
      long value = 0;
      int checks = 0;
      for (int round = 0; round < rounds; round++) {
        for (int writer = 0; writer < cluster.size(); writer++) {
          for (int reader = 0; reader < cluster.size(); reader++) {
            if (reader == writer) {
              continue;
            }
            String context = "round " + round + ", written on node " + (writer + 1) + ", read on node " + (reader + 1);
            int key = (round + writer * 5 + reader) % KEYS;
            value++;
            writeOne(connections.get(writer), key, value);
            assertEquals(value, readOne(connections.get(reader), key), "one-shard write; " + context);
            checks++;

            value++;
            List<Integer> keys = List.of(key, (key + 1) % KEYS, (key + 4) % KEYS, (key + 7) % KEYS);
            writeMany(connections.get(writer), keys, value);
            // Read back in one new transaction: by primary key, then by a scan of every shard.
            Connection c = connections.get(reader);
            c.setAutoCommit(false);
            try {
              for (int k : keys) {
                assertEquals(value, readOne(c, k), "multi-shard write, key " + k + "; " + context);
              }
              try (Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM register WHERE v = " + value)) {
                assertTrue(rs.next());
                assertEquals(keys.size(), rs.getInt(1), "multi-shard write seen by a scan; " + context);
              }
              c.commit();
            } finally {
              c.setAutoCommit(true);
            }
            checks += keys.size() + 1;
          }
        }
      }
      System.out.printf("read-after-write: %d rounds, %d writes, %d reads checked across 3 nodes in %.1f s%n",
          rounds, value, checks, (System.nanoTime() - started) / 1e9);
    } catch (AssertionError | SQLException e) {
      System.out.println(cluster.logTails());
      throw e;
    } finally {
      for (Connection c : connections) {
        c.close();
      }
    }
  }

  private static void writeOne(Connection c, int key, long value) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE register SET v = ? WHERE k = ?")) {
      update.setLong(1, value);
      update.setInt(2, key);
      assertEquals(1, update.executeUpdate());
    }
  }

  private static void writeMany(Connection c, List<Integer> keys, long value) throws SQLException {
    c.setAutoCommit(false);
    try {
      for (int k : keys) {
        writeOne(c, k, value);
      }
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static long readOne(Connection c, int key) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT v FROM register WHERE k = ?")) {
      select.setInt(1, key);
      try (ResultSet rs = select.executeQuery()) {
        assertTrue(rs.next(), "key " + key + " missing");
        return rs.getLong(1);
      }
    }
  }
}
