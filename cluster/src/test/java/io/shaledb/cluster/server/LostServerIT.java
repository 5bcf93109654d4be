package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a remote connection reports when its server dies under it (SIGKILL). */
class LostServerIT {
  @TempDir
  Path data;

  @Test
  void aCommitWhoseServerDiedFailsWithOutcomeUnknown() throws Exception {
    try (ServerProcess server = ServerProcess.start(data)) {
      Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        c.setAutoCommit(false);
        s.executeUpdate("INSERT INTO t VALUES (1)");
      }
      server.process().destroyForcibly();
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
      // An SQLException, as JDBC promises, and 08007 (not a retryable 08006): the client cannot
      // know whether the commit reached the server before it died.
      SQLException failure = assertThrows(SQLException.class, c::commit);
      assertEquals("08007", failure.getSQLState(), failure.getMessage());
      try {
        c.close();
      } catch (SQLException e) {
        // Closing tells the server, which is gone.
      }
    }
  }
}
