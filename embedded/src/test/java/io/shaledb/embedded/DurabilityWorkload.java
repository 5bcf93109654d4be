package io.shaledb.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link DurabilityIT}. Creates table {@code round_<round>} (printing {@code
 * DDL round} once that committed), then runs {@link #WRITERS} threads, each committing groups
 * in a loop: one transaction inserts {@link #ROWS_PER_GROUP} ledger rows (spread over shards) and
 * one row into {@code group_log} (another table), so every commit is a two-phase commit over
 * several shards and two tables. Every statement is a single-row INSERT, which skips the planner:
 * the child lives a few seconds, and planning on a cold JVM would take most of them. After each commit returned it prints
 * {@code ACK group}. Group numbers are {@code firstGroup + writer + k * WRITERS}. A further
 * connection keeps writes open that it never commits. Runs until it is killed.
 */
public final class DurabilityWorkload {
  static final int WRITERS = 4;
  static final int ROWS_PER_GROUP = 3;
  static final int UNCOMMITTED_ID = -1;

  private DurabilityWorkload() {}

  public static void main(String[] args) throws Exception {
    String url = "jdbc:shaledb:file:" + args[0];
    long firstGroup = Long.parseLong(args[1]);
    int round = Integer.parseInt(args[2]);
    try (Connection setup = DriverManager.getConnection(url);
        Connection dangling = DriverManager.getConnection(url)) {
      try (Statement statement = setup.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS ledger (id BIGINT PRIMARY KEY, grp BIGINT NOT NULL, payload VARCHAR(200)) SHARDS 8");
        statement.execute("CREATE TABLE IF NOT EXISTS group_log (grp BIGINT PRIMARY KEY, writer INT NOT NULL, row_count INT NOT NULL) SHARDS 4");
        statement.execute("CREATE TABLE round_" + round + " (id INT PRIMARY KEY, note VARCHAR(20))");
      }
      print("DDL " + round);
      dangling.setAutoCommit(false);
      try (Statement statement = dangling.createStatement()) {
        statement.execute("INSERT INTO ledger VALUES (" + UNCOMMITTED_ID + ", -1, 'never committed')");
        statement.execute("INSERT INTO group_log VALUES (-1, -1, 1)");
      }
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread thread = new Thread(() -> write(url, writer, firstGroup), "writer-" + w);
        writers.add(thread);
        thread.start();
      }
      print("READY");
      for (Thread thread : writers) {
        thread.join();
      }
    }
  }

  private static void write(String url, int writer, long firstGroup) {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger VALUES (?, ?, ?)");
        PreparedStatement log = connection.prepareStatement("INSERT INTO group_log VALUES (?, ?, ?)")) {
      connection.setAutoCommit(false);
      for (long group = firstGroup + writer; ; group += WRITERS) {
        for (int i = 0; i < ROWS_PER_GROUP; i++) {
          insert.setLong(1, group * ROWS_PER_GROUP + i);
          insert.setLong(2, group);
          insert.setString(3, "row " + i + " of group " + group + " " + "x".repeat(100));
          insert.executeUpdate();
        }
        log.setLong(1, group);
        log.setInt(2, writer);
        log.setInt(3, ROWS_PER_GROUP);
        log.executeUpdate();
        // Writers write disjoint keys: no conflicts, no retries.
        connection.commit();
        print("ACK " + group);
      }
    } catch (SQLException e) {
      e.printStackTrace();
      System.exit(3);
    }
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
