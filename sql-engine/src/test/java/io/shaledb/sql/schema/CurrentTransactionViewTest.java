package io.shaledb.sql.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.tso.ManualClock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code information_schema.current_transaction}: the start timestamp of the statement's transaction. */
class CurrentTransactionViewTest {
  private static final String START = "SELECT start_timestamp FROM information_schema.current_transaction";

  private LocalEngine node;
  private Session session;

  @BeforeEach
  void open() {
    node = LocalEngine.open(new StorageConfig(null, new ManualClock(1_000_000)));
    session = node.engine().openSession();
    session.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
  }

  @AfterEach
  void close() {
    session.close();
    node.close();
  }

  @Test
  void isTheSameThroughOneTransactionAndGrowsWithTheNext() {
    session.setAutoCommit(false);
    long first = startTimestamp();
    session.execute("INSERT INTO t VALUES (1, 1)");
    assertEquals(first, startTimestamp(), "within one transaction");
    session.commit();
    long second = startTimestamp();
    session.commit();
    assertTrue(second > first, second + " after " + first);

    session.setAutoCommit(true);
    long autoCommitted = startTimestamp();
    assertTrue(autoCommitted > second, autoCommitted + " after " + second);
    assertTrue(startTimestamp() > autoCommitted, "each auto-commit statement is a new transaction");
  }

  private long startTimestamp() {
    try (var cursor = ((ExecutionResult.Rows) session.execute(START)).cursor()) {
      List<Object[]> rows = cursor.fetch(10);
      assertEquals(1, rows.size());
      return ((Number) rows.get(0)[0]).longValue();
    }
  }
}
