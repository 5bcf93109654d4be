package io.shaledb.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ForwardingKvStore;
import io.shaledb.kv.ForwardingTransaction;
import io.shaledb.kv.KeyRouting;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.ShaleEngine;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How RESTORE writes through the KV interface: in transactions of thousands of keys that each touch one shard
 * (so they commit in one phase), and, when a write fails half-way, with no table of the restore visible.
 */
class RestoreBatchingTest {
  private static final int ROWS = 12_000;
  private static final int SHARDS = 4;

  @TempDir Path dir;

  /** One committed transaction: the keyspaces and the shards (per the keyspace's shard count) its keys are in. */
  private record Commit(Set<Integer> keyspaces, Set<Integer> shards, int keys) {}

  @Test
  void restoredRowsCommitInLargeSingleShardTransactions() {
    Path backup = backUpSource();
    try (NodeStorage storage = NodeStorage.open(new StorageConfig(null, Clock.systemUTC()));
        LocalKvStore kv = new LocalKvStore(storage, LocalKvStoreConfig.defaults(), Clock.systemUTC())) {
      RecordingStore recording = new RecordingStore(kv, -1);
      ShaleEngine target = ShaleEngine.open(recording, new SqlEngineConfig(Clock.systemUTC(), SHARDS));
      Session s = target.openSession();
      execute(s, "RESTORE DATABASE FROM '" + backup + "'");
      assertEquals(List.of(ROWS + "|" + ROWS), rows(s, "SELECT COUNT(*), COUNT(DISTINCT v) FROM t"));

      TableDef table = target.catalog().table("t").orElseThrow();
      Set<Integer> restored = new HashSet<>();
      restored.add(table.tableId());
      table.indexes().forEach(index -> restored.add(index.indexId()));
      List<Commit> dataCommits = recording.commits.stream()
          .filter(commit -> commit.keyspaces().stream().anyMatch(restored::contains)).toList();
      int keys = 0;
      for (Commit commit : dataCommits) {
        assertEquals(1, commit.keyspaces().size(), "a restore transaction spans keyspaces: " + commit);
        assertEquals(1, commit.shards().size(), "a restore transaction spans shards: " + commit);
        keys += commit.keys();
      }
      assertEquals(2 * ROWS, keys, "rows and index entries written");
      // Two keyspaces of four shards each, every shard's share in one transaction.
      assertEquals(2 * SHARDS, dataCommits.size(), "transactions: " + dataCommits);
    }
  }

  @Test
  void aWriteThatFailsHalfWayLeavesNoTableAndTheRestoreCanRunAgain() {
    Path backup = backUpSource();
    try (NodeStorage storage = NodeStorage.open(new StorageConfig(null, Clock.systemUTC()));
        LocalKvStore kv = new LocalKvStore(storage, LocalKvStoreConfig.defaults(), Clock.systemUTC())) {
      // Fails the third commit of a restored keyspace while the other keyspace is being written beside it.
      RecordingStore failing = new RecordingStore(kv, 3);
      ShaleEngine target = ShaleEngine.open(failing, new SqlEngineConfig(Clock.systemUTC(), SHARDS));
      Session s = target.openSession();
      ShaleException e = assertThrows(ShaleException.class,
          () -> execute(s, "RESTORE DATABASE FROM '" + backup + "'"));
      assertEquals(SqlState.IO_ERROR, e.sqlState(), e.getMessage());
      assertTrue(target.catalog().tables().isEmpty(), "tables after a failed restore: " + target.catalog().tables());

      ShaleEngine retry = ShaleEngine.open(kv, new SqlEngineConfig(Clock.systemUTC(), SHARDS));
      Session again = retry.openSession();
      execute(again, "RESTORE DATABASE FROM '" + backup + "'");
      assertEquals(List.of(ROWS + "|" + ROWS), rows(again, "SELECT COUNT(*), COUNT(DISTINCT v) FROM t"));
      assertEquals(List.of("7|v7"), rows(again, "SELECT id, v FROM t WHERE v = 'v7'"));
    }
  }

  private Path backUpSource() {
    Path backup = dir.resolve("b" + System.nanoTime());
    try (EmbeddedNode source = EmbeddedNode.open(new StorageConfig(null, Clock.systemUTC()))) {
      Session s = source.engine().openSession();
      execute(s, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)) SHARDS " + SHARDS);
      execute(s, "CREATE INDEX t_v ON t (v)");
      for (int from = 1; from <= ROWS; from += 3_000) {
        StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = from; i < from + 3_000; i++) {
          insert.append(i == from ? "" : ", ").append("(").append(i).append(", 'v").append(i).append("')");
        }
        execute(s, insert.toString());
      }
      execute(s, "BACKUP DATABASE TO '" + backup + "'");
    }
    return backup;
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
      for (Object[] row : cursor.fetch(100_000)) {
        rows.add(String.join("|", Arrays.stream(row).map(String::valueOf).toList()));
      }
    }
    return rows;
  }

  /**
   * A store that records every commit with writes outside the catalog, and with {@code failCommit > 0} fails
   * that commit (counted per keyspace, table keyspaces only) with an I/O error instead of making it.
   */
  private static final class RecordingStore extends ForwardingKvStore {
    private final int failCommit;
    private final List<Commit> commits = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicInteger> commitsPerKeyspace = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> shardCounts = new ConcurrentHashMap<>();

    RecordingStore(KvStore store, int failCommit) {
      super(store);
      this.failCommit = failCommit;
    }

    @Override
    public Transaction begin() {
      return new RecordingTransaction(delegate.begin(), this);
    }

    @Override
    public void createKeyspace(int id, int shardCount) {
      shardCounts.put(id, shardCount);
      delegate.createKeyspace(id, shardCount);
    }

    void committing(List<byte[]> keys) {
      Set<Integer> keyspaces = new HashSet<>();
      Set<Integer> shards = new HashSet<>();
      for (byte[] key : keys) {
        int keyspace = Keyspaces.keyspaceOf(key);
        keyspaces.add(keyspace);
        shards.add(keyspace * 1_000 + KeyRouting.shardIndex(key, shardCounts.getOrDefault(keyspace, 1)));
      }
      if (keyspaces.contains(Keyspaces.CATALOG) || keys.isEmpty()) {
        return;
      }
      commits.add(new Commit(keyspaces, shards, keys.size()));
      int keyspace = keyspaces.iterator().next();
      if (failCommit > 0
          && commitsPerKeyspace.computeIfAbsent(keyspace, k -> new AtomicInteger()).incrementAndGet() == failCommit) {
        throw new ShaleException(SqlState.IO_ERROR, "injected failure committing to keyspace " + keyspace);
      }
    }
  }

  private static final class RecordingTransaction extends ForwardingTransaction {
    private final RecordingStore store;
    private final List<byte[]> keys = new ArrayList<>();

    RecordingTransaction(Transaction txn, RecordingStore store) {
      super(txn);
      this.store = store;
    }

    @Override
    public void put(byte[] key, byte[] value) {
      keys.add(key);
      delegate.put(key, value);
    }

    @Override
    public void delete(byte[] key) {
      keys.add(key);
      delegate.delete(key);
    }

    @Override
    public void commit() {
      store.committing(keys);
      delegate.commit();
    }
  }
}
