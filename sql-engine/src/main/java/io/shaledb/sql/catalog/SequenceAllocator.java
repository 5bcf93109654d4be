package io.shaledb.sql.catalog;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Hands out the values of a sequence: a table's AUTO_INCREMENT / identity values and hidden row ids,
 * or a {@code CREATE SEQUENCE}'s. Values are reserved in blocks with a durable high-water mark in the
 * catalog keyspace (the next value not yet reserved by any node), so most values cost no I/O and no
 * value is ever handed out twice, across restarts and across nodes that each reserve their own
 * blocks. A crash loses the unused rest of a block, and a value drawn in a transaction that rolls
 * back is not given back: values have gaps, as in every database that caches sequences. Values
 * drawn on different nodes interleave, so they increase per node but not cluster-wide.
 *
 * <p>Thread-safe.
 */
public final class SequenceAllocator {
  static final long TABLE_BLOCK_SIZE = 100;
  private static final int RESERVE_RETRIES = 20;
  /** The stored high-water mark of a sequence that has handed out its last value. */
  private static final byte[] EXHAUSTED = new byte[0];

  private final KvStore kv;
  private final byte[] highWaterKey;
  private final String name;
  private final long start;
  private final long increment;
  private final long minValue;
  private final long maxValue;
  private final long blockSize;
  private long next;
  /** How many values of the current block are still to hand out. */
  private long remaining;

  /** A table's sequence: 1, 2, 3, ... reserved 100 at a time. */
  public SequenceAllocator(KvStore kv, int tableId) {
    this(kv, tableId, "table " + tableId, 1, 1, 1, Long.MAX_VALUE, TABLE_BLOCK_SIZE);
  }

  /** The sequence {@code definition} describes. */
  public SequenceAllocator(KvStore kv, SequenceDef definition) {
    this(kv, definition.sequenceId(), definition.name(), definition.start(), definition.increment(),
        definition.minValue(), definition.maxValue(), definition.cache());
  }

  private SequenceAllocator(KvStore kv, int id, String name, long start, long increment, long minValue,
      long maxValue, long blockSize) {
    this.kv = kv;
    this.highWaterKey = highWaterKey(id);
    this.name = name;
    this.start = start;
    this.increment = increment;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.blockSize = blockSize;
  }

  /**
   * The catalog key of the high-water mark of table or sequence {@code id} (its value: the next value
   * no node has reserved, 8 bytes; empty once the sequence is exhausted).
   */
  public static byte[] highWaterKey(int id) {
    return Catalog.catalogKey("sequence:" + id);
  }

  /**
   * The next value.
   *
   * @throws ShaleException 2200H once the sequence reached its MAXVALUE (MINVALUE counting down)
   */
  public synchronized long nextValue() {
    if (remaining == 0) {
      reserveFrom(null);
    }
    long value = next;
    remaining--;
    if (remaining > 0) {
      next += increment;
    }
    return value;
  }

  /**
   * Tells a table's allocator that {@code value} was inserted explicitly, so that generated values
   * skip past it (MySQL's behaviour) instead of colliding with it later.
   */
  public synchronized void observe(long value) {
    if (remaining > 0 && value < next) {
      return;
    }
    long last = remaining == 0 ? Long.MIN_VALUE : next + (remaining - 1) * increment;
    if (remaining > 0 && value < last) {
      remaining = last - value;
      next = value + 1;
      return;
    }
    if (value == Long.MAX_VALUE) {
      throw exhausted();
    }
    reserveFrom(value + 1);
  }

  /** Reserves a block whose first value is at least {@code minimum} (if given; counting up only). */
  private void reserveFrom(Long minimum) {
    for (int attempt = 1; ; attempt++) {
      try (Transaction txn = kv.begin()) {
        byte[] stored = txn.get(highWaterKey);
        if (stored != null && stored.length == 0) {
          throw exhausted();
        }
        long first = stored == null ? start : ByteBuffer.wrap(stored).getLong();
        if (minimum != null) {
          first = Math.max(first, minimum);
        }
        // How many values are left before the bound, in exact arithmetic: bounds may be Long's own.
        BigInteger left = increment > 0
            ? BigInteger.valueOf(maxValue).subtract(BigInteger.valueOf(first))
            : BigInteger.valueOf(first).subtract(BigInteger.valueOf(minValue));
        if (left.signum() < 0) {
          throw exhausted();
        }
        long available = left.divide(BigInteger.valueOf(increment).abs()).add(BigInteger.ONE)
            .min(BigInteger.valueOf(blockSize)).longValueExact();
        BigInteger after = BigInteger.valueOf(first).add(BigInteger.valueOf(increment).multiply(BigInteger.valueOf(available)));
        boolean lastBlock = after.compareTo(BigInteger.valueOf(maxValue)) > 0
            || after.compareTo(BigInteger.valueOf(minValue)) < 0;
        txn.put(highWaterKey, lastBlock ? EXHAUSTED : ByteBuffer.allocate(8).putLong(after.longValueExact()).array());
        txn.commit();
        next = first;
        remaining = available;
        return;
      } catch (WriteConflictException e) {
        if (attempt == RESERVE_RETRIES) {
          throw e;
        }
      }
    }
  }

  private ShaleException exhausted() {
    return new ShaleException(SqlState.SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
        "nextval: reached " + (increment > 0 ? "maximum value of sequence \"" + name + "\" (" + maxValue + ")"
            : "minimum value of sequence \"" + name + "\" (" + minValue + ")"));
  }
}
