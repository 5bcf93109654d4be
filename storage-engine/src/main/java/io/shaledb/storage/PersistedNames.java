package io.shaledb.storage;

/**
 * Every name a node writes to disk: the files of its data directory, the MapDB maps in its
 * database and the keys of its metadata map ({@link NodeStorage#getMeta}). They are forever: a
 * renamed constant makes an existing data directory look empty or loses state without an error,
 * so each one is declared here once and {@code PersistedNamesTest} pins its value. Keyspace ids
 * live in {@link io.shaledb.kv.Keyspaces} (the SQL layer, which does not see this module, uses
 * them); the same test pins them.
 */
public final class PersistedNames {
  // Files of the data directory.
  public static final String DATA_FILE = "shaledb.db";
  public static final String LOG_FILE = "shaledb.redo";
  /** The database a compaction copies into, renamed over {@link #DATA_FILE} when done. */
  public static final String COMPACTING_DATA_FILE = "shaledb.db.compacting";
  public static final String COMPACTING_LOG_FILE = "shaledb.redo.compacting";
  /** The server's lock on its data directory: names the process holding it. */
  public static final String LOCK_FILE = "shaledb.lock";

  // MapDB maps of the node's database.
  /** The shards this node stores (shard id → true). */
  public static final String SHARDS_MAP = "shards";
  /** The node's metadata: the keys below → bytes. */
  public static final String META_MAP = "meta";
  static final String SHARD_MAP_PREFIX = "shard.";
  static final String VERSIONS_MAP_SUFFIX = ".versions";
  static final String LOCKS_MAP_SUFFIX = ".locks";
  static final String TXNS_MAP_SUFFIX = ".txns";

  // Keys of the metadata map.
  /** The store's size right after the last compaction (8 bytes). */
  public static final String COMPACTED_BYTES_META = "storage.compacted.bytes";
  /** The local timestamp oracle's persisted upper bound (8 bytes): it starts above it after a restart. */
  public static final String TSO_UPPER_BOUND_META = "tso.upper-bound-exclusive";
  /** The floor below which old versions were collected (8 bytes): no read may start below it. */
  public static final String GC_FLOOR_META = "txn.gc.floor";
  /** The single-node store's keyspaces and their shards. */
  public static final String KEYSPACES_META = "cluster.keyspaces";
  /** This node's id in its cluster (4 bytes); present only on a cluster node's storage. */
  public static final String NODE_ID_META = "cluster.node-id";
  /** The metadata node's member list. */
  public static final String MEMBERS_META = "cluster.members";
  /** The metadata node's shard map. */
  public static final String SHARD_MAP_META = "cluster.shard-map";
  /** The metadata node's next shard id (4 bytes). */
  public static final String NEXT_SHARD_ID_META = "cluster.next-shard-id";
  /**
   * A replica group's store: the Raft term and index (8 + 8 bytes) of the last log entry applied to
   * it, written after each entry so that the MapDB commit holding an entry's data holds its index.
   */
  public static final String REPLICA_APPLIED_META = "replica.applied";

  private PersistedNames() {}

  /** The map of shard {@code shardId}'s row versions. */
  public static String versionsMap(int shardId) {
    return SHARD_MAP_PREFIX + shardId + VERSIONS_MAP_SUFFIX;
  }

  /** The map of shard {@code shardId}'s locks. */
  public static String locksMap(int shardId) {
    return SHARD_MAP_PREFIX + shardId + LOCKS_MAP_SUFFIX;
  }

  /** The map of the transaction status records shard {@code shardId} is primary for. */
  public static String txnsMap(int shardId) {
    return SHARD_MAP_PREFIX + shardId + TXNS_MAP_SUFFIX;
  }
}
