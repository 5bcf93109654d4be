package io.shaledb.embedded;

import io.shaledb.sql.session.ShaleEngine;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.Sleeper;
import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A one-node cluster inside the current process: the node's storage, its transactional KV store
 * (local timestamp oracle, all shards local) and the SQL engine over it, and a maintenance thread
 * that runs garbage collection of old row versions once a minute.
 */
public final class EmbeddedNode implements AutoCloseable {
  private static final Duration MAINTENANCE_STOP_WAIT = Duration.ofSeconds(30);

  private final NodeStorage storage;
  private final ScheduledExecutorService maintenance;
  private final LocalKvStore kv;
  private final ShaleEngine engine;

  private EmbeddedNode(NodeStorage storage, ScheduledExecutorService maintenance, LocalKvStore kv, ShaleEngine engine) {
    this.storage = storage;
    this.maintenance = maintenance;
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
    ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(EmbeddedNode::maintenanceThread);
    try {
      LocalKvStore kv =
          new LocalKvStore(storage,
              // The storage keeps versions exactly as long as time travel may ask for them.
              LocalKvStoreConfig.defaults().withVersionRetention(sqlConfig.retention()), clock, new Random(), Sleeper.system(), maintenance);
      try {
        ShaleEngine engine = ShaleEngine.open(kv, sqlConfig);
        return new EmbeddedNode(storage, maintenance, kv, engine);
      } catch (RuntimeException e) {
        kv.close();
        throw e;
      }
    } catch (RuntimeException e) {
      maintenance.shutdownNow();
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
      try {
        shutDown(maintenance);
      } finally {
        storage.close();
      }
    }
  }

  /** Lets a running garbage collection pass finish, so that closing the storage does not fail it. */
  private static void shutDown(ScheduledExecutorService maintenance) {
    maintenance.shutdown();
    try {
      if (!maintenance.awaitTermination(MAINTENANCE_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        maintenance.shutdownNow();
      }
    } catch (InterruptedException e) {
      maintenance.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static Thread maintenanceThread(Runnable task) {
    Thread thread = new Thread(task, "shaledb-gc");
    thread.setDaemon(true);
    return thread;
  }
}
