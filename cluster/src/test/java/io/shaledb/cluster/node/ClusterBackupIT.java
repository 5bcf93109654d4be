package io.shaledb.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.fault.ClusterProcesses;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.embedded.EmbeddedNode;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BACKUP DATABASE on three node JVMs: a backup taken through node 1 holds every shard of every node
 * and restores into a new (embedded) database and into the emptied cluster through another node; a backup during which node 3 is SIGKILLed either
 * fails with an error and leaves a directory restore refuses, or completes whole. Never a backup
 * that restore accepts with rows missing.
 */
class ClusterBackupIT {
  private static final int ACCOUNTS = 20_000;
  private static final long BALANCE = 100;

  @TempDir Path base;
  private ClusterProcesses cluster;
  private final List<EmbeddedNode> embedded = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    embedded.forEach(EmbeddedNode::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void backupOfEveryShardRestoresAndAKilledNodeNeverLeavesAPartialBackup() throws Exception {
    cluster = ClusterProcesses.create(base, 3);
    cluster.startAll();
    try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, owner VARCHAR(40)) SHARDS 6");
      s.execute("CREATE INDEX accounts_owner ON accounts (owner)");
      for (int from = 0; from < ACCOUNTS; from += 1_000) {
        StringBuilder insert = new StringBuilder("INSERT INTO accounts VALUES ");
        for (int i = from; i < from + 1_000; i++) {
          insert.append(i == from ? "" : ", ").append("(").append(i).append(", ").append(BALANCE)
              .append(", 'owner number ").append(i).append("')");
        }
        s.execute(insert.toString());
      }

      Path whole = base.resolve("whole");
      try (ResultSet r = s.executeQuery("BACKUP DATABASE TO '" + whole + "'")) {
        assertTrue(r.next());
        assertEquals(ACCOUNTS, r.getLong("ROWS"));
      }
      Session restored = restore(whole);
      assertEquals(List.of(ACCOUNTS + "|" + ACCOUNTS * BALANCE),
          rows(restored, "SELECT COUNT(*), SUM(balance) FROM accounts"));
      assertEquals(List.of("owner number 77"), rows(restored, "SELECT owner FROM accounts WHERE owner = 'owner number 77'"));

      // Restored into the cluster itself, emptied, through node 2: every node sees the tables and rows.
      s.execute("DROP TABLE accounts");
      try (Connection c2 = cluster.connect(2); Statement s2 = c2.createStatement()) {
        s2.execute("RESTORE DATABASE FROM '" + whole + "'");
      }
      for (int nodeId = 1; nodeId <= 3; nodeId++) {
        try (Connection cn = cluster.connect(nodeId); Statement sn = cn.createStatement();
            ResultSet r = sn.executeQuery("SELECT COUNT(*), SUM(balance), COUNT(DISTINCT owner) FROM accounts")) {
          assertTrue(r.next());
          assertEquals(ACCOUNTS, r.getLong(1), "node " + nodeId);
          assertEquals(ACCOUNTS * BALANCE, r.getLong(2), "node " + nodeId);
        }
      }

      Path killed = base.resolve("killed");
      CompletableFuture<String> backup = CompletableFuture.supplyAsync(() -> {
        try (Connection c2 = cluster.connect(1); Statement s2 = c2.createStatement();
            ResultSet r = s2.executeQuery("BACKUP DATABASE TO '" + killed + "'")) {
          r.next();
          return "completed " + r.getLong("ROWS");
        } catch (SQLException e) {
          return "failed " + e.getSQLState() + " " + e.getMessage();
        }
      });
      // Kill node 3 once the backup has begun writing.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(killed.resolve("PROGRESS")) && !backup.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      cluster.node(3).kill();
      String outcome = backup.get(2, TimeUnit.MINUTES);
      System.out.println("backup with node 3 killed: " + outcome.lines().findFirst().orElse(""));
      if (outcome.startsWith("failed")) {
        assertFalse(Files.exists(killed.resolve("MANIFEST")), outcome);
        Session target = open();
        ShaleException refused = assertThrows(ShaleException.class,
            () -> rows(target, "RESTORE DATABASE FROM '" + killed + "'"));
        assertEquals(SqlState.DATA_CORRUPTED, refused.sqlState(), refused.getMessage());
      } else {
        assertEquals("completed " + ACCOUNTS, outcome);
        Session target = restore(killed);
        assertEquals(List.of(ACCOUNTS + "|" + ACCOUNTS * BALANCE),
            rows(target, "SELECT COUNT(*), SUM(balance) FROM accounts"));
      }
    }
  }

  private Session open() {
    EmbeddedNode node = EmbeddedNode.open(new StorageConfig(null, Clock.systemUTC()));
    embedded.add(node);
    return node.engine().openSession();
  }

  private Session restore(Path backup) {
    Session session = open();
    rows(session, "RESTORE DATABASE FROM '" + backup + "'");
    return session;
  }

  private static List<String> rows(Session s, String sql) {
    List<String> rows = new ArrayList<>();
    ExecutionResult result = s.execute(sql);
    try (var cursor = ((ExecutionResult.Rows) result).cursor()) {
      while (!cursor.isDone()) {
        for (Object[] row : cursor.fetch(1000)) {
          rows.add(String.join("|", java.util.Arrays.stream(row).map(String::valueOf).toList()));
        }
      }
    }
    return rows;
  }
}
