package io.shaledb.kv;

/**
 * A transactional, ordered key-value store: what the SQL layer sees instead of shards, nodes and
 * sockets.
 *
 * <p>Keys are unsigned-lexicographically ordered byte strings. The first {@link Keyspaces#PREFIX_BYTES}
 * bytes of every key name its keyspace (a table or an index); a keyspace is split into shards by
 * the hash of the rest of the key, so one key lives in exactly one shard and a range scan visits
 * every shard of its keyspace. Keyspaces must exist ({@link #createKeyspace}) before keys in them
 * are written.
 *
 * <p>Implementations are thread-safe; a {@link Transaction} is used by one thread at a time.
 */
public interface KvStore extends AutoCloseable {

  /** Starts a read-write transaction whose reads see a snapshot as of a fresh start timestamp. */
  Transaction begin();

  /**
   * Starts a read-only transaction that reads the store as it was at {@code readTimestamp}
   * (time travel). Writes through it fail.
   *
   * @throws io.shaledb.common.ShaleException SQLSTATE 72000 (snapshot too old) if {@code
   *     readTimestamp} is below {@link #oldestReadableTimestamp()}
   */
  Transaction beginReadOnlyAt(long readTimestamp);

  /**
   * Creates keyspace {@code keyspaceId} with {@code shardCount} shards, durably. Idempotent when
   * the keyspace already exists with the same shard count.
   */
  void createKeyspace(int keyspaceId, int shardCount);

  /** Removes a keyspace and all its data, durably. Idempotent. */
  void dropKeyspace(int keyspaceId);

  /** Whether the keyspace exists. */
  boolean keyspaceExists(int keyspaceId);

  /** The timestamp a transaction started now would read at; for time-travel bounds. */
  long currentTimestamp();

  /**
   * The oldest timestamp {@link #beginReadOnlyAt} accepts now: old row versions are kept for a
   * retention window and garbage-collected after it, so reads before its start are refused. It
   * moves forward with time.
   */
  long oldestReadableTimestamp();

  /** Converts a wall-clock instant (epoch millis) to the timestamp that reads the store as of then. */
  long timestampAt(long epochMillis);

  @Override
  void close();
}
