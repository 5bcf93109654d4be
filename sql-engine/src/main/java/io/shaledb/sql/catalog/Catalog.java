package io.shaledb.sql.catalog;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import io.shaledb.sql.stats.StatisticsCodec;
import io.shaledb.sql.stats.TableStatistics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tables of a database, persisted in the {@link Keyspaces#CATALOG} keyspace of the same store
 * as the data, and cached in memory.
 *
 * <p>DDL is not part of user transactions: each change commits on its own, immediately, in its own
 * KV transaction. Changes are serialized within this process by the catalog's monitor, which a
 * caller may hold to read definitions and replace them atomically. Readers get immutable snapshots;
 * {@link #version()} changes with every change so that plans built on an older catalog can be
 * recognized.
 */
public final class Catalog {
  private static final String TABLE_PREFIX = "table:";
  private static final String VIEW_PREFIX = "view:";
  /** Followed by the sequence's name: its definition ({@link SequenceDef}); its next value is apart. */
  private static final String SEQUENCE_PREFIX = "sequence-definition:";
  /** Followed by the table id in decimal: what ANALYZE found in that table ({@link StatisticsCodec}). */
  private static final String STATISTICS_PREFIX = "statistics:";
  private static final byte[] NEXT_TABLE_ID_KEY = catalogKey("next-table-id");
  /** Incremented by every DDL: concurrent DDL on two nodes conflicts on it, and a node notices it is stale. */
  private static final byte[] STORED_VERSION_KEY = catalogKey("version");
  private static final int DDL_RETRIES = 5;

  private final KvStore kv;
  private final AtomicLong version = new AtomicLong();
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The stored catalog version the definitions in memory were read at or written as. Guarded by {@code this}. */
  private long loadedStoredVersion;
  private volatile Map<String, TableDef> tablesByName;
  private volatile Map<String, ViewDef> viewsByName;
  private volatile Map<String, SequenceDef> sequencesByName = Map.of();
  private volatile Map<Integer, TableStatistics> statisticsByTableId = Map.of();

  private Catalog(KvStore kv, Map<String, TableDef> tables, Map<String, ViewDef> views) {
    this.kv = kv;
    this.tablesByName = Collections.unmodifiableMap(tables);
    this.viewsByName = Collections.unmodifiableMap(views);
  }

  /** Loads the catalog of {@code kv}, creating its keyspace on first use. */
  public static Catalog open(KvStore kv) {
    kv.createKeyspace(Keyspaces.CATALOG, 1);
    Catalog catalog = new Catalog(kv, new TreeMap<>(), new TreeMap<>());
    catalog.reload();
    return catalog;
  }

  /**
   * Re-reads every definition from the store, e.g. after another node changed the catalog, and
   * publishes them as a new {@link #version()}.
   */
  public synchronized void reload() {
    Map<String, TableDef> tables = new TreeMap<>();
    Map<String, ViewDef> views = new TreeMap<>();
    Map<Integer, TableStatistics> statistics = new HashMap<>();
    Map<String, SequenceDef> sequences = new TreeMap<>();
    long stored;
    // One snapshot: the definitions and the version they belong to are read together.
    try (Transaction txn = kv.begin()) {
      stored = storedVersion(txn);
      try (KvCursor cursor = txn.scan(ScanSpec.withPrefix(catalogKey(TABLE_PREFIX)))) {
        while (cursor.hasNext()) {
          TableDef table = CatalogCodec.decode(cursor.next().value());
          tables.put(table.name(), table);
        }
      }
      try (KvCursor cursor = txn.scan(ScanSpec.withPrefix(catalogKey(VIEW_PREFIX)))) {
        while (cursor.hasNext()) {
          ViewDef view = CatalogCodec.decodeView(cursor.next().value());
          views.put(view.name(), view);
        }
      }
      try (KvCursor cursor = txn.scan(ScanSpec.withPrefix(catalogKey(SEQUENCE_PREFIX)))) {
        while (cursor.hasNext()) {
          SequenceDef sequence = CatalogCodec.decodeSequence(cursor.next().value());
          sequences.put(sequence.name(), sequence);
        }
      }
      byte[] statisticsPrefix = catalogKey(STATISTICS_PREFIX);
      try (KvCursor cursor = txn.scan(ScanSpec.withPrefix(statisticsPrefix))) {
        while (cursor.hasNext()) {
          KvEntry entry = cursor.next();
          int tableId = Integer.parseInt(new String(entry.key(), statisticsPrefix.length,
              entry.key().length - statisticsPrefix.length, StandardCharsets.UTF_8));
          statistics.put(tableId, StatisticsCodec.decode(entry.value()));
        }
      }
    }
    loadedStoredVersion = stored;
    viewsByName = Collections.unmodifiableMap(views);
    sequencesByName = Collections.unmodifiableMap(sequences);
    statisticsByTableId = Map.copyOf(statistics);
    publish(tables);
  }

  /**
   * Reloads the catalog if it changed in the store since it was loaded (by DDL on another node).
   *
   * @return whether it changed
   */
  public synchronized boolean reloadIfChanged() {
    long stored;
    try (Transaction txn = kv.begin()) {
      stored = storedVersion(txn);
    }
    if (stored == loadedStoredVersion) {
      return false;
    }
    reload();
    return true;
  }

  /** Runs {@code listener} after every change this catalog commits (not after reloads), e.g. to tell other nodes. */
  public void addChangeListener(Runnable listener) {
    changeListeners.add(listener);
  }

  public Optional<TableDef> table(String name) {
    return Optional.ofNullable(tablesByName.get(name));
  }

  /** Every table, sorted by name. */
  public Collection<TableDef> tables() {
    return tablesByName.values();
  }

  public Optional<ViewDef> view(String name) {
    return Optional.ofNullable(viewsByName.get(name));
  }

  /** Every view, sorted by name. */
  public Collection<ViewDef> views() {
    return viewsByName.values();
  }

  public Optional<SequenceDef> sequence(String name) {
    return Optional.ofNullable(sequencesByName.get(name));
  }

  /** Every sequence, sorted by name. */
  public Collection<SequenceDef> sequences() {
    return sequencesByName.values();
  }

  /**
   * Creates a sequence from {@code definition}, whose id is replaced by a fresh one (so a sequence
   * dropped and created again starts afresh). Returns the stored definition.
   *
   * @throws ShaleException 42P07 if a table, view, index or sequence has the name
   */
  public synchronized SequenceDef createSequence(SequenceDef definition) {
    checkNameFree(definition.name());
    SequenceDef created = runDdl(txn -> {
      SequenceDef sequence = new SequenceDef(allocateIds(txn, 1), definition.name(), definition.dataType(),
          definition.start(), definition.increment(), definition.minValue(), definition.maxValue(), definition.cache());
      txn.put(sequenceKey(sequence.name()), CatalogCodec.encodeSequence(sequence));
      return sequence;
    });
    Map<String, SequenceDef> next = new TreeMap<>(sequencesByName);
    next.put(created.name(), created);
    sequencesByName = Collections.unmodifiableMap(next);
    version.incrementAndGet();
    return created;
  }

  /**
   * Drops a sequence and its high-water mark.
   *
   * @throws ShaleException 42P01 if there is no such sequence
   */
  public synchronized void dropSequence(String name) {
    SequenceDef sequence = sequencesByName.get(name);
    if (sequence == null) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "sequence \"" + name + "\" does not exist");
    }
    runDdl(txn -> {
      txn.delete(sequenceKey(name));
      txn.delete(SequenceAllocator.highWaterKey(sequence.sequenceId()));
      return null;
    });
    Map<String, SequenceDef> next = new TreeMap<>(sequencesByName);
    next.remove(name);
    sequencesByName = Collections.unmodifiableMap(next);
    version.incrementAndGet();
  }

  /** What the last ANALYZE of table {@code tableId} found, if it was analyzed. */
  public Optional<TableStatistics> statistics(int tableId) {
    return Optional.ofNullable(statisticsByTableId.get(tableId));
  }

  /**
   * Stores the statistics of table {@code tableId}, replacing earlier ones, as a catalog change: plans made
   * before are made again, and other nodes reload them. Does nothing if the table was dropped meanwhile.
   */
  public synchronized void storeStatistics(int tableId, TableStatistics statistics) {
    if (tablesByName.values().stream().noneMatch(table -> table.tableId() == tableId)) {
      return;
    }
    runDdl(txn -> {
      txn.put(statisticsKey(tableId), StatisticsCodec.encode(statistics));
      return null;
    });
    Map<Integer, TableStatistics> next = new HashMap<>(statisticsByTableId);
    next.put(tableId, statistics);
    statisticsByTableId = Map.copyOf(next);
    version.incrementAndGet();
  }

  /** Increases with every change of the catalog. */
  public long version() {
    return version.get();
  }

  /**
   * Creates a table from {@code definition}, whose {@link TableDef#tableId()} and index ids are
   * ignored and replaced by fresh ids. Returns the stored definition.
   *
   * @throws ShaleException 42P07 if a table of that name, or an index named like one of its indexes, exists
   */
  public synchronized TableDef createTable(TableDef definition) {
    checkNameFree(definition.name());
    for (IndexDef index : definition.indexes()) {
      requireNewIndexName(index.name());
    }
    TableDef created = runDdl(txn -> {
      int tableId = allocateIds(txn, 1 + definition.indexes().size());
      List<IndexDef> indexes = new ArrayList<>();
      for (int i = 0; i < definition.indexes().size(); i++) {
        indexes.add(definition.indexes().get(i).withId(tableId + 1 + i).withReady(true));
      }
      TableDef table = new TableDef(tableId, definition.name(), definition.columns(), definition.primaryKey(),
          definition.uniqueConstraints(), definition.foreignKeys(), definition.checks(), definition.shardCount(),
          definition.schemaVersion(), definition.rowFormat(), indexes);
      // Keyspaces exist before the table becomes visible, so no statement can write to a missing keyspace.
      // A crash right after this leaves empty keyspaces whose ids are never handed out again.
      createKeyspace(tableId, table.shardCount());
      for (IndexDef index : indexes) {
        createKeyspace(index.indexId(), table.shardCount());
      }
      txn.put(tableKey(table.name()), CatalogCodec.encode(table));
      return table;
    });
    publishTable(created);
    return created;
  }

  /**
   * Drops a table, its indexes and its data.
   *
   * @throws ShaleException 42P01 if there is no such table; 2BP01 if a foreign key of another table references it
   */
  public synchronized void dropTable(String name) {
    TableDef table = tablesByName.get(name);
    if (table == null) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist");
    }
    for (TableDef other : tablesByName.values()) {
      if (other.name().equals(name)) {
        continue;
      }
      for (ForeignKeyDef fk : other.foreignKeys()) {
        if (fk.referencedTable().equals(name)) {
          throw new ShaleException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop table \"" + name
              + "\" because constraint \"" + fk.name() + "\" on table \"" + other.name() + "\" depends on it");
        }
      }
    }
    runDdl(txn -> {
      txn.delete(tableKey(name));
      txn.delete(statisticsKey(table.tableId()));
      return null;
    });
    Map<Integer, TableStatistics> statistics = new HashMap<>(statisticsByTableId);
    statistics.remove(table.tableId());
    statisticsByTableId = Map.copyOf(statistics);
    Map<String, TableDef> next = new HashMap<>(tablesByName);
    next.remove(name);
    publish(new TreeMap<>(next));
    kv.dropKeyspace(table.tableId());
    for (IndexDef index : table.indexes()) {
      kv.dropKeyspace(index.indexId());
    }
  }

  /** The table that owns the index named {@code indexName}, if any. Index names are unique in a database. */
  public Optional<TableDef> tableOfIndex(String indexName) {
    for (TableDef table : tablesByName.values()) {
      if (table.index(indexName) != null) {
        return Optional.of(table);
      }
    }
    return Optional.empty();
  }

  /**
   * Adds {@code index} (its id is replaced by a fresh one) to table {@code tableName} in the
   * not-ready state: from now on every write maintains it, but plans do not read it until {@link
   * #markIndexReady}. Returns the table as stored.
   *
   * @throws ShaleException 42P01 if there is no such table, 42P07 if the index name is taken
   */
  public synchronized TableDef addIndex(String tableName, IndexDef index) {
    TableDef table = existingTable(tableName);
    requireNewIndexName(index.name());
    TableDef updated = runDdl(txn -> {
      int indexId = allocateIds(txn, 1);
      createKeyspace(indexId, table.shardCount());
      TableDef next = table.withIndex(index.withId(indexId).withReady(false));
      txn.put(tableKey(tableName), CatalogCodec.encode(next));
      return next;
    });
    publishTable(updated);
    return updated;
  }

  /** Lets plans read index {@code indexName} of {@code tableName}, once it holds an entry for every row. */
  public synchronized TableDef markIndexReady(String tableName, String indexName) {
    TableDef table = existingTable(tableName);
    IndexDef index = table.index(indexName);
    if (index == null) {
      throw new ShaleException(SqlState.UNDEFINED_OBJECT, "index \"" + indexName + "\" does not exist");
    }
    TableDef updated = table.withIndex(index.withReady(true));
    runDdl(txn -> {
      txn.put(tableKey(tableName), CatalogCodec.encode(updated));
      return null;
    });
    publishTable(updated);
    return updated;
  }

  /**
   * Removes index {@code indexName} of {@code tableName} and its entries.
   *
   * @throws ShaleException 42704 if there is no such index
   */
  public synchronized void dropIndex(String tableName, String indexName) {
    TableDef table = existingTable(tableName);
    IndexDef index = table.index(indexName);
    if (index == null) {
      throw new ShaleException(SqlState.UNDEFINED_OBJECT, "index \"" + indexName + "\" does not exist");
    }
    List<IndexDef> remaining = new ArrayList<>(table.indexes());
    remaining.remove(index);
    TableDef updated = table.withIndexes(remaining);
    runDdl(txn -> {
      txn.put(tableKey(tableName), CatalogCodec.encode(updated));
      return null;
    });
    publishTable(updated);
    kv.dropKeyspace(index.indexId());
  }

  private TableDef existingTable(String name) {
    TableDef table = tablesByName.get(name);
    if (table == null) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist");
    }
    return table;
  }

  private void requireNewIndexName(String indexName) {
    if (tableOfIndex(indexName).isPresent() || viewsByName.containsKey(indexName)
        || sequencesByName.containsKey(indexName)) {
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + indexName + "\" already exists");
    }
  }

  /** Reserves {@code count} consecutive keyspace ids and returns the first. */
  private static int allocateIds(Transaction txn, int count) {
    byte[] current = txn.get(NEXT_TABLE_ID_KEY);
    int first = current == null ? Keyspaces.FIRST_USER_KEYSPACE : ByteBuffer.wrap(current).getInt();
    txn.put(NEXT_TABLE_ID_KEY, ByteBuffer.allocate(4).putInt(Math.addExact(first, count)).array());
    return first;
  }

  private void createKeyspace(int keyspaceId, int shardCount) {
    // A crashed earlier attempt may have left the keyspace behind with another shard count.
    kv.dropKeyspace(keyspaceId);
    kv.createKeyspace(keyspaceId, shardCount);
  }

  private void publishTable(TableDef table) {
    Map<String, TableDef> next = new TreeMap<>(tablesByName);
    next.put(table.name(), table);
    publish(next);
  }

  /**
   * Replaces the definitions of existing tables in one atomic catalog change, e.g. for ALTER
   * TABLE; a table whose name changed is found by its id. The tables' rows are not touched; the
   * entries of indexes a new definition no longer has are dropped.
   *
   * @throws ShaleException 42P01 if a table no longer exists, 42P07 if a new name is taken
   */
  public synchronized void replaceTables(List<TableDef> changed) {
    Map<Integer, TableDef> byId = new HashMap<>();
    for (TableDef table : tablesByName.values()) {
      byId.put(table.tableId(), table);
    }
    Map<String, TableDef> next = new TreeMap<>(tablesByName);
    List<String> removedNames = new ArrayList<>();
    List<Integer> droppedIndexIds = new ArrayList<>();
    for (TableDef table : changed) {
      TableDef old = byId.get(table.tableId());
      if (old == null) {
        throw new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + table.name() + "\" does not exist");
      }
      if (!old.name().equals(table.name())) {
        checkNameFree(table.name());
        next.remove(old.name());
        removedNames.add(old.name());
      }
      next.put(table.name(), table);
      for (IndexDef index : old.indexes()) {
        if (table.indexes().stream().noneMatch(kept -> kept.indexId() == index.indexId())) {
          droppedIndexIds.add(index.indexId());
        }
      }
    }
    runDdl(txn -> {
      for (String name : removedNames) {
        txn.delete(tableKey(name));
      }
      for (TableDef table : changed) {
        txn.put(tableKey(table.name()), CatalogCodec.encode(table));
      }
      return null;
    });
    publish(next);
    for (int indexId : droppedIndexIds) {
      kv.dropKeyspace(indexId);
    }
  }

  /**
   * Stores a view; with {@code replace}, an existing view of that name is replaced.
   *
   * @throws ShaleException 42P07 if a table, or (without {@code replace}) a view, has the name
   */
  public synchronized void createView(ViewDef view, boolean replace) {
    if (tablesByName.containsKey(view.name()) || tableOfIndex(view.name()).isPresent()
        || sequencesByName.containsKey(view.name())
        || (!replace && viewsByName.containsKey(view.name()))) {
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + view.name() + "\" already exists");
    }
    runDdl(txn -> {
      txn.put(viewKey(view.name()), CatalogCodec.encodeView(view));
      return null;
    });
    Map<String, ViewDef> next = new TreeMap<>(viewsByName);
    next.put(view.name(), view);
    viewsByName = Collections.unmodifiableMap(next);
    version.incrementAndGet();
  }

  /**
   * Drops a view.
   *
   * @throws ShaleException 42P01 if there is no such view
   */
  public synchronized void dropView(String name) {
    if (!viewsByName.containsKey(name)) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "view \"" + name + "\" does not exist");
    }
    runDdl(txn -> {
      txn.delete(viewKey(name));
      return null;
    });
    Map<String, ViewDef> next = new TreeMap<>(viewsByName);
    next.remove(name);
    viewsByName = Collections.unmodifiableMap(next);
    version.incrementAndGet();
  }

  /** The tables defined by entries of the catalog keyspace (e.g. read at a snapshot or from a backup), by name. */
  public static Map<String, TableDef> tablesIn(Collection<KvEntry> catalogEntries) {
    Map<String, TableDef> tables = new TreeMap<>();
    byte[] prefix = catalogKey(TABLE_PREFIX);
    for (KvEntry entry : catalogEntries) {
      if (startsWith(entry.key(), prefix)) {
        TableDef table = CatalogCodec.decode(entry.value());
        tables.put(table.name(), table);
      }
    }
    return tables;
  }

  /** The views defined by entries of the catalog keyspace, by name. */
  public static Map<String, ViewDef> viewsIn(Collection<KvEntry> catalogEntries) {
    Map<String, ViewDef> views = new TreeMap<>();
    byte[] prefix = catalogKey(VIEW_PREFIX);
    for (KvEntry entry : catalogEntries) {
      if (startsWith(entry.key(), prefix)) {
        ViewDef view = CatalogCodec.decodeView(entry.value());
        views.put(view.name(), view);
      }
    }
    return views;
  }

  /**
   * Stores {@code catalogEntries} (a whole catalog keyspace, e.g. from a backup) in this catalog,
   * which must define no table and no view, in one catalog change, and loads them. The stored
   * version keeps counting up from this catalog's, so other nodes notice the change; keyspace ids
   * are never handed out twice.
   *
   * @throws ShaleException 55000 if this catalog already defines a table or view
   */
  public synchronized void restore(Collection<KvEntry> catalogEntries) {
    reloadIfChanged();
    if (!tablesByName.isEmpty() || !viewsByName.isEmpty() || !sequencesByName.isEmpty()) {
      throw new ShaleException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "RESTORE DATABASE needs an empty "
          + "database, and this one has " + tablesByName.size() + " tables, " + viewsByName.size() + " views and "
          + sequencesByName.size() + " sequences");
    }
    runDdl(txn -> {
      for (KvEntry entry : catalogEntries) {
        if (java.util.Arrays.equals(entry.key(), STORED_VERSION_KEY)) {
          continue;
        }
        if (java.util.Arrays.equals(entry.key(), NEXT_TABLE_ID_KEY)) {
          byte[] current = txn.get(NEXT_TABLE_ID_KEY);
          int next = ByteBuffer.wrap(entry.value()).getInt();
          if (current != null && ByteBuffer.wrap(current).getInt() > next) {
            continue;
          }
        }
        txn.put(entry.key(), entry.value());
      }
      return null;
    });
    reload();
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Tables, views, indexes and sequences share one namespace, as PostgreSQL's relations do. */
  private void checkNameFree(String name) {
    if (tablesByName.containsKey(name) || viewsByName.containsKey(name) || tableOfIndex(name).isPresent()
        || sequencesByName.containsKey(name)) {
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
  }

  private static byte[] sequenceKey(String name) {
    return catalogKey(SEQUENCE_PREFIX + name);
  }

  private static byte[] viewKey(String name) {
    return catalogKey(VIEW_PREFIX + name);
  }

  /** The store the catalog lives in; sequences keep their high-water marks there too. */
  KvStore kv() {
    return kv;
  }

  static byte[] catalogKey(String name) {
    byte[] prefix = Keyspaces.prefix(Keyspaces.CATALOG);
    byte[] suffix = name.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + suffix.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
    return key;
  }

  private static byte[] statisticsKey(int tableId) {
    return catalogKey(STATISTICS_PREFIX + tableId);
  }

  private static byte[] tableKey(String name) {
    return catalogKey(TABLE_PREFIX + name);
  }

  private void publish(Map<String, TableDef> next) {
    tablesByName = Collections.unmodifiableMap(next);
    version.incrementAndGet();
  }

  private interface DdlWork<T> {
    T apply(Transaction txn);
  }

  private <T> T runDdl(DdlWork<T> work) {
    T result;
    for (int attempt = 1; ; attempt++) {
      try (Transaction txn = kv.begin()) {
        long stored = storedVersion(txn);
        if (stored != loadedStoredVersion) {
          reload();
          throw new ShaleException(SqlState.SERIALIZATION_FAILURE,
              "the catalog was changed by another node while this statement ran; retry it");
        }
        result = work.apply(txn);
        txn.put(STORED_VERSION_KEY, ByteBuffer.allocate(Long.BYTES).putLong(stored + 1).array());
        txn.commit();
        loadedStoredVersion = stored + 1;
        break;
      } catch (WriteConflictException e) {
        // Conflicts come from DDL on another node (which the version check then reports) or from
        // recovery of an older crashed transaction's locks, so a short retry is enough.
        if (attempt == DDL_RETRIES) {
          throw e;
        }
      }
    }
    for (Runnable listener : changeListeners) {
      listener.run();
    }
    return result;
  }

  private static long storedVersion(Transaction txn) {
    byte[] stored = txn.get(STORED_VERSION_KEY);
    return stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
  }
}
