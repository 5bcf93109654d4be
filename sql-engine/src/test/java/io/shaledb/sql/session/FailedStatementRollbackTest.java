package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.common.ShaleException;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.ForwardingKvStore;
import io.shaledb.kv.ForwardingTransaction;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A statement that fails with an {@link Error} halfway through handing its writes to an explicit
 * transaction leaves none of them to be committed.
 */
class FailedStatementRollbackTest {
  /** Puts left before the next one throws; negative: never. */
  private final AtomicInteger putsBeforeFailure = new AtomicInteger(-1);
  private NodeStorage storage;
  private LocalKvStore store;
  private ShaleEngine engine;

  @BeforeEach
  void open() {
    storage = NodeStorage.open(StorageConfig.inMemory());
    store = new LocalKvStore(storage, LocalKvStoreConfig.defaults(), Clock.systemUTC());
    engine = ShaleEngine.open(new FailingPuts(store), SqlEngineConfig.defaults());
  }

  @AfterEach
  void close() {
    engine.close();
    store.close();
    storage.close();
  }

  @Test
  void anErrorWhileWritingRollsBackTheTransactionAndNothingOfItIsCommitted() {
    try (Session session = engine.openSession()) {
      session.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      session.execute("BEGIN");
      session.execute("INSERT INTO t VALUES (1)");
      putsBeforeFailure.set(1);
      // The second of the statement's two puts fails: the first already reached the transaction.
      ShaleException failure = assertThrows(ShaleException.class, () -> session.execute("INSERT INTO t VALUES (2), (3)"));
      assertEquals("XX000", failure.sqlState().code(), failure.getMessage());
      ShaleException next = assertThrows(ShaleException.class, () -> session.execute("INSERT INTO t VALUES (4)"));
      assertEquals("25P02", next.sqlState().code(), next.getMessage());
      ShaleException commit = assertThrows(ShaleException.class, session::commit);
      assertEquals("25P02", commit.sqlState().code(), commit.getMessage());
      assertEquals(0L, count(session), "no write of the aborted transaction may be committed");
      // The session is usable again once the transaction ended.
      session.execute("INSERT INTO t VALUES (5)");
      assertEquals(1L, count(session));
    }
  }

  private static long count(Session session) {
    ExecutionResult.Rows rows = (ExecutionResult.Rows) session.execute("SELECT COUNT(*) FROM t");
    List<Object[]> batch = rows.cursor().fetch(10);
    return ((Number) batch.get(0)[0]).longValue();
  }

  /** The store, with transactions whose puts fail with an AssertionError when the test says so. */
  private final class FailingPuts extends ForwardingKvStore {
    FailingPuts(KvStore store) {
      super(store);
    }

    @Override
    public Transaction begin() {
      return new ForwardingTransaction(delegate.begin()) {
        @Override
        public void put(byte[] key, byte[] value) {
          if (putsBeforeFailure.getAndDecrement() == 0) {
            throw new AssertionError("injected failure");
          }
          delegate.put(key, value);
        }
      };
    }
  }
}
