package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.tso.ManualClock;
import java.sql.Timestamp;
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
 * {@code FOR SYSTEM_TIME AS OF}: reads see the table as it was at an instant, through every kind
 * of change, within the retention window and nowhere else. The node runs on a manual clock, so
 * instants are exact.
 */
class TimeTravelTest {
  private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final long START_MILLIS = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

  private final ManualClock clock = new ManualClock(START_MILLIS);
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
  void readsEachTableAsItWasThroughUpdatesDeletesAndTruncate() {
    execute("CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(10), balance INT)");
    execute("INSERT INTO accounts VALUES (1, 'ann', 100), (2, 'bob', 50)");
    long afterInsert = tick();
    execute("UPDATE accounts SET balance = balance - 30 WHERE id = 1");
    execute("INSERT INTO accounts VALUES (3, 'cid', 7)");
    long afterUpdate = tick();
    execute("DELETE FROM accounts WHERE id = 2");
    long afterDelete = tick();
    execute("TRUNCATE TABLE accounts");
    tick();

    assertEquals(List.of(), rows("SELECT id FROM accounts"));
    assertEquals(List.of("1|ann|100", "2|bob|50"), rows("SELECT * FROM accounts FOR SYSTEM_TIME AS OF " + literal(afterInsert) + " ORDER BY id"));
    assertEquals(List.of("1|70", "2|50", "3|7"), rows("SELECT id, balance FROM accounts FOR SYSTEM_TIME AS OF " + literal(afterUpdate) + " ORDER BY id"));
    assertEquals(List.of("1|70", "3|7"), rows("SELECT id, balance FROM accounts FOR SYSTEM_TIME AS OF " + literal(afterDelete) + " ORDER BY id"));
    // Point gets and aggregates read the past too.
    assertEquals(List.of("100"), rows("SELECT balance FROM accounts FOR SYSTEM_TIME AS OF " + literal(afterInsert) + " WHERE id = 1"));
    assertEquals(List.of("150"), rows("SELECT SUM(balance) FROM accounts FOR SYSTEM_TIME AS OF " + literal(afterInsert)));
    // Before the table had rows.
    assertEquals(List.of(), rows("SELECT * FROM accounts FOR SYSTEM_TIME AS OF " + literal(START_MILLIS - 1)));
  }

  @Test
  void instantMayBeAParameterOrAnExpression() {
    execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(5))");
    execute("INSERT INTO t VALUES (1, 'old')");
    long before = tick();
    clock.advance(60_000);
    execute("UPDATE t SET v = 'new'");
    tick();

    PreparedSql prepared = session.prepare("SELECT v FROM t FOR SYSTEM_TIME AS OF ? WHERE id = ?");
    assertEquals(List.of("old"), rows(prepared, List.of(new Timestamp(before), 1)));
    assertEquals(List.of("new"), rows(prepared, List.of(new Timestamp(clock.millis()), 1)));
    assertEquals(List.of("old"), rows("SELECT v FROM t FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP - INTERVAL '30' SECOND"));
    assertEquals(List.of("new"), rows("SELECT v FROM t FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP"));
  }

  @Test
  void joinsAndInsertSelectReadEveryTableAtTheSameInstant() {
    execute("CREATE TABLE a (id INT PRIMARY KEY, x INT)");
    execute("CREATE TABLE b (id INT PRIMARY KEY, y INT)");
    execute("INSERT INTO a VALUES (1, 10)");
    execute("INSERT INTO b VALUES (1, 20)");
    long then = tick();
    execute("UPDATE a SET x = 11");
    execute("DELETE FROM b");
    tick();
    String asOf = " FOR SYSTEM_TIME AS OF " + literal(then);
    assertEquals(List.of("10|20"), rows("SELECT a.x, b.y FROM a" + asOf + " JOIN b" + asOf + " ON a.id = b.id"));
    assertEquals(List.of("20"), rows("SELECT y FROM b" + asOf + " WHERE id IN (SELECT id FROM a" + asOf + ")"));

    // Restoring deleted rows: read the past, write the present.
    assertEquals(1, updateCount("INSERT INTO b SELECT * FROM b" + asOf));
    assertEquals(List.of("1|20"), rows("SELECT * FROM b"));

    assertError(SqlState.FEATURE_NOT_SUPPORTED, "SELECT a.x FROM a" + asOf + " JOIN b ON a.id = b.id");
    assertError(SqlState.FEATURE_NOT_SUPPORTED,
        "SELECT a.x FROM a" + asOf + " JOIN b FOR SYSTEM_TIME AS OF " + literal(then - 1) + " ON a.id = b.id");
    assertError(SqlState.FEATURE_NOT_SUPPORTED, "DELETE FROM a WHERE id IN (SELECT id FROM b" + asOf + ")");
  }

  @Test
  void oldRowsKeepTheirShapeAcrossSchemaChanges() {
    execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(5), b INT)");
    execute("INSERT INTO t VALUES (1, 'x', 2)");
    long then = tick();
    execute("ALTER TABLE t ADD COLUMN c INT DEFAULT 9");
    execute("ALTER TABLE t DROP COLUMN a");
    execute("UPDATE t SET b = 3");
    tick();
    // The current schema applied to the row as it was: the dropped column stays hidden, the added one reads its default.
    assertEquals(List.of("1|2|9"), rows("SELECT * FROM t FOR SYSTEM_TIME AS OF " + literal(then)));
    assertEquals(List.of("1|3|9"), rows("SELECT * FROM t"));
  }

  @Test
  void instantsOutsideTheRetentionWindowAreRefused() {
    execute("CREATE TABLE t (id INT PRIMARY KEY)");
    clock.advance(2 * 24 * 3_600_000L);
    long oldest = clock.millis() - 24 * 3_600_000L;
    assertEquals(List.of(), rows("SELECT * FROM t FOR SYSTEM_TIME AS OF " + literal(oldest)));
    ShaleException tooOld = assertError(SqlState.SNAPSHOT_TOO_OLD, "SELECT * FROM t FOR SYSTEM_TIME AS OF " + literal(oldest - 1));
    assertTrue(tooOld.getMessage().contains("retention window"), tooOld.getMessage());
    assertError(SqlState.INVALID_PARAMETER_VALUE, "SELECT * FROM t FOR SYSTEM_TIME AS OF " + literal(clock.millis() + 1000));
    assertError(SqlState.INVALID_PARAMETER_VALUE, "SELECT * FROM t FOR SYSTEM_TIME AS OF CAST(NULL AS TIMESTAMP)");
  }

  @Test
  void onlyTablesTravelInTime() {
    execute("CREATE TABLE t (id INT PRIMARY KEY)");
    execute("CREATE VIEW v AS SELECT * FROM t");
    assertError(SqlState.FEATURE_NOT_SUPPORTED, "SELECT * FROM v FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP");
    assertError(SqlState.SYNTAX_ERROR, "SELECT * FROM t FOR SYSTEM_TIME AS OF 5");
  }

  @Test
  void aTimeTravelQueryInsideATransactionLeavesTheTransactionAlone() {
    execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    execute("INSERT INTO t VALUES (1, 1)");
    long then = tick();
    execute("BEGIN");
    execute("UPDATE t SET v = 2");
    assertEquals(List.of("1"), rows("SELECT v FROM t FOR SYSTEM_TIME AS OF " + literal(then)));
    assertEquals(List.of("2"), rows("SELECT v FROM t"));
    execute("ROLLBACK");
    assertEquals(List.of("1"), rows("SELECT v FROM t"));
  }

  /** Moves the clock on and returns an instant strictly between what was committed and what follows. */
  private long tick() {
    clock.advance(10);
    long instant = clock.millis();
    clock.advance(10);
    return instant;
  }

  private static String literal(long epochMillis) {
    return "TIMESTAMP '" + LITERAL.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC)) + "'";
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

  private List<String> rows(PreparedSql prepared, List<Object> parameters) {
    return rows(session.execute(prepared, parameters, new AtomicBoolean()));
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

  private ShaleException assertError(SqlState state, String sql) {
    ShaleException error = assertThrows(ShaleException.class, () -> rows(sql), sql);
    assertEquals(state, error.sqlState(), error.getMessage());
    return error;
  }
}
