package io.shaledb.cluster.embedded;

import io.shaledb.cluster.local.LocalKvStore;
import io.shaledb.cluster.local.LocalKvStoreConfig;
import io.shaledb.sql.exec.ShaleEngine;
import io.shaledb.sql.exec.SqlEngineConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.time.Clock;

/**
 * A one-node cluster inside the current process: the node's storage, its transactional KV store
 * (local timestamp oracle, all shards local) and the SQL engine over it.
 */
public final class EmbeddedNode implements AutoCloseable {
  private final NodeStorage storage;
  private final LocalKvStore kv;
  private final ShaleEngine engine;

  private EmbeddedNode(NodeStorage storage, LocalKvStore kv, ShaleEngine engine) {
    this.storage = storage;
    this.kv = kv;
    this.engine = engine;
  }

  /** Opens the node whose data is described by {@code storageConfig}, with the default SQL settings. */
  public static EmbeddedNode open(StorageConfig storageConfig) {
    return open(storageConfig, new SqlEngineConfig(storageConfig.clock(), SqlEngineConfig.DEFAULT_SHARD_COUNT));
  }

  /** Opens the node whose data is described by {@code storageConfig}. */
  public static EmbeddedNode open(StorageConfig storageConfig, SqlEngineConfig sqlConfig) {
    Clock clock = storageConfig.clock();
    NodeStorage storage = NodeStorage.open(storageConfig);
    try {
      LocalKvStore kv = new LocalKvStore(storage, LocalKvStoreConfig.defaults(), clock);
      try {
        ShaleEngine engine = ShaleEngine.open(kv, sqlConfig);
        return new EmbeddedNode(storage, kv, engine);
      } catch (RuntimeException e) {
        kv.close();
        throw e;
      }
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  public ShaleEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    try {
      engine.close();
      kv.close();
    } finally {
      storage.close();
    }
  }
}
