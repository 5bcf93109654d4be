package io.shaledb.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.ForwardingKvStore;
import io.shaledb.kv.ForwardingTransaction;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.backup.BackupWriter;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.ShaleEngine;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.Sleeper;
import io.shaledb.txn.TxnConfig;
import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup holds the GC floor at its snapshot: with no retention at all, rows updated and
 * garbage-collected while the backup is half-way still come out of it as they were at its snapshot.
 */
class BackupGcFloorTest {
  private static final LocalKvStoreConfig NO_RETENTION =
      new LocalKvStoreConfig(new TxnConfig(2_000, 1_000, 1, 16), 1_000).withVersionRetention(Duration.ZERO);

  private static final int ROWS = 5_000;

  @TempDir Path dir;

  @Test
  void versionsTheBackupReadsSurviveCollectionDuringIt() {
    Clock clock = Clock.systemUTC();
    try (NodeStorage storage = NodeStorage.open(new StorageConfig(null, clock))) {
      LocalKvStore store = new LocalKvStore(storage, NO_RETENTION, clock, new Random(1), Sleeper.system());
      ShaleEngine engine = ShaleEngine.open(store, new SqlEngineConfig(clock, 4));
      Session session = engine.openSession();
      execute(session, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
      // Enough rows that a scan cannot have fetched them all before the collection.
      StringBuilder insert = new StringBuilder("INSERT INTO t VALUES (1, 'old')");
      for (int i = 2; i <= ROWS; i++) {
        insert.append(", (").append(i).append(", 'old')");
      }
      execute(session, insert.toString());
      int tableId = engine.catalog().table("t").orElseThrow().tableId();

      // Half-way through reading table t (after its first row), every row changes and GC runs.
      List<Long> removed = new ArrayList<>();
      AtomicBoolean fired = new AtomicBoolean();
      KvStore pausing = new PausingStore(store, tableId, () -> {
        if (fired.compareAndSet(false, true)) {
          execute(session, "UPDATE t SET v = 'new'");
          removed.add(store.collectGarbage().storage().versionsRemoved());
        }
      });
      new BackupWriter(pausing, clock, 1).backup(new BackupWriter.Request(dir.resolve("b"), null, null, false));
      assertTrue(fired.get());
      // Once the backup ended, the same collection removes the old versions: the backup was what kept them.
      long afterwards = store.collectGarbage().storage().versionsRemoved();
      assertTrue(afterwards >= ROWS, "versions removed after the backup: " + afterwards + " (while it ran: "
          + removed.get(0) + ")");

      try (EmbeddedNode target = EmbeddedNode.open(new StorageConfig(null, clock))) {
        Session restored = target.engine().openSession();
        execute(restored, "RESTORE DATABASE FROM '" + dir.resolve("b") + "'");
        assertEquals(List.of(ROWS + "|" + ROWS), rows(restored, "SELECT COUNT(*), COUNT(CASE WHEN v = 'old' THEN 1 END) FROM t"));
      }
      store.close();
    }
  }

  private static void execute(Session s, String sql) {
    ExecutionResult result = s.execute(sql);
    if (result instanceof ExecutionResult.Rows rows) {
      rows.cursor().close();
    }
  }

  private static List<String> rows(Session s, String sql) {
    List<String> rows = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) s.execute(sql)).cursor()) {
      for (Object[] row : cursor.fetch(1000)) {
        rows.add(String.join("|", Arrays.stream(row).map(String::valueOf).toList()));
      }
    }
    return rows;
  }

  /** A store whose scans of one keyspace run {@code hook} after their first entry. */
  private static final class PausingStore extends ForwardingKvStore {
    private final int keyspaceId;
    private final Runnable hook;

    PausingStore(KvStore store, int keyspaceId, Runnable hook) {
      super(store);
      this.keyspaceId = keyspaceId;
      this.hook = hook;
    }

    @Override
    public Transaction begin() {
      return new PausingTransaction(delegate.begin());
    }

    @Override
    public Transaction beginReadOnlyAt(long readTimestamp) {
      return new PausingTransaction(delegate.beginReadOnlyAt(readTimestamp));
    }

    private final class PausingTransaction extends ForwardingTransaction {
      PausingTransaction(Transaction txn) {
        super(txn);
      }

      @Override
      public KvCursor scan(ScanSpec spec) {
        KvCursor cursor = delegate.scan(spec);
        if (spec.keyspaceId() != keyspaceId) {
          return cursor;
        }
        return new KvCursor() {
          private int returned;

          @Override
          public boolean hasNext() {
            if (returned == 1) {
              hook.run();
            }
            return cursor.hasNext();
          }

          @Override
          public KvEntry next() {
            returned++;
            return cursor.next();
          }

          @Override
          public void close() {
            cursor.close();
          }
        };
      }
    }
  }
}
