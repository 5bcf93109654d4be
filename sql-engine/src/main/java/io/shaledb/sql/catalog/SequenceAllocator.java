package io.shaledb.sql.catalog;

import io.shaledb.kv.KvStore;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import java.nio.ByteBuffer;

/**
 * Hands out AUTO_INCREMENT / identity values for one table. Values are reserved in blocks with a
 * durable high-water mark in the catalog keyspace, so most values cost no I/O and no value is ever
 * handed out twice, across restarts and (later) across nodes that each reserve their own blocks.
 * A crash loses the unused rest of a block: values have gaps, as in every database that caches
 * sequences.
 *
 * <p>Thread-safe.
 */
public final class SequenceAllocator {
  static final long BLOCK_SIZE = 100;
  private static final int RESERVE_RETRIES = 20;

  private final KvStore kv;
  private final byte[] highWaterKey;
  private long next;
  private long limit;

  public SequenceAllocator(KvStore kv, int tableId) {
    this.kv = kv;
    this.highWaterKey = highWaterKey(tableId);
  }

  /** The catalog key of table {@code tableId}'s high-water mark (its value: the next free value, 8 bytes). */
  public static byte[] highWaterKey(int tableId) {
    return Catalog.catalogKey("sequence:" + tableId);
  }

  /** The next value, starting at 1. */
  public synchronized long nextValue() {
    if (next >= limit) {
      reserveFrom(0);
    }
    return next++;
  }

  /**
   * Tells the allocator that {@code value} was inserted explicitly, so that generated values skip
   * past it (MySQL's behaviour) instead of colliding with it later.
   */
  public synchronized void observe(long value) {
    if (value < next) {
      return;
    }
    if (value < limit) {
      next = value + 1;
      return;
    }
    reserveFrom(value + 1);
  }

  /** Reserves a block whose first value is at least {@code minimum}. */
  private void reserveFrom(long minimum) {
    for (int attempt = 1; ; attempt++) {
      try (Transaction txn = kv.begin()) {
        byte[] stored = txn.get(highWaterKey);
        long highWater = stored == null ? 1 : ByteBuffer.wrap(stored).getLong();
        long start = Math.max(highWater, Math.max(minimum, 1));
        long end = Math.addExact(start, BLOCK_SIZE);
        txn.put(highWaterKey, ByteBuffer.allocate(8).putLong(end).array());
        txn.commit();
        next = start;
        limit = end;
        return;
      } catch (WriteConflictException e) {
        if (attempt == RESERVE_RETRIES) {
          throw e;
        }
      }
    }
  }
}
