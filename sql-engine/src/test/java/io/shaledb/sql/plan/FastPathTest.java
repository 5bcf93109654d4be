package io.shaledb.sql.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.common.ShaleException;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single-row statements by primary key take the fast path and agree with the general planner. */
class FastPathTest {
  private LocalEngine node;
  private Session session;

  @BeforeEach
  void open() {
    node = LocalEngine.open(StorageConfig.inMemory());
    session = node.engine().openSession();
    session.execute("CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(10) NOT NULL, balance DECIMAL(10,2), "
        + "opened DATE, note VARCHAR(20) DEFAULT 'none')");
    session.execute("CREATE TABLE pair (a INT, b VARCHAR(5), v BIGINT, PRIMARY KEY (a, b))");
  }

  @AfterEach
  void close() {
    session.close();
    node.close();
  }

  @Test
  void pointStatementsTakeTheFastPath() {
    assertInstanceOf(StatementPlan.DirectInsert.class,
        plan("INSERT INTO acct (id, owner, balance, opened, note) VALUES (1, 'ann', 10.5, DATE '2026-01-02', 'x')"));
    assertInstanceOf(StatementPlan.PointQuery.class, plan("SELECT owner, balance FROM acct WHERE id = 1"));
    assertInstanceOf(StatementPlan.PointQuery.class, plan("SELECT * FROM pair WHERE b = ? AND a = ?"));
    assertInstanceOf(StatementPlan.KeyedWrite.class, plan("UPDATE acct SET balance = ?, owner = 'bo' WHERE id = -3"));
    assertInstanceOf(StatementPlan.KeyedWrite.class, plan("DELETE FROM acct WHERE id = ?"));
    // Outside the shapes: the general planner.
    assertInstanceOf(StatementPlan.Query.class, plan("SELECT owner FROM acct WHERE id = 1 OR id = 2"));
    assertInstanceOf(StatementPlan.Query.class, plan("SELECT * FROM pair WHERE a = 1"));
    assertInstanceOf(StatementPlan.Modify.class, plan("UPDATE acct SET balance = balance + 1 WHERE id = 1"));
    assertInstanceOf(StatementPlan.Modify.class, plan("INSERT INTO acct (id, owner) VALUES (1, 'x')"),
        "an omitted column with a DEFAULT needs the general planner");
    assertInstanceOf(StatementPlan.Modify.class, plan("INSERT INTO acct (id, owner, note) VALUES (2.5, 'x', 'n')"),
        "a constant that is not exactly an INT");
  }

  @Test
  void fastAndGeneralPathsAgree() {
    execute("INSERT INTO acct (id, owner, balance, opened, note) VALUES (1, 'ann', 10.5, DATE '2026-01-02', 'x'), "
        + "(2, 'bob', NULL, NULL, NULL)", List.of());
    execute("INSERT INTO acct (id, owner, balance, opened, note) VALUES (?, ?, ?, ?, ?)",
        List.of(3, "cy", new BigDecimal("7"), 20_000, "p"));
    assertEquals(rows("SELECT owner, balance, opened FROM acct WHERE id = 1 OR id < 0"),
        rows("SELECT owner, balance, opened FROM acct WHERE id = 1"));
    assertEquals(List.of(List.of("cy", new BigDecimal("7.00"))), rows("SELECT owner, balance FROM acct WHERE id = 3"));
    assertEquals(List.of(), rows("SELECT owner FROM acct WHERE id = 99"));

    assertEquals(1L, execute("UPDATE acct SET balance = ?, owner = 'bo' WHERE id = ?", List.of(new BigDecimal("1.255"), 2)));
    assertEquals(List.of(List.of("bo", new BigDecimal("1.26"))), rows("SELECT owner, balance FROM acct WHERE id = 2"));
    assertEquals(0L, execute("UPDATE acct SET owner = 'zz' WHERE id = 42", List.of()));
    assertEquals(1L, execute("UPDATE acct SET id = 20 WHERE id = 2", List.of()));
    assertEquals(List.of(List.of(1), List.of(3), List.of(20)), rows("SELECT id FROM acct ORDER BY id"));

    assertEquals(1L, execute("DELETE FROM acct WHERE id = ?", List.of(20)));
    assertEquals(0L, execute("DELETE FROM acct WHERE id = ?", List.of(20)));

    execute("INSERT INTO pair VALUES (1, 'a', 10), (1, 'b', 11)", List.of());
    assertEquals(List.of(List.of(1, "b", 11L)), rows("SELECT * FROM pair WHERE b = 'b' AND a = 1"));
  }

  @Test
  void fastPathsKeepTheWritersChecks() {
    execute("INSERT INTO acct (id, owner, note) VALUES (1, 'ann', 'n')", List.of());
    assertState("23505", "INSERT INTO acct (id, owner, note) VALUES (1, 'again', 'n')");
    assertState("23502", "UPDATE acct SET owner = NULL WHERE id = 1");
    assertState("22001", "UPDATE acct SET owner = 'much too long' WHERE id = 1");
    assertState("22003", "UPDATE acct SET balance = 123456789012 WHERE id = 1");
    assertEquals(List.of(List.of("ann")), rows("SELECT owner FROM acct WHERE id = 1"));
  }

  /** A cancel (or query timeout) that came while the statement was planned stops a fast path before it reads or writes. */
  @Test
  void cancelledFastPathsDoNothing() {
    execute("INSERT INTO acct (id, owner, note) VALUES (1, 'ann', 'n')", List.of());
    AtomicBoolean cancelled = new AtomicBoolean(true);
    for (String sql : List.of("INSERT INTO acct (id, owner, balance, opened, note) VALUES (2, 'bo', 1, NULL, 'n')",
        "UPDATE acct SET owner = 'cy' WHERE id = 1", "DELETE FROM acct WHERE id = 1",
        "SELECT owner FROM acct WHERE id = 1")) {
      PreparedSql prepared = session.prepare(sql);
      assertInstanceOf(StatementPlan.class, prepared.plan());
      ShaleException error = assertThrows(ShaleException.class, () -> session.execute(prepared, List.of(), cancelled),
          sql);
      assertEquals("57014", error.sqlState().code(), sql);
    }
    assertEquals(List.of(List.of(1, "ann")), rows("SELECT id, owner FROM acct ORDER BY id"));
  }

  private StatementPlan plan(String sql) {
    return session.prepare(sql).plan();
  }

  private long execute(String sql, List<Object> parameters) {
    PreparedSql prepared = session.prepare(sql);
    return ((ExecutionResult.UpdateCount) session.execute(prepared, parameters, new AtomicBoolean())).count();
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

  private void assertState(String sqlState, String sql) {
    ShaleException error = assertThrows(ShaleException.class, () -> session.execute(sql), sql);
    assertEquals(sqlState, error.sqlState().code(), error.getMessage());
  }
}
