package io.shaledb.storage;

import java.util.Set;

/**
 * All shards of one node in one MapDB database (a file under the data directory, or memory), so
 * that one write-ahead log and one sync serve every shard a commit touches.
 *
 * <p>Thread-safe. Writes become durable only at {@link #sync()}; nothing is acknowledged to a
 * client before the sync that covers it.
 */
public interface NodeStorage extends AutoCloseable {

  /** Opens (creating if needed) the storage described by {@code config}. */
  static NodeStorage open(StorageConfig config) {
    return MapDbNodeStorage.open(config);
  }

  /** Creates shard {@code shardId} if absent and returns it. Durable at the next sync. */
  ShardStore createShard(int shardId);

  /**
   * The existing shard {@code shardId}.
   *
   * @throws IllegalStateException if there is no such shard
   */
  ShardStore shard(int shardId);

  /** Removes a shard and everything in it. Idempotent. Durable at the next sync. */
  void dropShard(int shardId);

  Set<Integer> shardIds();

  /** A small named value kept beside the shards (timestamp oracle bound, keyspace registry), or null. */
  byte[] getMeta(String name);

  /** Stores a small named value; durable at the next sync. */
  void putMeta(String name, byte[] value);

  /**
   * Durability barrier: returns once every write made to this storage (any shard, any thread, and
   * meta) before the call is durable. Concurrent callers share one log sync (group commit). A no-op
   * for in-memory storage.
   */
  void sync();

  /**
   * The bytes the MapDB store occupies, free space inside it included, as of the last commit in
   * file mode. MapDB reuses a freed record only for one of exactly its size, so free space can grow
   * under churn until {@link #compact} gives it back. In file mode the data file on disk is this
   * length rounded up to whole mapped slices.
   */
  long storeBytes();

  /**
   * Rewrites the store with only its live entries and swaps it in atomically, so that the space of
   * removed entries (MVCC garbage collection, dropped shards) and the free space MapDB cannot reuse
   * are given back; the file shrinks to the new store. Reads and writes of every shard go on
   * meanwhile (writes are shut out only for the final swap); creating and dropping shards wait.
   * Crash-safe: a crash at any moment leaves the old or the new store, each with every write made
   * durable before the crash.
   */
  CompactionResult compact();

  /**
   * {@link #compact} when the store has grown to more than twice its size after the previous
   * compaction (the size its live entries took then) and past a few megabytes; otherwise nothing.
   * Meant to run after garbage collection.
   */
  CompactionResult compactIfWasteful();

  /** Whether this storage survives the process (file-backed). */
  boolean isDurable();

  @Override
  void close();
}
