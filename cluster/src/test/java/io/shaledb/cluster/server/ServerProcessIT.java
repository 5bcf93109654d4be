package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shaledb start} as a real process: serving, the data-directory lock, config file, SIGTERM. */
class ServerProcessIT {
  @TempDir
  Path data;

  @Test
  void servesRefusesASecondServerOnTheSameDataAndStopsCleanlyOnSigterm() throws Exception {
    try (ServerProcess server = ServerProcess.start(data)) {
      String listening = "ShaleDB listening on 127.0.0.1:" + server.port();
      assertTrue(server.awaitOutput(listening, 30).contains(listening), server.output());
      try (Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
        s.execute("INSERT INTO t VALUES (1, 'kept')");
      }
      try (ServerProcess second = ServerProcess.launch(data, ServerProcess.freePort())) {
        assertTrue(second.process().waitFor(60, TimeUnit.SECONDS), "second server should refuse and exit");
        assertEquals(1, second.process().exitValue());
        String refusal = second.awaitOutput("is in use by another ShaleDB server", 10);
        assertTrue(refusal.contains("is in use by another ShaleDB server (process " + server.process().pid() + ")"),
            refusal);
      }
      int exit = server.terminate();
      // 143 = killed by SIGTERM after the shutdown hook ran; the lock is released either way.
      assertTrue(exit == 0 || exit == 143, "exit code " + exit);
    }
    // Shut down cleanly: the directory is free again and the committed row is there.
    try (Connection c = DriverManager.getConnection("jdbc:shaledb:file:" + data); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 1")) {
      assertTrue(rs.next());
      assertEquals("kept", rs.getString(1));
    }
  }

  @Test
  void readsAConfigFileAndCommandLineWins() throws Exception {
    int port = ServerProcess.freePort();
    Path config = data.resolve("server.properties");
    Files.writeString(config, "# test config\nport=" + port + "\nhost=0.0.0.0\ndata=" + data.resolve("db") + "\n",
        StandardCharsets.UTF_8);
    try (ServerProcess server = ServerProcess.launchWith(port,
        java.util.List.of("--config", config.toString(), "--host", "127.0.0.1"))) {
      server.awaitPort(port, 60);
      try (Connection c = DriverManager.getConnection(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE c (id INT PRIMARY KEY)");
      }
      // Port and data directory came from the file; the host from the command line, which wins.
      assertTrue(Files.exists(data.resolve("db").resolve(DataDirectoryLock.FILE_NAME)));
      String listening = "ShaleDB listening on 127.0.0.1:" + port;
      assertTrue(server.awaitOutput(listening, 30).contains(listening), server.output());
      server.terminate();
    }
  }
}
