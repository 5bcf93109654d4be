package io.shaledb.sql.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.sql.runtime.StorageReadCounter;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secondary indexes and primary-key ranges: the planner's choice (as EXPLAIN shows it), the rows
 * each access path returns, and how many storage reads it makes (counted by the engine).
 */
class IndexPlannerTest {
  private static final int USERS = 200;

  private LocalEngine node;
  private Session session;

  @BeforeEach
  void open() {
    node = LocalEngine.open(StorageConfig.inMemory());
    session = node.engine().openSession();
    execute("CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(40) UNIQUE, age INT, city VARCHAR(20), name VARCHAR(20))");
    PreparedSql insert = session.prepare("INSERT INTO users VALUES (?, ?, ?, ?, ?)");
    for (int id = 1; id <= USERS; id++) {
      session.execute(insert, Arrays.asList(id, "u" + id + "@x", age(id), "c" + id % 5, "n" + id), new AtomicBoolean());
    }
    execute("CREATE INDEX users_age ON users (age)");
    execute("CREATE INDEX by_city_age ON users (city, age DESC)");
  }

  @AfterEach
  void close() {
    session.close();
    node.close();
  }

  /** Every 17th user has no age; the others are 0..59. */
  private static Integer age(int id) {
    return id % 17 == 0 ? null : id % 60;
  }

  @Test
  void pointSelectByPrimaryKeyTouchesOneKeyAndScansNothing() {
    assertPlan("point get [?0]", "SELECT * FROM users WHERE id = ?");
    PreparedSql select = session.prepare("SELECT * FROM users WHERE id = ?");
    Reads reads = new Reads();
    List<List<Object>> rows = rows(session.execute(select, List.of(42), new AtomicBoolean()));
    reads.assertDelta(1, 0, 0);
    assertEquals(List.of(List.of(42, "u42@x", 42, "c2", "n42")), rows);
    reads = new Reads();
    assertEquals(List.of(), rows(session.execute(select, List.of(4242), new AtomicBoolean())));
    reads.assertDelta(1, 0, 0);
  }

  @Test
  void indexEqualityReadsOnlyTheMatchingRows() {
    assertPlan("index scan users_age [30]", "SELECT id FROM users WHERE age = 30");
    List<Integer> expected = ids(id -> Objects.equals(age(id), 30));
    Reads reads = new Reads();
    assertEquals(expected, ids("SELECT id FROM users WHERE age = 30 ORDER BY id"));
    // One range scan over the index; one entry and one row fetch per match.
    reads.assertDelta(expected.size(), 1, expected.size());

    assertPlan("index scan users_email_key [u42@x]", "SELECT id FROM users WHERE email = 'u42@x'");
    reads = new Reads();
    assertEquals(List.of(42), ids("SELECT id FROM users WHERE email = 'u42@x'"));
    reads.assertDelta(1, 1, 1);
  }

  @Test
  void rangesUseThePrimaryKeyOrAnIndex() {
    assertPlan("primary key range [] [10, 19]", "SELECT id FROM users WHERE id BETWEEN 10 AND 19");
    Reads reads = new Reads();
    assertEquals(ids(id -> id >= 10 && id <= 19), ids("SELECT id FROM users WHERE id BETWEEN 10 AND 19 ORDER BY id"));
    reads.assertDelta(0, 1, 10);
    assertEquals(ids(id -> id > 190), ids("SELECT id FROM users WHERE id > 190 ORDER BY id"));
    assertEquals(ids(id -> id < 4), ids("SELECT id FROM users WHERE 4 > id ORDER BY id"));

    assertPlan("index scan users_age [] (50, 55]", "SELECT id FROM users WHERE age > 50 AND age <= 55");
    List<Integer> expected = ids(id -> age(id) != null && age(id) > 50 && age(id) <= 55);
    reads = new Reads();
    assertEquals(expected, ids("SELECT id FROM users WHERE age > 50 AND age <= 55 ORDER BY id"));
    reads.assertDelta(expected.size(), 1, expected.size());
    // NULL ages are not in any range, also with an open lower end.
    assertEquals(ids(id -> age(id) != null && age(id) < 2), ids("SELECT id FROM users WHERE age < 2 ORDER BY id"));
  }

  @Test
  void compositeDescendingIndexServesEqualityPlusRange() {
    assertPlan("index scan by_city_age [c3] [40, +inf)", "SELECT id FROM users WHERE city = 'c3' AND age >= 40");
    assertEquals(ids(id -> id % 5 == 3 && age(id) != null && age(id) >= 40),
        ids("SELECT id FROM users WHERE city = 'c3' AND age >= 40 ORDER BY id"));
    assertEquals(ids(id -> id % 5 == 3 && age(id) != null && age(id) < 10),
        ids("SELECT id FROM users WHERE city = 'c3' AND age < 10 ORDER BY id"));
    assertEquals(ids(id -> id % 5 == 1 && age(id) != null && age(id) > 5 && age(id) < 25),
        ids("SELECT id FROM users WHERE city = 'c1' AND age > 5 AND age < 25 ORDER BY id"));
    assertEquals(ids(id -> id % 5 == 1), ids("SELECT id FROM users WHERE city = 'c1' ORDER BY id"));
  }

  @Test
  void filtersWithoutAKeyScanEverything() {
    assertPlan("full scan", "SELECT id FROM users WHERE name = 'n5'");
    Reads reads = new Reads();
    assertEquals(List.of(5), ids("SELECT id FROM users WHERE name = 'n5'"));
    reads.assertDelta(0, 1, USERS);
  }

  @Test
  void indexesFollowUpdatesAndDeletes() {
    execute("UPDATE users SET age = 99 WHERE id <= 10");
    execute("UPDATE users SET age = NULL WHERE id = 11");
    execute("DELETE FROM users WHERE id BETWEEN 12 AND 20");
    execute("UPDATE users SET id = id + 1000, city = 'moved' WHERE id = 30");
    assertEquals(ids(id -> id <= 10), ids("SELECT id FROM users WHERE age = 99 ORDER BY id"));
    assertEquals(ids(id -> id > 20 && Objects.equals(age(id), 11)), ids("SELECT id FROM users WHERE age = 11 ORDER BY id"));
    List<Integer> age30 = new ArrayList<>(ids(id -> id > 20 && id != 30 && Objects.equals(age(id), 30)));
    age30.add(1030);
    assertEquals(age30, ids("SELECT id FROM users WHERE age = 30 ORDER BY id"));
    assertEquals(List.of(1030), ids("SELECT id FROM users WHERE city = 'moved'"));
    assertEquals(List.of(1030), ids("SELECT id FROM users WHERE email = 'u30@x'"));
    assertEquals(List.of(), ids("SELECT id FROM users WHERE email = 'u15@x'"));
    execute("INSERT INTO users VALUES (15, 'u15@x', 99, 'c0', 'again')");
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15), ids("SELECT id FROM users WHERE age = 99 ORDER BY id"));
    // A failed statement leaves no index entries behind.
    assertThrows(ShaleException.class, () -> execute("INSERT INTO users VALUES (500, 'new@x', 77, 'c0', 'x'), (501, 'u1@x', 77, 'c0', 'y')"));
    assertEquals(List.of(), ids("SELECT id FROM users WHERE age = 77"));
  }

  @Test
  void createIndexBuildsEntriesForExistingRowsInBatches() {
    execute("CREATE TABLE big (id INT PRIMARY KEY, k INT)");
    // 2,500 rows, so the build takes several batches.
    execute("CREATE TABLE digits (d INT PRIMARY KEY)");
    execute("INSERT INTO digits VALUES " + IntStream.range(0, 50).mapToObj(i -> "(" + i + ")").collect(Collectors.joining(", ")));
    execute("INSERT INTO big SELECT a.d * 50 + b.d, MOD(a.d * 50 + b.d, 7) FROM digits a, digits b");
    execute("CREATE INDEX big_k ON big (k)");
    assertPlan("index scan big_k [3]", "SELECT COUNT(*) FROM big WHERE k = 3");
    Reads reads = new Reads();
    assertEquals(List.of(List.<Object>of(357L)), rows(session.execute("SELECT COUNT(*) FROM big WHERE k = 3")));
    reads.assertDelta(357, 1, 357);
  }

  @Test
  void uniqueIndexOnDuplicatesFailsAndLeavesNothingBehind() {
    execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    execute("INSERT INTO t VALUES (1, 10), (2, 20), (3, 10), (4, NULL), (5, NULL)");
    ShaleException duplicate = assertThrows(ShaleException.class, () -> execute("CREATE UNIQUE INDEX t_v ON t (v)"));
    assertEquals("23505", duplicate.sqlState().code());
    assertTrue(duplicate.getMessage().contains("(v)=(10)"), duplicate.getMessage());
    assertNull(node.engine().catalog().table("t").orElseThrow().index("t_v"));
    assertPlan("full scan", "SELECT id FROM t WHERE v = 10");
    // Writes after the failure are not held back by a half-built index.
    execute("INSERT INTO t VALUES (6, 20)");
    execute("DELETE FROM t WHERE id IN (3, 6)");
    execute("CREATE UNIQUE INDEX t_v ON t (v)");
    assertPlan("index scan t_v [10]", "SELECT id FROM t WHERE v = 10");
    ShaleException violation = assertThrows(ShaleException.class, () -> execute("INSERT INTO t VALUES (7, 20)"));
    assertEquals("23505", violation.sqlState().code());
    execute("INSERT INTO t VALUES (7, NULL)");
  }

  @Test
  void dropIndexReturnsToAFullScan() {
    execute("DROP INDEX users_age");
    assertPlan("full scan", "SELECT id FROM users WHERE age = 30");
    assertEquals(ids(id -> Objects.equals(age(id), 30)), ids("SELECT id FROM users WHERE age = 30 ORDER BY id"));
    execute("DROP INDEX IF EXISTS users_age");
    assertEquals("42704", assertThrows(ShaleException.class, () -> execute("DROP INDEX users_age")).sqlState().code());
    assertEquals("42P07", assertThrows(ShaleException.class, () -> execute("CREATE INDEX by_city_age ON users (name)"))
        .sqlState().code());
    execute("CREATE INDEX IF NOT EXISTS by_city_age ON users (name)");
    assertEquals("42703", assertThrows(ShaleException.class, () -> execute("CREATE INDEX x ON users (nope)"))
        .sqlState().code());
    assertEquals("42P01", assertThrows(ShaleException.class, () -> execute("CREATE INDEX x ON nowhere (a)"))
        .sqlState().code());
    assertEquals("42701", assertThrows(ShaleException.class, () -> execute("CREATE INDEX x ON users (age, age)"))
        .sqlState().code());
  }

  @Test
  void updatesAndDeletesFindTheirRowsThroughKeys() {
    assertPlan("point get [7]", "DELETE FROM users WHERE id = 7");
    assertPlan("index scan users_email_key [u8@x]", "UPDATE users SET name = 'x' WHERE email = 'u8@x'");
    Reads reads = new Reads();
    execute("UPDATE users SET name = 'x' WHERE email = 'u8@x'");
    reads.assertDelta(1, 1, 1);
    assertEquals(List.of(8), ids("SELECT id FROM users WHERE name = 'x'"));
  }

  @Test
  void joinsLookUpTheInnerTableByKeyPerOuterRow() {
    execute("CREATE TABLE orders (id INT PRIMARY KEY, user_id INT REFERENCES users (id), total INT)");
    execute("INSERT INTO orders VALUES " + IntStream.rangeClosed(1, 60)
        .mapToObj(i -> "(" + i + ", " + (i % 20 + 1) + ", " + i * 10 + ")").collect(Collectors.joining(", ")));
    // Outer: one user by key; inner: its orders through the foreign key's index.
    String byUser = "SELECT u.name, o.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = 5";
    assertPlan("per outer row: index scan orders_user_id_fkey [outer.0] by outer columns [0]", byUser);
    Reads reads = new Reads();
    assertEquals(List.of(List.of("n5", 4), List.of("n5", 24), List.of("n5", 44)), rows(session.execute(byUser)));
    // Hash join before: 1 point get, then a scan of all 60 orders.
    reads.assertDelta(1 + 3, 1, 3);

    // Outer: one order by key; inner: its user by primary key.
    String byOrder = "SELECT o.id, u.name FROM orders o JOIN users u ON o.user_id = u.id WHERE o.id = 3";
    assertPlan("per outer row: point get [outer.0] by outer columns [1]", byOrder);
    reads = new Reads();
    assertEquals(List.of(List.of(3, "n4")), rows(session.execute(byOrder)));
    // Hash join before: 1 point get, then a scan of all 200 users.
    reads.assertDelta(2, 0, 0);

    List<List<Object>> expected = new ArrayList<>();
    for (int user = 19; user <= 22; user++) {
      boolean any = false;
      for (int order = 1; order <= 60; order++) {
        if (order % 20 + 1 == user) {
          expected.add(Arrays.asList(user, order));
          any = true;
        }
      }
      if (!any) {
        expected.add(Arrays.asList(user, null));
      }
    }
    String left = "SELECT u.id, o.id FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.id BETWEEN 19 AND 22";
    assertPlan("per outer row: index scan orders_user_id_fkey [outer.0] by outer columns [0]", left);
    assertEquals(expected, rows(session.execute(left)));

    // No key on the inner side's join column: an ordinary join.
    String unkeyed = "SELECT o.id, u.id FROM orders o JOIN users u ON u.name = 'n' || CAST(o.id AS VARCHAR(20))";
    List<String> plan = rows(session.execute("EXPLAIN PLAN FOR " + unkeyed)).stream().map(row -> (String) row.get(0)).toList();
    assertFalse(plan.stream().anyMatch(line -> line.contains("ShaleLookupJoin") && line.contains("table=[users]")),
        String.join("\n", plan));
    assertEquals(List.of(List.of(1, 1), List.of(2, 2)),
        rows(session.execute(unkeyed + " WHERE o.id <= 2 ORDER BY o.id")));
  }

  /** Point lookups are read in batches: rows come out in outer order across batch ends, NULL and missing keys included. */
  @Test
  void pointLookupJoinKeepsOuterOrderAcrossBatches() {
    int visits = 600;
    execute("CREATE TABLE visits (id INT PRIMARY KEY, user_id INT)");
    execute("INSERT INTO visits VALUES " + IntStream.rangeClosed(1, visits)
        .mapToObj(i -> "(" + i + ", " + (i % 7 == 0 ? "NULL" : String.valueOf(i % 250)) + ")")
        .collect(Collectors.joining(", ")));
    List<List<Object>> expectedLeft = new ArrayList<>();
    List<List<Object>> expectedInner = new ArrayList<>();
    long lookedUp = 0;
    for (int i = 1; i <= visits; i++) {
      Integer user = i % 7 == 0 ? null : i % 250;
      lookedUp += user == null ? 0 : 1;
      boolean found = user != null && user >= 1 && user <= USERS;
      expectedLeft.add(Arrays.asList(i, found ? "n" + user : null));
      if (found) {
        expectedInner.add(Arrays.asList(i, "n" + user));
      }
    }
    String left = "SELECT v.id, u.name FROM visits v LEFT JOIN users u ON v.user_id = u.id";
    assertPlan("per outer row: point get [outer.0] by outer columns [1]", left);
    Reads reads = new Reads();
    assertEquals(expectedLeft, rows(session.execute(left)));
    reads.assertDelta(lookedUp, 1, visits);
    String inner = "SELECT v.id, u.name FROM visits v JOIN users u ON v.user_id = u.id";
    assertPlan("per outer row: point get [outer.0] by outer columns [1]", inner);
    assertEquals(expectedInner, rows(session.execute(inner)));
  }

  /** An index scan checks the statement's cancel flag per row it reads. */
  @Test
  void cancelStopsAnIndexScan() {
    String byAge = "SELECT id FROM users WHERE age > 50 AND age <= 55";
    assertPlan("index scan users_age [] (50, 55]", byAge);
    AtomicBoolean cancel = new AtomicBoolean();
    ExecutionResult.Rows result = (ExecutionResult.Rows) session.execute(session.prepare(byAge), List.of(), cancel);
    try (var cursor = result.cursor()) {
      assertEquals(5, cursor.fetch(5).size());
      cancel.set(true);
      ShaleException error = assertThrows(ShaleException.class, () -> cursor.fetch(10));
      assertEquals("57014", error.sqlState().code(), error.getMessage());
    }
  }

  private void assertPlan(String expectedAccess, String sql) {
    List<String> plan = rows(session.execute("EXPLAIN PLAN FOR " + sql)).stream().map(row -> (String) row.get(0)).toList();
    assertTrue(plan.stream().anyMatch(line -> line.contains("access=[" + expectedAccess + "]")),
        () -> "expected access " + expectedAccess + " for " + sql + " in\n" + String.join("\n", plan));
  }

  private void execute(String sql) {
    ExecutionResult result = session.execute(sql);
    if (result instanceof ExecutionResult.Rows rows) {
      rows.cursor().close();
    }
  }

  private List<Integer> ids(String sql) {
    return rows(session.execute(sql)).stream().map(row -> (Integer) row.get(0)).toList();
  }

  private static List<Integer> ids(IntPredicate filter) {
    return IntStream.rangeClosed(1, USERS).filter(filter).boxed().toList();
  }

  private static List<List<Object>> rows(ExecutionResult result) {
    List<List<Object>> rows = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) result).cursor()) {
      for (Object[] row : cursor.fetch(Integer.MAX_VALUE)) {
        rows.add(Arrays.asList(row));
      }
    }
    return rows;
  }

  /** The engine's read counters when created, to assert on what happened since. */
  private final class Reads {
    private final StorageReadCounter counter = node.engine().readCounter();
    private final long pointGets = counter.pointGets();
    private final long rangeScans = counter.rangeScans();
    private final long rowsScanned = counter.rowsScanned();

    void assertDelta(long expectedPointGets, long expectedRangeScans, long expectedRowsScanned) {
      assertEquals(List.of(expectedPointGets, expectedRangeScans, expectedRowsScanned),
          List.of(counter.pointGets() - pointGets, counter.rangeScans() - rangeScans, counter.rowsScanned() - rowsScanned),
          "point gets, range scans, rows scanned");
    }
  }
}
