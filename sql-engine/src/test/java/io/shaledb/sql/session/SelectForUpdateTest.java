package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.tso.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SELECT ... FOR UPDATE: the rows returned are locked in the transaction and conflict as writes do
 * (first committer wins, the other gets 40001), which is what keeps a job queue from handing a job
 * to two workers. Two sessions of one engine stand for two clients.
 */
class SelectForUpdateTest {
  private final ManualClock clock = new ManualClock(1_000_000);
  private LocalEngine node;
  private Session first;
  private Session second;

  @BeforeEach
  void open() {
    node = LocalEngine.open(new StorageConfig(null, clock));
    first = node.engine().openSession();
    second = node.engine().openSession();
    first.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT)");
    first.execute("INSERT INTO account VALUES (1, 100), (2, 50)");
  }

  @AfterEach
  void close() {
    first.close();
    second.close();
    node.close();
  }

  @Test
  void aLockedRowConflictsWithAConcurrentUpdate() {
    first.execute("BEGIN");
    assertEquals(List.of("100"), rows(first, "SELECT balance FROM account WHERE id = 1 FOR UPDATE"));
    second.execute("UPDATE account SET balance = 0 WHERE id = 1");
    ShaleException conflict = assertThrows(ShaleException.class, first::commit);
    assertEquals(SqlState.SERIALIZATION_FAILURE, conflict.sqlState(), conflict.getMessage());
    assertEquals(List.of("0"), rows(second, "SELECT balance FROM account WHERE id = 1"));
  }

  @Test
  void twoTransactionsLockingTheSameRowCannotBothCommit() {
    first.execute("BEGIN");
    second.execute("BEGIN");
    assertEquals(List.of("1|100"), rows(first, "SELECT * FROM account WHERE id = 1 FOR UPDATE"));
    assertEquals(List.of("1|100"), rows(second, "SELECT * FROM account WHERE id = 1 FOR SHARE"));
    first.commit();
    ShaleException conflict = assertThrows(ShaleException.class, second::commit);
    assertEquals(SqlState.SERIALIZATION_FAILURE, conflict.sqlState());
  }

  @Test
  void withoutForUpdateWriteSkewGoesThroughAndWithItOneFails() {
    // The classic write skew: each reads the other's row and writes its own. Snapshot isolation lets both
    // commit; locking the rows read makes one of them fail.
    first.execute("BEGIN");
    second.execute("BEGIN");
    rows(first, "SELECT balance FROM account WHERE id = 2");
    rows(second, "SELECT balance FROM account WHERE id = 1");
    first.execute("UPDATE account SET balance = balance - 1 WHERE id = 1");
    second.execute("UPDATE account SET balance = balance - 1 WHERE id = 2");
    first.commit();
    second.commit();

    first.execute("BEGIN");
    second.execute("BEGIN");
    rows(first, "SELECT balance FROM account WHERE id = 2 FOR UPDATE");
    rows(second, "SELECT balance FROM account WHERE id = 1 FOR UPDATE");
    first.execute("UPDATE account SET balance = balance - 1 WHERE id = 1");
    second.execute("UPDATE account SET balance = balance - 1 WHERE id = 2");
    first.commit();
    assertEquals(SqlState.SERIALIZATION_FAILURE, assertThrows(ShaleException.class, second::commit).sqlState());
    assertEquals(List.of("1|98", "2|49"), rows(first, "SELECT * FROM account ORDER BY id"));
  }

  @Test
  void unlockedRowsAndReadOnlyQueriesDoNotConflict() {
    first.execute("BEGIN");
    rows(first, "SELECT * FROM account WHERE id = 1 FOR UPDATE");
    second.execute("UPDATE account SET balance = 7 WHERE id = 2");
    rows(second, "SELECT * FROM account WHERE id = 1");
    first.commit();
    // In auto-commit mode the lock would end with the statement: none is taken, nothing conflicts.
    rows(second, "SELECT * FROM account FOR UPDATE");
    assertEquals(List.of("1|100", "2|7"), rows(second, "SELECT * FROM account ORDER BY id FOR UPDATE"));
  }

  @Test
  void aJobQueueHandsEveryJobToExactlyOneWorker() throws Exception {
    int jobs = 30;
    first.execute("CREATE TABLE job (id INT PRIMARY KEY, state VARCHAR(10) NOT NULL, worker INT)");
    for (int id = 1; id <= jobs; id++) {
      first.execute("INSERT INTO job VALUES (" + id + ", 'new', NULL)");
    }
    int workers = 3;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<List<Integer>>> claims = new ArrayList<>();
      for (int worker = 1; worker <= workers; worker++) {
        int me = worker;
        Callable<List<Integer>> work = () -> claimUntilEmpty(me);
        claims.add(pool.submit(work));
      }
      Map<Integer, Integer> claimedBy = new HashMap<>();
      for (int worker = 1; worker <= workers; worker++) {
        for (int id : claims.get(worker - 1).get()) {
          Integer earlier = claimedBy.put(id, worker);
          assertEquals(null, earlier, "job " + id + " claimed twice");
        }
      }
      assertEquals(jobs, claimedBy.size());
      assertEquals(List.of(String.valueOf(jobs)), rows(first, "SELECT COUNT(*) FROM job WHERE state = 'done'"));
      for (Map.Entry<Integer, Integer> claim : claimedBy.entrySet()) {
        assertEquals(List.of(String.valueOf(claim.getValue())),
            rows(first, "SELECT worker FROM job WHERE id = " + claim.getKey()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One worker: claims the oldest new job with FOR UPDATE, retries the transaction on 40001. */
  private List<Integer> claimUntilEmpty(int worker) {
    List<Integer> claimed = new ArrayList<>();
    try (Session session = node.engine().openSession()) {
      for (int attempt = 0; attempt < 10_000; attempt++) {
        session.execute("BEGIN");
        List<String> next = rows(session, "SELECT id FROM job WHERE state = 'new' ORDER BY id LIMIT 1 FOR UPDATE");
        if (next.isEmpty()) {
          session.rollback();
          return claimed;
        }
        int id = Integer.parseInt(next.get(0));
        session.execute("UPDATE job SET state = 'done', worker = " + worker + " WHERE id = " + id);
        try {
          session.commit();
          claimed.add(id);
        } catch (ShaleException e) {
          assertEquals(SqlState.SERIALIZATION_FAILURE, e.sqlState(), e.getMessage());
        }
      }
    }
    throw new AssertionError("worker " + worker + " did not finish");
  }

  @Test
  void skipLockedAndUnsupportedShapesAreRefusedClearly() {
    first.execute("BEGIN");
    for (String sql : List.of("SELECT * FROM account FOR UPDATE SKIP LOCKED",
        "SELECT COUNT(*) FROM account FOR UPDATE", "SELECT DISTINCT balance FROM account FOR UPDATE",
        "SELECT * FROM account a JOIN account b ON a.id = b.id FOR UPDATE")) {
      ShaleException error = assertThrows(ShaleException.class, () -> rows(first, sql), sql);
      assertEquals(SqlState.FEATURE_NOT_SUPPORTED, error.sqlState(), sql + ": " + error.getMessage());
    }
    assertTrue(first.inTransaction());
    first.commit();
  }

  private static List<String> rows(Session session, String sql) {
    List<String> rows = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) session.execute(sql)).cursor()) {
      while (!cursor.isDone()) {
        for (Object[] row : cursor.fetch(1000)) {
          rows.add(String.join("|", Arrays.stream(row).map(String::valueOf).toList()));
        }
      }
    }
    return rows;
  }
}
