package io.shaledb.sql.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.tso.ManualClock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the schema-change features (ALTER TABLE without rewrites, views, MERGE, TRUNCATE, time
 * travel, information_schema) meet the constraint and index features (UNIQUE/FK/CHECK, secondary
 * indexes, fast paths, the plan cache).
 */
class SchemaChangeIndexTest {
  private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
  private LocalEngine node;
  private Session session;

  @BeforeEach
  void open() {
    node = LocalEngine.open(new StorageConfig(null, clock));
    session = node.engine().openSession();
  }

  @AfterEach
  void close() {
    session.close();
    node.close();
  }

  @Test
  void addColumnKeepsIndexesAndConstraints() {
    execute("CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(20) UNIQUE, age INT CHECK (age >= 0))");
    execute("CREATE INDEX users_by_age ON users (age)");
    execute("INSERT INTO users VALUES (1, 'a@x', 30), (2, 'b@x', 40)");

    execute("ALTER TABLE users ADD COLUMN tier VARCHAR(5) NOT NULL DEFAULT 'free'");

    assertTrue(explain("SELECT id FROM users WHERE age = 30").contains("index scan users_by_age"));
    assertEquals(List.of("1|a@x|30|free"), rows("SELECT * FROM users WHERE age = 30"));
    assertEquals(List.of("2|free"), rows("SELECT id, tier FROM users WHERE email = 'b@x'"));
    assertState("23505", "INSERT INTO users VALUES (3, 'a@x', 1, 'pro')");
    assertState("23514", "UPDATE users SET age = -1 WHERE id = 1");
    execute("INSERT INTO users VALUES (3, 'c@x', 30, 'pro')");
    assertEquals(List.of("1|free", "3|pro"), rows("SELECT id, tier FROM users WHERE age = 30 ORDER BY id"));
    assertEquals(List.of("users_by_age|age", "users_email_key|email"),
        rows("SELECT index_name, column_name FROM information_schema.indexes WHERE table_name = 'users' "
            + "ORDER BY index_name"));
  }

  @Test
  void dropColumnDropsItsIndexesAndRefusesConstraintColumns() {
    execute("CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(10) UNIQUE, color VARCHAR(10), size INT)");
    execute("CREATE INDEX items_color_size ON items (color, size)");
    execute("CREATE INDEX items_size ON items (size)");
    execute("INSERT INTO items VALUES (1, 's1', 'red', 1), (2, 's2', 'blue', 2)");

    assertState("2BP01", "ALTER TABLE items DROP COLUMN sku");
    execute("ALTER TABLE items DROP COLUMN color");

    assertEquals(List.of("items_size|size", "items_sku_key|sku"),
        rows("SELECT index_name, column_name FROM information_schema.indexes WHERE table_name = 'items' "
            + "ORDER BY index_name"));
    // The dropped index's name is free again and the remaining index still finds rows.
    execute("CREATE INDEX items_color_size ON items (size, sku)");
    assertTrue(explain("SELECT id FROM items WHERE size = 2").contains("index scan items_"));
    assertEquals(List.of("2|s2|2"), rows("SELECT * FROM items WHERE size = 2"));
    execute("UPDATE items SET size = 5 WHERE id = 2");
    assertEquals(List.of(), rows("SELECT id FROM items WHERE size = 2"));
    assertEquals(List.of("2"), rows("SELECT id FROM items WHERE size = 5"));
  }

  @Test
  void renameColumnAndTableKeepIndexesAndForeignKeys() {
    execute("CREATE TABLE parent (id INT PRIMARY KEY, code VARCHAR(5) UNIQUE)");
    execute("CREATE TABLE child (id INT PRIMARY KEY, parent_id INT REFERENCES parent (id), label VARCHAR(5))");
    execute("CREATE INDEX child_label ON child (label)");
    execute("INSERT INTO parent VALUES (1, 'p1'), (2, 'p2')");
    execute("INSERT INTO child VALUES (10, 1, 'x'), (11, 2, 'y')");

    execute("ALTER TABLE child RENAME COLUMN label TO tag");
    execute("ALTER TABLE parent RENAME COLUMN code TO tag_code");
    execute("ALTER TABLE parent RENAME TO owner");

    assertTrue(explain("SELECT id FROM child WHERE tag = 'y'").contains("index scan child_label"));
    assertEquals(List.of("11"), rows("SELECT id FROM child WHERE tag = 'y'"));
    assertEquals(List.of("child_label|tag"),
        rows("SELECT index_name, column_name FROM information_schema.indexes WHERE table_name = 'child' "
            + "AND index_origin = 'INDEX'"));
    assertState("23505", "INSERT INTO owner VALUES (3, 'p1')");
    assertState("23503", "INSERT INTO child VALUES (12, 3, 'z')");
    assertState("23503", "DELETE FROM owner WHERE id = 1");
    execute("DELETE FROM child WHERE tag = 'x'");
    execute("DELETE FROM owner WHERE id = 1");
    assertEquals(List.of("2|p2"), rows("SELECT * FROM owner"));
  }

  @Test
  void fastPathsReadAndWriteTheRowFormatAfterAddAndDropColumn() {
    execute("CREATE TABLE acct (id INT PRIMARY KEY, legacy VARCHAR(5), owner VARCHAR(10) NOT NULL, balance INT)");
    execute("CREATE INDEX acct_owner ON acct (owner)");
    execute("INSERT INTO acct VALUES (1, 'l1', 'ann', 10), (2, 'l2', 'bob', 20)");
    execute("ALTER TABLE acct DROP COLUMN legacy");
    execute("ALTER TABLE acct ADD COLUMN currency VARCHAR(3) NOT NULL DEFAULT 'EUR'");

    assertInstanceOf(StatementPlan.PointQuery.class, plan("SELECT owner, currency FROM acct WHERE id = 1"));
    assertEquals(List.of("ann|EUR"), rows("SELECT owner, currency FROM acct WHERE id = 1"));
    assertEquals(List.of("1|ann|10|EUR"), rows("SELECT * FROM acct WHERE id = 1"));

    // A keyed update of a row written before both changes keeps the backfilled default and the index right.
    assertInstanceOf(StatementPlan.KeyedWrite.class, plan("UPDATE acct SET owner = 'cy' WHERE id = 1"));
    assertEquals(1L, updateCount("UPDATE acct SET owner = 'cy' WHERE id = 1"));
    assertEquals(List.of("1|cy|10|EUR"), rows("SELECT * FROM acct WHERE id = 1"));
    assertEquals(List.of("1|EUR"), rows("SELECT id, currency FROM acct WHERE owner = 'cy'"));
    assertEquals(List.of(), rows("SELECT id FROM acct WHERE owner = 'ann'"));

    assertInstanceOf(StatementPlan.DirectInsert.class, plan("INSERT INTO acct VALUES (3, 'dan', 30, 'USD')"));
    execute("INSERT INTO acct VALUES (3, 'dan', 30, 'USD')");
    assertEquals(List.of("3|dan|30|USD"), rows("SELECT * FROM acct WHERE id = 3"));
    assertEquals(List.of("3"), rows("SELECT id FROM acct WHERE owner = 'dan'"));
    assertState("23502", "INSERT INTO acct VALUES (4, 'eve', 1, NULL)");

    assertInstanceOf(StatementPlan.KeyedWrite.class, plan("DELETE FROM acct WHERE id = 2"));
    execute("DELETE FROM acct WHERE id = 2");
    assertEquals(List.of(), rows("SELECT id FROM acct WHERE owner = 'bob'"));
    // The general planner agrees with what the fast paths wrote.
    assertEquals(List.of("1|cy|10|EUR", "3|dan|30|USD"), rows("SELECT * FROM acct WHERE id > 0 ORDER BY id"));
  }

  @Test
  void preparedStatementsReplanAfterAlterAndViewChanges() {
    execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    execute("INSERT INTO t VALUES (1, 10)");
    execute("CREATE VIEW tv AS SELECT id, v FROM t");
    PreparedSql point = session.prepare("SELECT * FROM t WHERE id = 1");
    PreparedSql view = session.prepare("SELECT * FROM tv");
    assertEquals(List.of("1|10"), rows(point));
    assertEquals(List.of("1|10"), rows(view));

    execute("ALTER TABLE t ADD COLUMN w INT DEFAULT 7");
    execute("CREATE OR REPLACE VIEW tv AS SELECT id, v * 2 AS v2 FROM t");

    assertEquals(List.of("1|10|7"), rows(point));
    assertEquals(List.of("1|20"), rows(view));
    assertEquals(List.of("1|10|7"), rows("SELECT * FROM t WHERE id = 1"));
    assertEquals(List.of("1|20"), rows("SELECT * FROM tv"));
  }

  @Test
  void fastPathsIgnoreSystemTablesNamedLikeUserTables() {
    execute("CREATE TABLE tables (table_name VARCHAR(20) PRIMARY KEY, table_type VARCHAR(20))");
    execute("INSERT INTO tables VALUES ('tables', 'MINE')");
    assertInstanceOf(StatementPlan.Query.class,
        plan("SELECT table_type FROM information_schema.tables WHERE table_name = 'tables'"));
    assertEquals(List.of("BASE TABLE"), rows("SELECT table_type FROM information_schema.tables WHERE table_name = 'tables'"));
    assertEquals(List.of("MINE"), rows("SELECT table_type FROM tables WHERE table_name = 'tables'"));
  }

  @Test
  void timeTravelReadsThroughPrimaryKeysOnlyAndNeverTakesAFastPath() {
    execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(5))");
    execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    long before = tick();
    execute("UPDATE t SET v = 'z' WHERE id = 1");
    // The index is younger than the instant: it has no entry for the rows of then.
    execute("CREATE INDEX t_v ON t (v)");
    tick();

    String pointAsOf = "SELECT v FROM t FOR SYSTEM_TIME AS OF " + literal(before) + " WHERE id = 1";
    assertInstanceOf(StatementPlan.Query.class, plan(pointAsOf));
    assertEquals(List.of("a"), rows(pointAsOf));
    String byValue = "SELECT id FROM t FOR SYSTEM_TIME AS OF " + literal(before) + " WHERE v = 'a'";
    assertFalse(explain(byValue).contains("index scan"), explain(byValue));
    assertEquals(List.of("1"), rows(byValue));
    assertTrue(explain("SELECT id FROM t WHERE v = 'a'").contains("index scan t_v"));
    assertEquals(List.of(), rows("SELECT id FROM t WHERE v = 'a'"));
    assertEquals(List.of("1"), rows("SELECT t1.id FROM t FOR SYSTEM_TIME AS OF " + literal(before)
        + " AS t1 JOIN t FOR SYSTEM_TIME AS OF " + literal(before) + " AS t2 ON t1.v = t2.v WHERE t2.id = 1"));
    assertState("0A000", "DELETE FROM t WHERE id IN (SELECT id FROM t FOR SYSTEM_TIME AS OF " + literal(before) + ")");
  }

  @Test
  void mergeEnforcesConstraintsAndMaintainsIndexes() {
    execute("CREATE TABLE dept (id INT PRIMARY KEY)");
    execute("CREATE TABLE emp (id INT PRIMARY KEY, email VARCHAR(20) UNIQUE, dept INT REFERENCES dept (id), "
        + "salary INT CHECK (salary > 0))");
    execute("CREATE INDEX emp_salary ON emp (salary)");
    execute("CREATE TABLE src (id INT PRIMARY KEY, email VARCHAR(20), dept INT, salary INT)");
    execute("INSERT INTO dept VALUES (1), (2)");
    execute("INSERT INTO emp VALUES (1, 'a@x', 1, 100), (2, 'b@x', 2, 200)");

    String merge = "MERGE INTO emp e USING src s ON e.id = s.id "
        + "WHEN MATCHED THEN UPDATE SET email = s.email, dept = s.dept, salary = s.salary "
        + "WHEN NOT MATCHED THEN INSERT (id, email, dept, salary) VALUES (s.id, s.email, s.dept, s.salary)";
    execute("INSERT INTO src VALUES (3, 'a@x', 1, 50)");
    assertState("23505", merge);
    execute("DELETE FROM src");
    execute("INSERT INTO src VALUES (1, 'a@x', 9, 100)");
    assertState("23503", merge);
    execute("DELETE FROM src");
    execute("INSERT INTO src VALUES (2, 'b@x', 2, -5)");
    assertState("23514", merge);
    assertEquals(List.of("1|a@x|1|100", "2|b@x|2|200"), rows("SELECT * FROM emp ORDER BY id"));

    // An update giving up a unique value and an insert taking it, in one MERGE.
    execute("DELETE FROM src");
    execute("INSERT INTO src VALUES (1, 'new@x', 2, 150), (3, 'a@x', 1, 300)");
    assertEquals(2L, updateCount(merge));
    assertEquals(List.of("1|new@x|2|150", "2|b@x|2|200", "3|a@x|1|300"), rows("SELECT * FROM emp ORDER BY id"));
    assertTrue(explain("SELECT id FROM emp WHERE salary = 150").contains("index scan emp_salary"));
    assertEquals(List.of("1"), rows("SELECT id FROM emp WHERE salary = 150"));
    assertEquals(List.of(), rows("SELECT id FROM emp WHERE salary = 100"));
    assertEquals(List.of("3"), rows("SELECT id FROM emp WHERE email = 'a@x'"));
    assertState("23503", "DELETE FROM dept WHERE id = 2");
  }

  @Test
  void truncateRespectsForeignKeysAndEmptiesIndexes() {
    execute("CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(5) UNIQUE)");
    execute("CREATE TABLE c (id INT PRIMARY KEY, p_id INT REFERENCES p (id) ON DELETE CASCADE)");
    execute("CREATE TABLE r (id INT PRIMARY KEY, p_id INT REFERENCES p (id))");
    execute("INSERT INTO p VALUES (1, 'one'), (2, 'two')");
    execute("INSERT INTO c VALUES (10, 1), (11, 2)");
    execute("INSERT INTO r VALUES (20, 2)");

    assertState("23503", "TRUNCATE TABLE p");
    execute("TRUNCATE TABLE r");
    execute("TRUNCATE TABLE p");
    assertEquals(List.of(), rows("SELECT id FROM c"));
    execute("INSERT INTO p VALUES (3, 'one')");
    assertEquals(List.of("3"), rows("SELECT id FROM p WHERE name = 'one'"));
  }

  private long tick() {
    clock.advance(10);
    long instant = clock.millis();
    clock.advance(10);
    return instant;
  }

  private static String literal(long epochMillis) {
    return "TIMESTAMP '" + LITERAL.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC)) + "'";
  }

  private StatementPlan plan(String sql) {
    return session.prepare(sql).plan();
  }

  private String explain(String sql) {
    return String.join("\n", rows("EXPLAIN PLAN FOR " + sql));
  }

  private void execute(String sql) {
    ExecutionResult result = session.execute(sql);
    if (result instanceof ExecutionResult.Rows rows) {
      rows.cursor().close();
    }
  }

  private long updateCount(String sql) {
    return ((ExecutionResult.UpdateCount) session.execute(sql)).count();
  }

  private List<String> rows(String sql) {
    return rows(session.execute(sql));
  }

  private List<String> rows(PreparedSql prepared) {
    return rows(session.execute(prepared, List.of(), new AtomicBoolean()));
  }

  private static List<String> rows(ExecutionResult result) {
    List<String> rows = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) result).cursor()) {
      for (Object[] row : cursor.fetch(1000)) {
        rows.add(String.join("|", Arrays.stream(row).map(String::valueOf).toList()));
      }
    }
    return rows;
  }

  private void assertState(String sqlState, String sql) {
    ShaleException error = assertThrows(ShaleException.class, () -> execute(sql), sql);
    assertEquals(sqlState, error.sqlState().code(), error.getMessage());
  }
}
