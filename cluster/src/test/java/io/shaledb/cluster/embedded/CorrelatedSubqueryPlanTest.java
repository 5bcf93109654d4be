package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which correlated subqueries the planner decorrelates (a join with an aggregate) and which it
 * keeps as a nested loop ({@code EnumerableCorrelate}), because Calcite's decorrelator returns
 * wrong rows for them; the rows themselves are checked against H2 by {@link DifferentialQueryTest}
 * and the SQL corpus.
 */
class CorrelatedSubqueryPlanTest {
  private Connection connection;

  @BeforeEach
  void createTable() throws SQLException {
    connection = DriverManager.getConnection("jdbc:shaledb:mem:correlated-" + UUID.randomUUID());
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE t (pk INT PRIMARY KEY, a INT, b INT)");
      s.execute("INSERT INTO t VALUES (0, 0, 3), (1, 0, -1), (2, NULL, 6)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void aCorrelatedSubqueryThatIsAConjunctOfItsOwnIsDecorrelated() throws SQLException {
    String sql = "SELECT pk FROM t WHERE b <= (SELECT MAX(s.b) FROM t s WHERE s.a = t.a) AND a = 0";
    assertFalse(plan(sql).contains("Correlate"), plan(sql));
    assertEquals(List.of(0, 1), pks(sql));
  }

  @Test
  void correlatedSubqueriesUnderOrRunAsNestedLoops() throws SQLException {
    String sql = "SELECT pk FROM t WHERE b <= (SELECT MAX(s.b) FROM t s WHERE s.b <= t.b)"
        + " OR a NOT IN (SELECT s.a FROM t s WHERE s.b <> t.a)";
    assertTrue(plan(sql).contains("EnumerableCorrelate"), plan(sql));
    assertEquals(List.of(0, 1, 2), pks(sql));
  }

  @Test
  void aCorrelatedNotInRunsAsANestedLoop() throws SQLException {
    String sql = "SELECT pk FROM t WHERE a NOT IN (SELECT s.a FROM t s WHERE s.a = t.a)";
    assertTrue(plan(sql).contains("EnumerableCorrelate"), plan(sql));
    // pk 2 has a NULL a: nothing in s equals it, and NOT IN of an empty set is true.
    assertEquals(List.of(2), pks(sql));
  }

  private String plan(String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return String.join("\n", lines);
  }

  private List<Integer> pks(String sql) throws SQLException {
    List<Integer> pks = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql + " ORDER BY pk")) {
      while (rs.next()) {
        pks.add(rs.getInt(1));
      }
    }
    return pks;
  }
}
