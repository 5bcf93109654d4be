package io.shaledb.sql.testing;

import io.shaledb.sql.session.ShaleEngine;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;

/**
 * The SQL engine over the single-node transactional store, for this module's tests: what the
 * {@code embedded} module's {@code EmbeddedNode} opens for applications, minus its garbage
 * collection thread (tests that need a pass call {@link LocalKvStore#collectGarbage()}). The tests
 * cannot use {@code EmbeddedNode} itself: the {@code embedded} module depends on this one.
 */
public final class LocalEngine implements AutoCloseable {
  private final NodeStorage storage;
  private final LocalKvStore kv;
  private final ShaleEngine engine;

  private LocalEngine(NodeStorage storage, LocalKvStore kv, ShaleEngine engine) {
    this.storage = storage;
    this.kv = kv;
    this.engine = engine;
  }

  /** Opens the engine over the data described by {@code storageConfig}, with the default SQL settings. */
  public static LocalEngine open(StorageConfig storageConfig) {
    return open(storageConfig, new SqlEngineConfig(storageConfig.clock(), SqlEngineConfig.DEFAULT_SHARD_COUNT));
  }

  /** Opens the engine over the data described by {@code storageConfig}. */
  public static LocalEngine open(StorageConfig storageConfig, SqlEngineConfig sqlConfig) {
    NodeStorage storage = NodeStorage.open(storageConfig);
    try {
      LocalKvStore kv = new LocalKvStore(
          storage, LocalKvStoreConfig.defaults().withVersionRetention(sqlConfig.retention()), storageConfig.clock());
      try {
        return new LocalEngine(storage, kv, ShaleEngine.open(kv, sqlConfig));
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

  public LocalKvStore kv() {
    return kv;
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
