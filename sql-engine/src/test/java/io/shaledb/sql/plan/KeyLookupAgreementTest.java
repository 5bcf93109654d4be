package io.shaledb.sql.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * For a primary key of every column type, the fast path and the planner's key rule make the same
 * decision about {@code key = constant} (a point get, or a filter) and return the same rows: the
 * decision is {@code KeyLookups}'s. The planner is reached through a derived table, which the fast
 * path never takes.
 */
class KeyLookupAgreementTest {
  /** One key type: its SQL type, the keys inserted, and constants to compare with (found or not, exact or not). */
  private record KeyCase(ColumnType type, String sqlType, List<String> inserted, List<String> constants) {}

  private static final List<KeyCase> CASES = List.of(
      new KeyCase(ColumnType.BOOLEAN, "BOOLEAN", List.of("TRUE", "FALSE"), List.of("TRUE", "FALSE")),
      new KeyCase(ColumnType.SMALLINT, "SMALLINT", List.of("-3", "0", "7"), List.of("7", "-3", "8", "7.0", "7.5")),
      new KeyCase(ColumnType.INTEGER, "INT", List.of("-3", "0", "7"), List.of("7", "-3", "8", "7.0", "7.5", "3000000000")),
      new KeyCase(ColumnType.BIGINT, "BIGINT", List.of("-3", "0", "3000000000"), List.of("3000000000", "-3", "1", "0.5")),
      new KeyCase(ColumnType.DECIMAL, "DECIMAL(10,2)", List.of("1.25", "-2.50", "3"),
          List.of("1.25", "-2.5", "3", "3.00", "1.251", "4")),
      new KeyCase(ColumnType.REAL, "REAL", List.of("0.1", "1.5", "-2"), List.of("0.1", "1.5", "-2", "2")),
      new KeyCase(ColumnType.DOUBLE, "DOUBLE", List.of("0.1", "1.5", "-2"), List.of("0.1", "1.5", "-2", "2")),
      new KeyCase(ColumnType.CHAR, "CHAR(4)", List.of("'ab'", "'abcd'"), List.of("'ab'", "'abcd'", "'zz'")),
      new KeyCase(ColumnType.VARCHAR, "VARCHAR(10)", List.of("'ab'", "'b c'", "''"), List.of("'ab'", "'b c'", "''", "'x'")),
      new KeyCase(ColumnType.DATE, "DATE", List.of("DATE '2026-01-02'", "DATE '1969-12-31'"),
          List.of("DATE '2026-01-02'", "DATE '1969-12-31'", "DATE '2000-01-01'")),
      new KeyCase(ColumnType.TIME, "TIME", List.of("TIME '10:20:30'", "TIME '00:00:00'"),
          List.of("TIME '10:20:30'", "TIME '00:00:00'", "TIME '23:59:59'")),
      new KeyCase(ColumnType.TIMESTAMP, "TIMESTAMP", List.of("TIMESTAMP '2026-01-02 03:04:05.678'", "TIMESTAMP '1969-12-31 23:59:59'"),
          List.of("TIMESTAMP '2026-01-02 03:04:05.678'", "TIMESTAMP '1969-12-31 23:59:59'", "TIMESTAMP '2026-01-02 03:04:05'")));

  private LocalEngine node;
  private Session session;

  @BeforeEach
  void open() {
    node = LocalEngine.open(StorageConfig.inMemory());
    session = node.engine().openSession();
  }

  @AfterEach
  void close() {
    session.close();
    node.close();
  }

  @Test
  void everyColumnTypeIsCovered() {
    Set<ColumnType> covered = EnumSet.noneOf(ColumnType.class);
    CASES.forEach(c -> covered.add(c.type()));
    assertEquals(EnumSet.allOf(ColumnType.class), covered);
  }

  @Test
  void fastPathAndPlannerAgreeOnEveryKeyType() {
    int table = 0;
    for (KeyCase keyCase : CASES) {
      String name = "k" + table++;
      session.execute("CREATE TABLE " + name + " (k " + keyCase.sqlType() + " PRIMARY KEY, v INT)");
      int value = 0;
      for (String key : keyCase.inserted()) {
        session.execute("INSERT INTO " + name + " VALUES (" + key + ", " + value++ + ")");
      }
      for (String constant : keyCase.constants()) {
        String condition = "k = " + constant;
        String what = keyCase.sqlType() + " " + condition;
        StatementPlan fast = session.prepare("SELECT v FROM " + name + " WHERE " + condition).plan();
        List<String> explained = explain("SELECT v FROM (SELECT k, v FROM " + name + ") AS s WHERE " + condition);
        boolean fastLooksUp = fast instanceof StatementPlan.PointQuery;
        boolean plannerLooksUp = explained.stream().anyMatch(line -> line.contains("access=[point get"));
        assertEquals(fastLooksUp, plannerLooksUp, what + ": fast path " + fast.getClass().getSimpleName() + ", planner " + explained);
        List<List<Object>> viaFastPath = rows("SELECT v FROM " + name + " WHERE " + condition);
        List<List<Object>> viaPlanner = rows("SELECT v FROM (SELECT k, v FROM " + name + ") AS s WHERE " + condition);
        assertEquals(viaPlanner, viaFastPath, what);
        if (keyCase.type() == ColumnType.REAL || keyCase.type() == ColumnType.DOUBLE) {
          assertFalse(fastLooksUp, what + ": floating-point keys are compared by the filter, never looked up");
        }
      }
    }
  }

  @Test
  void exactConstantsOfExactTypesAreLookedUp() {
    session.execute("CREATE TABLE n (k INT PRIMARY KEY, v INT)");
    session.execute("INSERT INTO n VALUES (7, 1)");
    assertTrue(session.prepare("SELECT v FROM n WHERE k = 7").plan() instanceof StatementPlan.PointQuery);
    assertTrue(explain("SELECT v FROM (SELECT k, v FROM n) AS s WHERE k = 7").stream()
        .anyMatch(line -> line.contains("access=[point get")));
    assertFalse(session.prepare("SELECT v FROM n WHERE k = 7.5").plan() instanceof StatementPlan.PointQuery);
    assertEquals(List.of(), rows("SELECT v FROM n WHERE k = 7.5"));
  }

  private List<String> explain(String sql) {
    List<String> lines = new ArrayList<>();
    for (List<Object> row : rows("EXPLAIN PLAN FOR " + sql)) {
      lines.add(String.valueOf(row.get(0)));
    }
    return lines;
  }

  private List<List<Object>> rows(String sql) {
    ExecutionResult.Rows result = (ExecutionResult.Rows) session.execute(sql);
    List<List<Object>> rows = new ArrayList<>();
    try (var cursor = result.cursor()) {
      for (Object[] row : cursor.fetch(1000)) {
        rows.add(Arrays.asList(row));
      }
    }
    return rows;
  }
}
