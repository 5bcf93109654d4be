package io.shaledb.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;

/**
 * Flyway migrates an embedded ShaleDB through this plugin: V1 and V2 of {@code db/migration}
 * are applied once, recorded in Flyway's schema history table, reported by {@code info} and
 * accepted by {@code validate}; a second {@code migrate} has nothing to do.
 */
class FlywayMigrationTest {

  /** The connections DriverManager gives for one URL, as a DataSource. */
  private record DriverManagerDataSource(String url) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }

  @Test
  void migratesV1AndV2AndReportsThem() throws SQLException {
    String url = "jdbc:shaledb:mem:flyway-" + UUID.randomUUID();
    // The in-memory database lives while a connection to it is open.
    try (Connection keepAlive = DriverManager.getConnection(url)) {
      // Through DriverManager: given the URL, Flyway would make a driver instance of its own, and each
      // instance of ShaleDB's driver keeps its own embedded databases (a server URL has no such issue).
      Flyway flyway = Flyway.configure().dataSource(new DriverManagerDataSource(url)).load();

      MigrateResult first = flyway.migrate();
      assertTrue(first.success);
      assertEquals(2, first.migrationsExecuted);
      assertEquals("ShaleDB", first.databaseType);

      List<MigrationInfo> applied = Arrays.asList(flyway.info().applied());
      assertEquals(List.of("1", "2"), applied.stream().map(info -> info.getVersion().getVersion()).toList(),
          Arrays.stream(flyway.info().all()).map(info -> info.getVersion() + " " + info.getState()).toList().toString());
      assertTrue(applied.stream().allMatch(info -> info.getState() == MigrationState.SUCCESS), applied.toString());
      assertEquals("2", flyway.info().current().getVersion().getVersion());

      ValidateResult validation = flyway.validateWithResult();
      assertTrue(validation.validationSuccessful, String.valueOf(validation.invalidMigrations));

      assertEquals(0, flyway.migrate().migrationsExecuted);

      try (Statement statement = keepAlive.createStatement()) {
        try (ResultSet rs = statement.executeQuery("SELECT a.name, b.title, b.isbn FROM book b JOIN author a ON a.id = b.author_id")) {
          assertTrue(rs.next());
          assertEquals("Ursula K. Le Guin", rs.getString(1));
          assertEquals("The Dispossessed", rs.getString(2));
          assertEquals("978-0060512750", rs.getString(3));
        }
        // The constraints the migrations added are in force.
        SQLException orphan = assertThrows(SQLException.class,
            () -> statement.executeUpdate("INSERT INTO book (author_id, title) VALUES (99, 'orphan')"));
        assertEquals("23503", orphan.getSQLState());
        SQLException duplicate = assertThrows(SQLException.class,
            () -> statement.executeUpdate("INSERT INTO book (author_id, title, isbn) VALUES (1, 'again', '978-0060512750')"));
        assertEquals("23505", duplicate.getSQLState());
        try (ResultSet rs = statement.executeQuery(
            "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE")) {
          assertTrue(rs.next());
          assertEquals(2, rs.getInt(1));
        }
      }
    }
  }
}
