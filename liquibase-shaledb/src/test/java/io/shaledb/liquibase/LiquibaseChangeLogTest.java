package io.shaledb.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;

/**
 * Liquibase applies the two changesets of {@code db/changelog.sql} to an embedded ShaleDB through
 * this extension, records them in its changelog table, rolls the second back, and applies it again.
 */
class LiquibaseChangeLogTest {

  @Test
  @SuppressWarnings("deprecation") // Liquibase's facade is the shortest runnable example; the command API does the same.
  void appliesTwoChangeSetsAndRollsOneBack() throws Exception {
    String url = "jdbc:shaledb:mem:liquibase-" + UUID.randomUUID();
    // The in-memory database lives while a connection to it is open.
    try (Connection keepAlive = DriverManager.getConnection(url);
        Liquibase liquibase = new Liquibase("db/changelog.sql", new ClassLoaderResourceAccessor(),
            new JdbcConnection(DriverManager.getConnection(url)));
        Statement statement = keepAlive.createStatement()) {
      assertInstanceOf(ShaleLiquibaseDatabase.class, liquibase.getDatabase());

      liquibase.update(new Contexts(), new LabelExpression());
      assertEquals(2, count(statement, "SELECT COUNT(*) FROM databasechangelog"));
      assertEquals(1, count(statement, "SELECT COUNT(*) FROM person"));
      statement.executeUpdate("INSERT INTO address (person_id, city) VALUES (1, 'London')");
      assertEquals("23503", assertThrows(SQLException.class,
          () -> statement.executeUpdate("INSERT INTO address (person_id, city) VALUES (2, 'Paris')")).getSQLState());

      liquibase.rollback(1, (String) null);
      assertEquals(1, count(statement, "SELECT COUNT(*) FROM databasechangelog"));
      assertEquals("42P01", assertThrows(SQLException.class,
          () -> statement.executeQuery("SELECT * FROM address")).getSQLState());
      assertEquals(1, count(statement, "SELECT COUNT(*) FROM person"));

      liquibase.update(new Contexts(), new LabelExpression());
      assertEquals(2, count(statement, "SELECT COUNT(*) FROM databasechangelog"));
      assertEquals(0, count(statement, "SELECT COUNT(*) FROM address"));
    }
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
