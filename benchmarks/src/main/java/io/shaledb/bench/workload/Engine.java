package io.shaledb.bench.workload;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the runner knows about the database behind a JDBC URL: a short name for tables and charts, the
 * per-connection settings that make its commits durable, and a sentence stating those settings, so every
 * number printed says what durability it was measured with.
 */
public record Engine(String name, String url) {

  /**
   * Names the engine after the URL's scheme; a ShaleDB URL is told apart by embedded file, memory or server.
   * {@code NAME=jdbc:...} names it explicitly, e.g. to tell a cluster node from a single server (a name starting
   * with {@code shaledb} counts as ShaleDB in the ratios).
   */
  public static Engine forUrl(String url) {
    int equals = url.indexOf('=');
    if (equals > 0 && url.indexOf("jdbc:") == equals + 1) {
      return new Engine(url.substring(0, equals), url.substring(equals + 1));
    }
    String name;
    if (url.startsWith("jdbc:shaledb://")) {
      name = "shaledb-server";
    } else if (url.startsWith("jdbc:shaledb:file:")) {
      name = "shaledb-embedded";
    } else if (url.startsWith("jdbc:shaledb:mem:")) {
      name = "shaledb-mem";
    } else if (url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:")) {
      name = "h2-server";
    } else if (url.startsWith("jdbc:h2:")) {
      name = "h2-embedded";
    } else if (url.startsWith("jdbc:sqlite:")) {
      name = "sqlite";
    } else if (url.startsWith("jdbc:postgresql:")) {
      name = "postgresql";
    } else {
      name = url.replaceFirst("^jdbc:([^:]+):.*$", "$1");
    }
    return new Engine(name, url);
  }

  boolean isShaleDb() {
    return name.startsWith("shaledb");
  }

  boolean isSqlite() {
    return name.equals("sqlite");
  }

  boolean isPostgres() {
    return name.equals("postgresql");
  }

  /**
   * Connection properties the engine is opened with. SQLite waits up to 10 s for a lock; a deferred transaction
   * that read before another writer committed still fails at once with SQLITE_BUSY, which the workload retries.
   * (IMMEDIATE transactions are no way out: the driver begins one on setAutoCommit(false) and after every commit,
   * so an idle connection would hold the write lock.)
   */
  java.util.Properties connectionProperties() {
    java.util.Properties properties = new java.util.Properties();
    if (isSqlite()) {
      properties.setProperty("busy_timeout", "10000");
    }
    return properties;
  }

  /** Applies the durable settings this runner promises for the engine to a freshly opened connection. */
  void configure(Connection connection) throws SQLException {
    if (isSqlite()) {
      try (Statement s = connection.createStatement()) {
        // WAL lets readers run beside the one writer; FULL syncs the WAL on every commit.
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
      }
    }
  }

  /** A sentence stating how durable a commit is on this engine, read from the server where it can say. */
  String durability(Connection connection) throws SQLException {
    if (name.equals("shaledb-mem")) {
      return "in memory: not durable (tests only)";
    }
    if (isShaleDb()) {
      return "file mode: commit returns after the fsync covering it (group commit)";
    }
    if (name.startsWith("h2")) {
      return "H2 defaults (MVStore file): commits are written at commit but fsync'd only at checkpoints,"
          + " so a power loss can lose the last ~second";
    }
    if (isSqlite()) {
      return "journal_mode=" + pragma(connection, "journal_mode") + ", synchronous="
          + pragma(connection, "synchronous") + " (2 = FULL: WAL fsync'd on every commit)";
    }
    if (isPostgres()) {
      return "fsync=" + show(connection, "fsync") + ", synchronous_commit=" + show(connection, "synchronous_commit")
          + ", isolation read committed";
    }
    return "engine defaults (not inspected)";
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : "?";
    }
  }

  private static String show(Connection connection, String setting) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
      return rs.next() ? rs.getString(1) : "?";
    }
  }
}
