package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Joins of many small tables plan in bounded time (io.shaledb.sql.plan.JoinOrdering) and return
 * the rows H2 returns on the same data: a chain of 20 tables, a star of 12 around one table, and a
 * chain with filters and an outer join. The data is fixed by a seed.
 */
class ManyTableJoinTest {
  private static final long SEED = 15_005;
  private static final int TABLES = 20;
  private static final int ROWS = 12;
  /**
   * Far above what a query takes once the JVM is warm (about a second on a loaded 2-core machine,
   * mostly generating and compiling its code), far below the exhaustive join search, which did not
   * finish a 20-table join in minutes.
   */
  private static final long QUERY_MILLIS_MAX = 10_000;

  @Test
  void manyWayJoinsAnswerQuicklyWithH2sRows() throws SQLException {
    try (Connection shale = DriverManager.getConnection("jdbc:shaledb:mem:joins-" + UUID.randomUUID());
        Connection h2 = DriverManager.getConnection("jdbc:h2:mem:joins-" + UUID.randomUUID())) {
      Random random = new Random(SEED);
      for (int t = 0; t < TABLES; t++) {
        String create = "CREATE TABLE t" + t + " (id INT PRIMARY KEY, parent INT, v INT)";
        execute(shale, create);
        execute(h2, create);
        for (int id = 0; id < ROWS; id++) {
          String insert = "INSERT INTO t" + t + " VALUES (" + id + ", " + random.nextInt(ROWS) + ", "
              + random.nextInt(5) + ")";
          execute(shale, insert);
          execute(h2, insert);
        }
      }
      // The first query warms the JVM up (class loading, JIT) for the ones that follow.
      List<String> queries = List.of(chain(10, " AND t3.v < 3 AND t7.v > 0"), chain(TABLES, ""), star(12),
          chainWithOuterJoin(8));
      for (String query : queries) {
        List<String> expected = rows(h2, query);
        long started = System.nanoTime();
        List<String> actual = rows(shale, query);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("many-table join: %d ms for %d rows: %s%n", millis, actual.size(),
            query.substring(0, Math.min(80, query.length())));
        assertEquals(expected, actual, query);
        assertTrue(millis < QUERY_MILLIS_MAX, "took " + millis + " ms: " + query);
      }
    }
  }

  /** t0 joined to t1 on t0.parent = t1.id, t1 to t2, ... up to {@code tables}. */
  private static String chain(int tables, String extraConditions) {
    StringBuilder sql = new StringBuilder("SELECT t0.id, t" + (tables - 1) + ".v FROM t0");
    List<String> conditions = new ArrayList<>();
    for (int t = 1; t < tables; t++) {
      sql.append(", t").append(t);
      conditions.add("t" + (t - 1) + ".parent = t" + t + ".id");
    }
    return sql.append(" WHERE ").append(String.join(" AND ", conditions)).append(extraConditions).toString();
  }

  /** t0 in the middle: t0.v = ti.v for every other table, and ti.id = t0.parent. */
  private static String star(int tables) {
    StringBuilder sql = new StringBuilder("SELECT COUNT(*), SUM(t1.v) FROM t0");
    for (int t = 1; t < tables; t++) {
      sql.append(" JOIN t").append(t).append(" ON t").append(t).append(".id = t0.parent");
    }
    return sql.toString();
  }

  private static String chainWithOuterJoin(int tables) {
    StringBuilder sql = new StringBuilder("SELECT t0.id, t1.v, x.id FROM t0");
    for (int t = 1; t < tables; t++) {
      sql.append(" JOIN t").append(t).append(" ON t").append(t - 1).append(".parent = t").append(t).append(".id");
    }
    return sql.append(" LEFT JOIN t").append(tables).append(" x ON x.id = t").append(tables - 1)
        .append(".v AND x.v > 2").toString();
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The rows as text, sorted: the queries have no ORDER BY. */
  private static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          Object value = rs.getObject(c);
          row.append(c > 1 ? "|" : "").append(value == null ? "NULL" : Long.toString(((Number) value).longValue()));
        }
        rows.add(row.toString());
      }
    }
    Collections.sort(rows);
    return rows;
  }
}
