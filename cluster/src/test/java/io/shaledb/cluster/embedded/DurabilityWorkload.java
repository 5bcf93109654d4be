package io.shaledb.cluster.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The child process of {@link DurabilityIT}: writes groups of rows, each group in one transaction,
 * and prints {@code ACK g} once the commit of group g returned. It also keeps a transaction with
 * writes open that it never commits. It runs until it is killed.
 */
public final class DurabilityWorkload {
  static final int ROWS_PER_GROUP = 3;
  static final int UNCOMMITTED_ID = -1;

  private DurabilityWorkload() {}

  public static void main(String[] args) throws SQLException {
    String url = "jdbc:shaledb:file:" + args[0];
    long firstGroup = Long.parseLong(args[1]);
    try (Connection writer = DriverManager.getConnection(url);
        Connection dangling = DriverManager.getConnection(url)) {
      try (Statement statement = writer.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS ledger (id BIGINT PRIMARY KEY, grp BIGINT NOT NULL, payload VARCHAR(200))");
      }
      dangling.setAutoCommit(false);
      try (Statement statement = dangling.createStatement()) {
        statement.execute("INSERT INTO ledger VALUES (" + UNCOMMITTED_ID + ", -1, 'never committed')");
      }
      System.out.println("READY");
      System.out.flush();
      writer.setAutoCommit(false);
      try (PreparedStatement insert = writer.prepareStatement("INSERT INTO ledger VALUES (?, ?, ?)")) {
        for (long group = firstGroup; ; group++) {
          for (int i = 0; i < ROWS_PER_GROUP; i++) {
            insert.setLong(1, group * ROWS_PER_GROUP + i);
            insert.setLong(2, group);
            insert.setString(3, "row " + i + " of group " + group + " " + "x".repeat(100));
            insert.executeUpdate();
          }
          writer.commit();
          System.out.println("ACK " + group);
          System.out.flush();
        }
      }
    }
  }
}
