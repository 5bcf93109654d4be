package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.embedded.EmbeddedNode;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server running a BACKUP is SIGKILLed half-way: what it leaves in the backup directory is
 * refused by RESTORE, and the database itself is intact after a restart.
 */
class BackupKilledIT {
  private static final int ROWS = 100_000;

  @TempDir Path dir;

  @Test
  void aBackupKilledHalfWayLeavesNothingRestoreAccepts() throws Exception {
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backup");
    try (ServerProcess server = ServerProcess.start(data)) {
      try (Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(100)) SHARDS 4");
        for (int from = 0; from < ROWS; from += 2_000) {
          StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
          for (int i = from; i < from + 2_000; i++) {
            insert.append(i == from ? "" : ", ").append("(").append(i).append(", 'row ").append(i)
                .append(" padded to make the backup take a while')");
          }
          s.execute(insert.toString());
        }
      }
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
        try (Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
            Statement s = c.createStatement()) {
          s.execute("BACKUP DATABASE TO '" + backup + "'");
        } catch (SQLException expected) {
          // The server dies under it.
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(backup.resolve("PROGRESS")) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      server.process().destroyForcibly(); // SIGKILL
      server.process().waitFor(30, TimeUnit.SECONDS);
      running.get(60, TimeUnit.SECONDS);
    }
    assertTrue(Files.isDirectory(backup), "the backup had started");
    assertFalse(Files.exists(backup.resolve("MANIFEST")), "the backup finished before the kill; use more rows");

    try (EmbeddedNode target = EmbeddedNode.open(new StorageConfig(null, Clock.systemUTC()))) {
      Session session = target.engine().openSession();
      ShaleException refused = assertThrows(ShaleException.class,
          () -> session.execute("RESTORE DATABASE FROM '" + backup + "'"));
      assertEquals(SqlState.DATA_CORRUPTED, refused.sqlState(), refused.getMessage());
      assertTrue(refused.getMessage().contains("no complete backup"), refused.getMessage());
      ExecutionResult tables = session.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'");
      try (var cursor = ((ExecutionResult.Rows) tables).cursor()) {
        assertEquals(0L, ((Number) cursor.fetch(1).get(0)[0]).longValue());
      }
    }
    // The database the backup was reading is intact: a restarted server serves every row, and backs it up.
    try (ServerProcess server = ServerProcess.start(data);
        Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
        Statement s = c.createStatement()) {
      try (var r = s.executeQuery("SELECT COUNT(*) FROM t")) {
        r.next();
        assertEquals(ROWS, r.getLong(1));
      }
      try (var r = s.executeQuery("BACKUP DATABASE TO '" + dir.resolve("again") + "'")) {
        r.next();
        assertEquals(ROWS, r.getLong("ROWS"));
      }
    }
  }
}
