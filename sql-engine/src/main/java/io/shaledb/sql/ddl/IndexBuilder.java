package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import io.shaledb.sql.schema.IndexLayout;
import io.shaledb.sql.schema.TableLayout;
import java.util.Arrays;

/**
 * Fills a new index with an entry for every existing row, in batches of {@link #BATCH_ROWS} rows,
 * each batch in its own transaction so that a large table does not become one huge transaction.
 *
 * <p>Concurrency: the index is already in the catalog (not ready) while this runs, so statements
 * planned from then on maintain it themselves; a batch that races with such a writer on the same
 * entry fails its commit with a write conflict and is retried at a newer snapshot. A transaction
 * that began before CREATE INDEX and writes the table afterwards with a plan made earlier does not
 * maintain the index; run CREATE INDEX when no such transaction is open.
 */
final class IndexBuilder {
  static final int BATCH_ROWS = 1000;
  private static final int BATCH_RETRIES = 10;

  private final KvStore kv;

  IndexBuilder(KvStore kv) {
    this.kv = kv;
  }

  /**
   * Builds index {@code indexName} of {@code table}.
   *
   * @throws ShaleException 23505 if the index is unique and two rows have the same indexed values
   */
  void build(TableLayout table, String indexName) {
    IndexLayout index = table.index(indexName);
    if (index == null) {
      throw new IllegalArgumentException("table " + table.table().name() + " has no index " + indexName);
    }
    byte[] start = Keyspaces.prefix(table.keyspaceId());
    byte[] end = Keyspaces.prefixEnd(table.keyspaceId());
    while (start != null) {
      start = buildBatch(table, index, start, end);
    }
  }

  /** Indexes up to one batch of rows from {@code start}; returns where the next batch starts, or null at the end. */
  private byte[] buildBatch(TableLayout table, IndexLayout index, byte[] start, byte[] end) {
    for (int attempt = 1; ; attempt++) {
      try (Transaction txn = kv.begin()) {
        byte[] lastKey = null;
        int rows = 0;
        try (KvCursor cursor = txn.scan(new ScanSpec(start, end, BATCH_ROWS))) {
          while (cursor.hasNext()) {
            KvEntry entry = cursor.next();
            Object[] row = table.decodeRow(entry.value());
            byte[] entryKey = index.entryKey(row);
            if (index.enforcesUniqueness(row)) {
              byte[] existing = txn.get(entryKey);
              if (existing != null && !Arrays.equals(existing, entry.key())) {
                throw new ShaleException(SqlState.UNIQUE_VIOLATION, "could not create unique index \""
                    + index.definition().name() + "\": key " + index.describe(row) + " is duplicated");
              }
            }
            txn.put(entryKey, entry.key());
            lastKey = entry.key();
            rows++;
          }
        }
        txn.commit();
        if (rows < BATCH_ROWS) {
          return null;
        }
        // The smallest key after lastKey.
        byte[] next = Arrays.copyOf(lastKey, lastKey.length + 1);
        return ByteArrays.compare(next, end) < 0 ? next : null;
      } catch (WriteConflictException e) {
        if (attempt == BATCH_RETRIES) {
          throw e;
        }
      }
    }
  }
}
