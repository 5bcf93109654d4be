package io.shaledb.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * One transaction over a {@link KvStore}: snapshot reads at {@link #startTimestamp()}, writes
 * buffered until {@link #commit()}, read-your-own-writes.
 *
 * <p>Isolation is snapshot isolation: a commit fails with {@link WriteConflictException} (SQLSTATE
 * 40001) when another transaction committed a write to one of its keys after it started. Nothing
 * is retried on the caller's behalf. Not thread-safe.
 */
public interface Transaction extends AutoCloseable {

  long startTimestamp();

  /** The value of {@code key} at this transaction's snapshot with its own writes applied, or null. */
  byte[] get(byte[] key);

  /**
   * The values of {@code keys} as {@link #get} would return them, one after another: element
   * {@code i} of the result is the value of {@code keys.get(i)} (null if absent). All keys are read
   * at this transaction's snapshot with its own writes applied. A key may appear more than once.
   * Implementations may read the keys together (one request per shard instead of one per key), so
   * callers with many keys at hand should prefer this to a loop over {@link #get}.
   */
  default List<byte[]> getAll(List<byte[]> keys) {
    List<byte[]> values = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      values.add(get(key));
    }
    return values;
  }

  /**
   * The entries in {@link ScanSpec}'s range in ascending key order, at this transaction's snapshot
   * with its own writes applied. The cursor must be closed; it is invalid after commit or rollback.
   */
  KvCursor scan(ScanSpec spec);

  /** Buffers a write of {@code value} to {@code key}. The arrays must not be changed afterwards. */
  void put(byte[] key, byte[] value);

  /** Buffers a delete of {@code key}; deleting an absent key is allowed. */
  void delete(byte[] key);

  /** Whether this transaction has buffered any write. */
  boolean hasWrites();

  /**
   * Makes all buffered writes durable and visible atomically, or none of them.
   *
   * @throws WriteConflictException when another transaction wrote one of the keys since this one
   *     started; the transaction is then rolled back
   */
  void commit();

  /** Discards all buffered writes. Idempotent; allowed after a failed commit. */
  void rollback();

  /** Whether commit or rollback may still be called. */
  boolean isActive();

  /** Rolls back if still active. */
  @Override
  void close();
}
