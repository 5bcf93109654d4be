package io.shaledb.cluster.cli;

import io.shaledb.sql.backup.BackupWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code shaledb backup --url URL --to DIR [--incremental-from DIR] [--as-of INSTANT] [--with-users]}:
 * runs BACKUP DATABASE on the server and draws a progress bar from the progress file the backup
 * keeps in DIR (when DIR is visible here too: the same machine or a shared path).
 */
final class BackupCommand {
  private static final long POLL_MS = 200;
  private static final int BAR_WIDTH = 30;

  private BackupCommand() {}

  static int run(List<String> args, String environmentPassword, PrintStream out, PrintStream err) {
    String url = null;
    String to = null;
    String from = null;
    String asOf = null;
    String user = null;
    String password = environmentPassword;
    boolean users = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--with-users")) {
        users = true;
        continue;
      }
      if (i + 1 >= args.size()) {
        err.println("shaledb backup: " + arg + " needs a value");
        return 2;
      }
      String value = args.get(++i);
      switch (arg) {
        case "--url" -> url = value;
        case "--to" -> to = value;
        case "--incremental-from" -> from = value;
        case "--as-of" -> asOf = value;
        case "--user" -> user = value;
        case "--password" -> password = value;
        default -> {
          err.println("shaledb backup: unknown option " + arg);
          return 2;
        }
      }
    }
    if (url == null || to == null) {
      err.println("shaledb backup: --url and --to are required");
      return 2;
    }
    String sql = "BACKUP DATABASE TO " + quote(to) + (asOf == null ? "" : " AS OF " + quote(asOf))
        + (from == null ? "" : " INCREMENTAL FROM " + quote(from)) + (users ? " WITH USERS" : "");
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    String jdbcUrl = url;
    String target = to;
    CompletableFuture<String> backup = CompletableFuture.supplyAsync(() -> {
      try (Connection connection = DriverManager.getConnection(jdbcUrl, properties);
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery(sql)) {
        result.next();
        return "backup of " + result.getString("SNAPSHOT_TIME") + " (timestamp " + result.getLong("SNAPSHOT_TIMESTAMP")
            + "): " + result.getInt("TABLES") + " tables, " + result.getLong("ROWS") + " rows, "
            + result.getLong("BYTES") + " bytes in " + target;
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
      }
    });
    Path progress = Path.of(to).resolve(BackupWriter.PROGRESS_FILE);
    String drawn = null;
    while (true) {
      try {
        String done = backup.get(POLL_MS, TimeUnit.MILLISECONDS);
        if (drawn != null) {
          err.println();
        }
        out.println(done);
        return 0;
      } catch (TimeoutException stillRunning) {
        String bar = bar(progress);
        if (bar != null && !bar.equals(drawn)) {
          err.print("\r" + bar);
          err.flush();
          drawn = bar;
        }
      } catch (ExecutionException e) {
        if (drawn != null) {
          err.println();
        }
        err.println("shaledb backup: " + e.getCause().getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }

  /** The bar for the progress file's "done total rows bytes", or null if it cannot be read (yet, or from here). */
  static String bar(Path progressFile) {
    try {
      String[] f = Files.readString(progressFile, StandardCharsets.US_ASCII).trim().split(" ");
      int done = Integer.parseInt(f[0]);
      int total = Math.max(1, Integer.parseInt(f[1]));
      int filled = BAR_WIDTH * Math.min(done, total) / total;
      return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total + " keyspaces, "
          + f[2] + " rows, " + f[3] + " bytes";
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
