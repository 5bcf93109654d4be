package io.shaledb.sql.backup;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KeyRouting;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.SequenceAllocator;
import io.shaledb.sql.catalog.TableDef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Restores a backup chain (a full backup and the incremental backups that continue it) through
 * the transactional KV interface: a whole database into an empty one, or one table into a live
 * database under its own or a new name.
 *
 * <p>Every manifest and data file of the chain is checked first ({@link BackupChain#verify}); a
 * missing, truncated or altered file stops the restore before anything is written. Data is written
 * in large transactions of bounded size (tens of thousands of keys), {@value #KEYSPACES_IN_PARALLEL}
 * keyspaces at a time, catalog last: the restored tables appear only once all their rows
 * are in place (RESTORE DATABASE), or appear empty and fill up (RESTORE TABLE, which needs the table
 * to exist before rows can be written to its keyspace).
 */
public final class BackupRestorer {
  /**
   * Records buffered per keyspace being written, split evenly over its shards' transactions (at least 1,000
   * per shard). Each commit costs a sync and a commit timestamp, so restore speed comes from amortising it over
   * many keys.
   */
  static final int BATCH_RECORDS_MAX = 50_000;
  /**
   * Bytes of keys and values buffered per keyspace being written, split like {@link #BATCH_RECORDS_MAX}:
   * bounds the memory (times {@link #KEYSPACES_IN_PARALLEL}) and keeps one shard's commit request well under
   * the RPC frame limit (16 MB) on a cluster.
   */
  static final long BATCH_BYTES_MAX = 8L << 20;
  /** Keyspaces written at once, each by its own thread through its own transactions. */
  static final int KEYSPACES_IN_PARALLEL = 2;

  private final KvStore kv;
  private final Catalog catalog;

  public BackupRestorer(KvStore kv, Catalog catalog) {
    this.kv = kv;
    this.catalog = catalog;
  }

  /** What a restore wrote. */
  public record Result(long snapshotTimestamp, java.time.Instant snapshotTime, int backupsApplied, int tables, long records) {}

  /**
   * Restores the database saved in {@code directory} (and the backups it continues), as of {@code
   * asOfTimestamp} (the last backup of the chain at or before it) or of the last backup if null,
   * into this database, which must have no tables, views or sequences
   * (whose definitions and next values the catalog keyspace carries). Users and grants are restored if the
   * backup holds them; the caller reloads them.
   *
   * @throws ShaleException 55000 if this database has a table, a view or a sequence
   */
  public Result restoreDatabase(Path directory, Long asOfTimestamp) {
    BackupChain chain = chain(directory, asOfTimestamp);
    catalog.reloadIfChanged();
    if (!catalog.tables().isEmpty() || !catalog.views().isEmpty() || !catalog.sequences().isEmpty()) {
      throw new ShaleException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "RESTORE DATABASE needs an empty "
          + "database, and this one has " + catalog.tables().size() + " tables, " + catalog.views().size()
          + " views and " + catalog.sequences().size() + " sequences; RESTORE TABLE restores single tables into it");
    }
    Manifest last = chain.last().manifest();
    AtomicBoolean abandoned = new AtomicBoolean();
    List<Callable<Long>> keyspaces = new ArrayList<>();
    for (Manifest.KeyspaceFile keyspace : last.keyspaces()) {
      if (keyspace.role() == Manifest.Role.CATALOG) {
        continue;
      }
      keyspaces.add(() -> {
        // Left behind by an earlier restore that failed: this database defines no table, so it is no one's.
        kv.dropKeyspace(keyspace.keyspaceId());
        kv.createKeyspace(keyspace.keyspaceId(), keyspace.shardCount());
        return apply(chain, keyspace.keyspaceId(), keyspace.keyspaceId(), value -> value, abandoned);
      });
    }
    long records = inParallel(keyspaces, abandoned);
    List<KvEntry> catalogEntries = catalogAt(chain);
    catalog.restore(catalogEntries);
    return new Result(last.snapshotTimestamp(), last.snapshotTime(), chain.links().size(), Catalog.tablesIn(catalogEntries).size(), records);
  }

  /**
   * Restores table {@code tableName} of the backup in {@code directory} as {@code newName} (or its
   * own name if null) into this database: its rows, its indexes, its checks and its sequence.
   * Foreign keys are not restored (the tables they reference may differ or be missing), and neither
   * are grants.
   *
   * @throws ShaleException 42P01 if the backup has no such table, 42P07 if the name is taken here
   */
  public Result restoreTable(Path directory, String tableName, String newName, Long asOfTimestamp) {
    BackupChain chain = chain(directory, asOfTimestamp);
    List<KvEntry> catalogEntries = catalogAt(chain);
    Map<String, TableDef> tables = Catalog.tablesIn(catalogEntries);
    TableDef saved = tables.get(tableName);
    if (saved == null) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "backup " + directory + " has no table \"" + tableName
          + "\"; it has " + tables.keySet());
    }
    String restoredName = newName == null ? tableName : newName;
    // Index names are unique in a database: next to the original table, its indexes take the new table's name.
    List<IndexDef> readyIndexes = new ArrayList<>();
    Map<Integer, String> restoredIndexNames = new HashMap<>();
    for (IndexDef index : saved.indexes()) {
      if (index.ready()) {
        String name = catalog.tableOfIndex(index.name()).isPresent() ? restoredName + "_" + index.name() : index.name();
        restoredIndexNames.put(index.indexId(), name);
        readyIndexes.add(new IndexDef(name, index.indexId(), index.columns(), index.orders(), index.unique(),
            index.origin(), true));
      }
    }
    TableDef wanted = saved.withName(restoredName).withForeignKeys(List.of()).withIndexes(readyIndexes);
    TableDef created = catalog.createTable(wanted);
    Map<Integer, Integer> keyspaces = new HashMap<>();
    keyspaces.put(saved.tableId(), created.tableId());
    restoredIndexNames.forEach((oldId, name) -> keyspaces.put(oldId, created.index(name).indexId()));
    AtomicBoolean abandoned = new AtomicBoolean();
    List<Callable<Long>> writes = new ArrayList<>();
    for (Map.Entry<Integer, Integer> mapping : keyspaces.entrySet()) {
      boolean index = mapping.getKey() != saved.tableId();
      // An index entry's value is the key of its row, which moves to the new table's keyspace too.
      writes.add(() -> apply(chain, mapping.getKey(), mapping.getValue(),
          index ? rowKey -> moveKeyspace(rowKey, saved.tableId(), created.tableId()) : value -> value, abandoned));
    }
    long records = inParallel(writes, abandoned);
    byte[] savedSequence = null;
    byte[] sequenceKey = SequenceAllocator.highWaterKey(saved.tableId());
    for (KvEntry entry : catalogEntries) {
      if (java.util.Arrays.equals(entry.key(), sequenceKey)) {
        savedSequence = entry.value();
      }
    }
    if (savedSequence != null) {
      try (Transaction txn = kv.begin()) {
        txn.put(SequenceAllocator.highWaterKey(created.tableId()), savedSequence);
        txn.commit();
      }
    }
    Manifest last = chain.last().manifest();
    return new Result(last.snapshotTimestamp(), last.snapshotTime(), chain.links().size(), 1, records);
  }

  /**
   * Runs {@code keyspaceWrites} on {@link #KEYSPACES_IN_PARALLEL} threads and returns the sum of their
   * record counts. The first failure cancels the writes not yet finished and is rethrown (others are added
   * to it as suppressed); the caller then writes no catalog, so nothing restored becomes visible.
   */
  private static long inParallel(List<Callable<Long>> keyspaceWrites, AtomicBoolean abandoned) {
    if (keyspaceWrites.isEmpty()) {
      return 0;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(KEYSPACES_IN_PARALLEL, keyspaceWrites.size()),
        runnable -> {
          Thread thread = new Thread(runnable, "restore-keyspace");
          thread.setDaemon(true);
          return thread;
        });
    try {
      ExecutorCompletionService<Long> done = new ExecutorCompletionService<>(pool);
      List<Future<Long>> futures = new ArrayList<>();
      for (Callable<Long> write : keyspaceWrites) {
        futures.add(done.submit(write));
      }
      long records = 0;
      RuntimeException failure = null;
      for (int i = 0; i < futures.size(); i++) {
        try {
          records += done.take().get();
        } catch (ExecutionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime
              : new ShaleException(SqlState.INTERNAL_ERROR, "restore failed: " + e.getCause(), e.getCause());
          if (failure == null) {
            failure = cause;
            // Not interrupting: an interrupt during file I/O closes the store's channel. The running writes
            // see the flag at their next record and stop.
            abandoned.set(true);
            futures.forEach(future -> future.cancel(false));
          } else if (cause != failure && !(cause instanceof CancellationException)) {
            failure.addSuppressed(cause);
          }
        } catch (CancellationException e) {
          // cancelled after the first failure, which is what gets thrown
        }
      }
      if (failure != null) {
        throw failure;
      }
      return records;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShaleException(SqlState.QUERY_CANCELED, "restore interrupted", e);
    } finally {
      abandoned.set(true);
      pool.shutdown();
    }
  }

  private static BackupChain chain(Path directory, Long asOfTimestamp) {
    BackupChain chain = BackupChain.verify(directory);
    return asOfTimestamp == null ? chain : chain.upTo(asOfTimestamp);
  }

  /** The catalog keyspace at the chain's last snapshot: the full backup's entries with every increment applied. */
  private static List<KvEntry> catalogAt(BackupChain chain) {
    TreeMap<byte[], byte[]> entries = new TreeMap<>(ByteArrays.UNSIGNED);
    for (BackupChain.Link link : chain.links()) {
      Manifest.KeyspaceFile file = link.manifest().keyspace(Keyspaces.CATALOG);
      try {
        DataFile.read(link.directory().resolve(file.file()), Keyspaces.CATALOG, Keyspaces.CATALOG,
            new DataFile.Visitor() {
              @Override
              public void put(byte[] key, byte[] value) {
                entries.put(key, value);
              }

              @Override
              public void delete(byte[] key) {
                entries.remove(key);
              }
            });
      } catch (IOException e) {
        throw new ShaleException(SqlState.IO_ERROR, "cannot read backup " + link.directory() + ": " + e.getMessage(), e);
      }
    }
    List<KvEntry> list = new ArrayList<>();
    entries.forEach((key, value) -> list.add(new KvEntry(key, value)));
    return list;
  }

  /**
   * Writes keyspace {@code sourceId} as the chain holds it into keyspace {@code targetId}: each
   * link's file in turn, full backup first. Returns the number of records applied.
   */
  private long apply(BackupChain chain, int sourceId, int targetId, UnaryOperator<byte[]> values,
      AtomicBoolean abandoned) {
    long records = 0;
    // Restored keyspaces get the saved shard count (a restored table keeps its SHARDS).
    Manifest.KeyspaceFile saved = chain.last().manifest().keyspace(sourceId);
    int shardCount = saved == null ? 1 : saved.shardCount();
    try (Batches batches = new Batches(shardCount, values, abandoned)) {
      for (BackupChain.Link link : chain.links()) {
        Manifest.KeyspaceFile file = link.manifest().keyspace(sourceId);
        if (file == null) {
          continue; // created after this link's snapshot
        }
        try {
          records += DataFile.read(link.directory().resolve(file.file()), sourceId, targetId, batches);
        } catch (IOException e) {
          throw new ShaleException(SqlState.IO_ERROR, "cannot read backup " + link.directory() + ": "
              + e.getMessage(), e);
        }
      }
      batches.flush();
    }
    return records;
  }

  private static byte[] moveKeyspace(byte[] key, int from, int to) {
    if (key.length < Keyspaces.PREFIX_BYTES || Keyspaces.keyspaceOf(key) != from) {
      throw new ShaleException(SqlState.DATA_CORRUPTED, "an index entry in the backup does not point to a row of "
          + "its table");
    }
    byte[] moved = key.clone();
    System.arraycopy(Keyspaces.prefix(to), 0, moved, 0, Keyspaces.PREFIX_BYTES);
    return moved;
  }

  /**
   * Writes records in one open transaction per shard of the target keyspace (keys grouped by {@link
   * KeyRouting}), so every commit touches one shard and commits in one phase: a version per key, without the
   * lock that two-phase commit writes and then removes. A shard's transaction commits once it holds its share
   * of {@link #BATCH_RECORDS_MAX} records or {@link #BATCH_BYTES_MAX} bytes, which bounds the memory all of them
   * hold together. A wrong shard count only costs speed: a transaction over several shards commits in two phases.
   */
  private final class Batches implements DataFile.Visitor, AutoCloseable {
    private final UnaryOperator<byte[]> values;
    private final AtomicBoolean abandoned;
    private final Transaction[] transactions;
    private final int[] records;
    private final long[] bytes;
    private final int recordsPerShard;
    private final long bytesPerShard;

    Batches(int shardCount, UnaryOperator<byte[]> values, AtomicBoolean abandoned) {
      this.values = values;
      this.abandoned = abandoned;
      this.transactions = new Transaction[shardCount];
      this.records = new int[shardCount];
      this.bytes = new long[shardCount];
      this.recordsPerShard = Math.max(1_000, BATCH_RECORDS_MAX / shardCount);
      this.bytesPerShard = Math.max(256L << 10, BATCH_BYTES_MAX / shardCount);
    }

    @Override
    public void put(byte[] key, byte[] value) {
      int shard = KeyRouting.shardIndex(key, transactions.length);
      current(shard).put(key, values.apply(value));
      counted(shard, key.length + value.length);
    }

    @Override
    public void delete(byte[] key) {
      int shard = KeyRouting.shardIndex(key, transactions.length);
      current(shard).delete(key);
      counted(shard, key.length);
    }

    private Transaction current(int shard) {
      if (abandoned.get()) {
        throw new CancellationException("another keyspace of the restore failed");
      }
      if (transactions[shard] == null) {
        transactions[shard] = kv.begin();
      }
      return transactions[shard];
    }

    private void counted(int shard, long recordBytes) {
      records[shard]++;
      bytes[shard] += recordBytes;
      if (records[shard] >= recordsPerShard || bytes[shard] >= bytesPerShard) {
        flush(shard);
      }
    }

    private void flush(int shard) {
      Transaction txn = transactions[shard];
      if (txn != null) {
        transactions[shard] = null;
        try (txn) {
          txn.commit();
        }
      }
      records[shard] = 0;
      bytes[shard] = 0;
    }

    void flush() {
      for (int shard = 0; shard < transactions.length; shard++) {
        flush(shard);
      }
    }

    @Override
    public void close() {
      for (Transaction txn : transactions) {
        if (txn != null) {
          txn.close();
        }
      }
    }
  }
}
