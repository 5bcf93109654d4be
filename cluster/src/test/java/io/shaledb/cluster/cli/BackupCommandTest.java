package io.shaledb.cluster.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shaledb backup}: takes a backup through JDBC, reports it, and refuses bad arguments. */
class BackupCommandTest {
  @TempDir Path dir;

  @Test
  void backsUpThroughJdbcAndTheBackupRestores() throws Exception {
    String url = "jdbc:shaledb:file:" + dir.resolve("db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
      s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = BackupCommand.run(List.of("--url", url, "--to", dir.resolve("b").toString()), null,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("1 tables, 3 rows"), out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.exists(dir.resolve("b").resolve("MANIFEST")));

    try (Connection c = DriverManager.getConnection("jdbc:shaledb:file:" + dir.resolve("restored"));
        Statement s = c.createStatement()) {
      s.execute("RESTORE DATABASE FROM '" + dir.resolve("b") + "'");
      try (ResultSet rows = s.executeQuery("SELECT COUNT(*), MAX(v) FROM t")) {
        rows.next();
        assertEquals(3, rows.getInt(1));
        assertEquals("c", rows.getString(2));
      }
    }
  }

  @Test
  void refusesMissingOptionsAndDrawsTheBarFromTheProgressFile() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, BackupCommand.run(List.of("--to", "x"), null, System.out, errors));
    assertEquals(2, BackupCommand.run(List.of("--url", "u", "--bogus", "1"), null, System.out, errors));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--url and --to are required"));

    Path progress = dir.resolve("PROGRESS");
    assertNull(BackupCommand.bar(progress));
    Files.writeString(progress, "3 6 1200 4096\n");
    assertEquals("[###############...............] 3/6 keyspaces, 1200 rows, 4096 bytes", BackupCommand.bar(progress));
  }
}
