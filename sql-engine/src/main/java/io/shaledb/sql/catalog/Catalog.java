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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tables of a database, persisted in the {@link Keyspaces#CATALOG} keyspace of the same store
 * as the data, and cached in memory.
 *
 * <p>DDL is not part of user transactions: each change commits on its own, immediately, in its own
 * KV transaction. Changes are serialized within this process. Readers get immutable snapshots;
 * {@link #version()} changes with every change so that plans built on an older catalog can be
 * recognized.
 */
public final class Catalog {
  private static final String TABLE_PREFIX = "table:";
  private static final byte[] NEXT_TABLE_ID_KEY = catalogKey("next-table-id");
  private static final int DDL_RETRIES = 5;

  private final KvStore kv;
  private final AtomicLong version = new AtomicLong();
  private volatile Map<String, TableDef> tablesByName;

  private Catalog(KvStore kv, Map<String, TableDef> tables) {
    this.kv = kv;
    this.tablesByName = Collections.unmodifiableMap(tables);
  }

  /** Loads the catalog of {@code kv}, creating its keyspace on first use. */
  public static Catalog open(KvStore kv) {
    kv.createKeyspace(Keyspaces.CATALOG, 1);
    Map<String, TableDef> tables = new TreeMap<>();
    try (Transaction txn = kv.begin();
        KvCursor cursor = txn.scan(ScanSpec.withPrefix(catalogKey(TABLE_PREFIX)))) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        TableDef table = CatalogCodec.decode(entry.value());
        tables.put(table.name(), table);
      }
    }
    return new Catalog(kv, tables);
  }

  public Optional<TableDef> table(String name) {
    return Optional.ofNullable(tablesByName.get(name));
  }

  /** Every table, sorted by name. */
  public Collection<TableDef> tables() {
    return tablesByName.values();
  }

  /** Increases with every change of the catalog. */
  public long version() {
    return version.get();
  }

  /**
   * Creates a table from {@code definition}, whose {@link TableDef#tableId()} is ignored and
   * replaced by a fresh id. Returns the stored definition.
   *
   * @throws ShaleException 42P07 if a table of that name exists
   */
  public synchronized TableDef createTable(TableDef definition) {
    if (tablesByName.containsKey(definition.name())) {
      throw new ShaleException(SqlState.DUPLICATE_TABLE, "table \"" + definition.name() + "\" already exists");
    }
    TableDef created = runDdl(txn -> {
      byte[] current = txn.get(NEXT_TABLE_ID_KEY);
      int tableId = current == null ? Keyspaces.FIRST_USER_KEYSPACE : ByteBuffer.wrap(current).getInt();
      TableDef table = new TableDef(tableId, definition.name(), definition.columns(), definition.primaryKey(),
          definition.uniqueConstraints(), definition.foreignKeys(), definition.checks(), definition.shardCount(),
          definition.schemaVersion());
      // The keyspace exists before the table becomes visible, so no statement can write to a missing keyspace.
      // A crash right after this leaves an empty keyspace whose id is never handed out again.
      kv.dropKeyspace(tableId);
      kv.createKeyspace(tableId, table.shardCount());
      txn.put(NEXT_TABLE_ID_KEY, ByteBuffer.allocate(4).putInt(tableId + 1).array());
      txn.put(tableKey(table.name()), CatalogCodec.encode(table));
      return table;
    });
    Map<String, TableDef> next = new TreeMap<>(tablesByName);
    next.put(created.name(), created);
    publish(next);
    return created;
  }

  /**
   * Drops a table and its data.
   *
   * @throws ShaleException 42P01 if there is no such table
   */
  public synchronized void dropTable(String name) {
    TableDef table = tablesByName.get(name);
    if (table == null) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist");
    }
    runDdl(txn -> {
      txn.delete(tableKey(name));
      return null;
    });
    Map<String, TableDef> next = new HashMap<>(tablesByName);
    next.remove(name);
    publish(new TreeMap<>(next));
    kv.dropKeyspace(table.tableId());
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
    for (int attempt = 1; ; attempt++) {
      try (Transaction txn = kv.begin()) {
        T result = work.apply(txn);
        txn.commit();
        return result;
      } catch (WriteConflictException e) {
        // Another process-local DDL cannot race (methods are synchronized); conflicts come from
        // recovery of an older crashed transaction's locks, so a short retry is enough.
        if (attempt == DDL_RETRIES) {
          throw e;
        }
      }
    }
  }
}
