package io.shaledb.sql.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ORDER BY leading primary-key columns with LIMIT: the first rows in key order, without a sort. */
class OrderByKeyLimitTest {
  private LocalEngine node;
  private Session session;

  @BeforeEach
  void open() {
    node = LocalEngine.open(StorageConfig.inMemory());
    session = node.engine().openSession();
    session.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    session.execute("CREATE TABLE pairs (a INT, b INT, PRIMARY KEY (a, b))");
    // Inserted in descending order, so that an unsorted read could not pass by accident of insertion.
    session.execute("INSERT INTO t VALUES " + IntStream.rangeClosed(1, 300).map(i -> 301 - i)
        .mapToObj(i -> "(" + i + ", " + (i % 13) + ")").collect(Collectors.joining(", ")));
    session.execute("INSERT INTO pairs VALUES " + IntStream.range(0, 60)
        .mapToObj(i -> "(" + (i % 6) + ", " + (59 - i) + ")").collect(Collectors.joining(", ")));
  }

  @AfterEach
  void close() {
    session.close();
    node.close();
  }

  @Test
  void limitOverTheKeyOrderReadsOnlyTheFirstRowsAndSortsNothing() {
    String sql = "SELECT id, v FROM t ORDER BY id LIMIT 5 OFFSET 2";
    List<String> plan = explain(sql);
    assertNoSort(plan);
    assertTrue(plan.stream().anyMatch(line -> line.contains("limit=[7]")), String.join("\n", plan));
    assertEquals(List.of(3, 4, 5, 6, 7), column(sql, 0));
  }

  @Test
  void limitAboveAFilterStillNeedsNoSort() {
    String sql = "SELECT id FROM t WHERE v = 4 ORDER BY id LIMIT 3";
    assertNoSort(explain(sql));
    assertEquals(List.of(4, 17, 30), column(sql, 0));
  }

  @Test
  void limitAsAParameterNeedsNoSort() {
    String sql = "SELECT id FROM t ORDER BY id LIMIT ?";
    assertNoSort(explain(sql));
    List<Object> ids = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) session.execute(session.prepare(sql), List.of(4), new AtomicBoolean()))
        .cursor()) {
      for (Object[] row : cursor.fetch(Integer.MAX_VALUE)) {
        ids.add(row[0]);
      }
    }
    assertEquals(List.of(1, 2, 3, 4), ids);
  }

  @Test
  void aPrefixOfACompositeKeyOrdersWithoutASort() {
    String sql = "SELECT a, b FROM pairs ORDER BY a, b LIMIT 4";
    assertNoSort(explain(sql));
    assertEquals(List.of(0, 0, 0, 0), column(sql, 0));
    assertEquals(List.of(5, 11, 17, 23), column(sql, 1));
  }

  @Test
  void descendingOrderOrAnotherColumnStillSorts() {
    for (String sql : List.of("SELECT id FROM t ORDER BY id DESC LIMIT 3", "SELECT id FROM t ORDER BY v, id LIMIT 3")) {
      List<String> plan = explain(sql);
      assertTrue(plan.stream().anyMatch(line -> line.contains("Sort")), String.join("\n", plan));
    }
    assertEquals(List.of(300, 299, 298), column("SELECT id FROM t ORDER BY id DESC LIMIT 3", 0));
    assertEquals(List.of(13, 26, 39), column("SELECT id FROM t ORDER BY v, id LIMIT 3", 0));
  }

  private static void assertNoSort(List<String> plan) {
    assertFalse(plan.stream().anyMatch(line -> line.contains("Sort")), String.join("\n", plan));
  }

  private List<String> explain(String sql) {
    List<String> lines = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) session.execute("EXPLAIN PLAN FOR " + sql)).cursor()) {
      for (Object[] row : cursor.fetch(Integer.MAX_VALUE)) {
        lines.add((String) row[0]);
      }
    }
    return lines;
  }

  private List<Object> column(String sql, int index) {
    List<Object> values = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) session.execute(sql)).cursor()) {
      for (Object[] row : cursor.fetch(Integer.MAX_VALUE)) {
        values.add(Arrays.asList(row).get(index));
      }
    }
    return values;
  }
}
