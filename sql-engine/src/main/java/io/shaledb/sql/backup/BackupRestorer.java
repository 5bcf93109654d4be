package io.shaledb.sql.backup;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
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
import java.util.function.UnaryOperator;

/**
 * Restores a backup chain (a full backup and the incremental backups that continue it) through
 * the transactional KV interface: a whole database into an empty one, or one table into a live
 * database under its own or a new name.
 *
 * <p>Every manifest and data file of the chain is checked first ({@link BackupChain#verify}); a
 * missing, truncated or altered file stops the restore before anything is written. Data is written
 * in transactions of bounded size, catalog last: the restored tables appear only once all their rows
 * are in place (RESTORE DATABASE), or appear empty and fill up (RESTORE TABLE, which needs the table
 * to exist before rows can be written to its keyspace).
 */
public final class BackupRestorer {
  private static final int BATCH_RECORDS_MAX = 2_000;
  private static final long BATCH_BYTES_MAX = 4L << 20;

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
   * into this database, which must have no tables or views. Users and grants are restored if the
   * backup holds them; the caller reloads them.
   *
   * @throws ShaleException 55000 if this database has a table or a view
   */
  public Result restoreDatabase(Path directory, Long asOfTimestamp) {
    BackupChain chain = chain(directory, asOfTimestamp);
    catalog.reloadIfChanged();
    if (!catalog.tables().isEmpty() || !catalog.views().isEmpty()) {
      throw new ShaleException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "RESTORE DATABASE needs an empty "
          + "database, and this one has " + catalog.tables().size() + " tables and " + catalog.views().size()
          + " views; RESTORE TABLE restores single tables into it");
    }
    Manifest last = chain.last().manifest();
    long records = 0;
    for (Manifest.KeyspaceFile keyspace : last.keyspaces()) {
      if (keyspace.role() == Manifest.Role.CATALOG) {
        continue;
      }
      // Left behind by an earlier restore that failed: this database defines no table, so it is no one's.
      kv.dropKeyspace(keyspace.keyspaceId());
      kv.createKeyspace(keyspace.keyspaceId(), keyspace.shardCount());
      records += apply(chain, keyspace.keyspaceId(), keyspace.keyspaceId(), value -> value);
    }
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
    long records = 0;
    for (Map.Entry<Integer, Integer> mapping : keyspaces.entrySet()) {
      boolean index = mapping.getKey() != saved.tableId();
      // An index entry's value is the key of its row, which moves to the new table's keyspace too.
      records += apply(chain, mapping.getKey(), mapping.getValue(),
          index ? rowKey -> moveKeyspace(rowKey, saved.tableId(), created.tableId()) : value -> value);
    }
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
  private long apply(BackupChain chain, int sourceId, int targetId, UnaryOperator<byte[]> values) {
    long records = 0;
    try (Batches batches = new Batches(values)) {
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

  /** Writes records in transactions of at most {@link #BATCH_RECORDS_MAX} records or {@link #BATCH_BYTES_MAX} bytes. */
  private final class Batches implements DataFile.Visitor, AutoCloseable {
    private final UnaryOperator<byte[]> values;
    private Transaction txn;
    private int records;
    private long bytes;

    Batches(UnaryOperator<byte[]> values) {
      this.values = values;
    }

    @Override
    public void put(byte[] key, byte[] value) {
      current().put(key, values.apply(value));
      counted(key.length + value.length);
    }

    @Override
    public void delete(byte[] key) {
      current().delete(key);
      counted(key.length);
    }

    private Transaction current() {
      if (txn == null) {
        txn = kv.begin();
      }
      return txn;
    }

    private void counted(long recordBytes) {
      records++;
      bytes += recordBytes;
      if (records >= BATCH_RECORDS_MAX || bytes >= BATCH_BYTES_MAX) {
        flush();
      }
    }

    void flush() {
      if (txn != null) {
        txn.commit();
        txn.close();
        txn = null;
      }
      records = 0;
      bytes = 0;
    }

    @Override
    public void close() {
      if (txn != null) {
        txn.close();
      }
    }
  }
}
