package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** What the calls of a remote connection report when its server dies under it (SIGKILL). */
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

  @Test
  void otherCallsOnAConnectionWhoseServerDiedFailWithConnectionFailure() throws Exception {
    try (ServerProcess server = ServerProcess.start(data)) {
      Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
      c.setAutoCommit(false);
      Statement before = c.createStatement();
      PreparedStatement prepared = c.prepareStatement("SELECT 1");
      server.process().destroyForcibly();
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
      Map<String, Executable> calls = new LinkedHashMap<>();
      calls.put("createStatement", c::createStatement);
      calls.put("prepareStatement", () -> c.prepareStatement("SELECT 1"));
      calls.put("prepareStatement again", () -> c.prepareStatement("SELECT 2"));
      calls.put("executeQuery", () -> before.executeQuery("SELECT 1"));
      calls.put("executeUpdate", () -> before.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)"));
      calls.put("execute prepared", prepared::executeQuery);
      calls.put("getTables", () -> c.getMetaData().getTables(null, null, "%", null));
      calls.put("rollback", c::rollback);
      for (Map.Entry<String, Executable> call : calls.entrySet()) {
        SQLException failure = assertThrows(SQLException.class, call.getValue(), call.getKey());
        assertTrue(failure.getSQLState() != null && failure.getSQLState().matches("08006|08003"),
            call.getKey() + ": " + failure.getSQLState() + " " + failure.getMessage());
      }
      try {
        c.close();
      } catch (SQLException e) {
        // Closing tells the server, which is gone.
      }
    }
  }
}
