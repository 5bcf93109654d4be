package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.cluster.rpc.RpcClient;
import io.shaledb.cluster.rpc.RpcClientConfig;
import io.shaledb.cluster.rpc.RpcServer;
import io.shaledb.cluster.rpc.RpcServerConfig;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvStore;
import io.shaledb.sql.session.ShaleEngine;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.Sleeper;
import io.shaledb.txn.TransactionCoordinator;
import io.shaledb.txn.local.LocalKvStoreConfig;
import io.shaledb.txn.local.VersionCollector;
import io.shaledb.txn.tso.TimestampOracle;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node of a multi-node cluster, in this process: its storage (the shards the shard map puts
 * here), its RPC listener serving other nodes, its transactional view of the whole cluster
 * ({@link ClusterKvStore}) and the SQL engine over it.
 *
 * <p>Opening joins the cluster: the metadata node (node 1) loads the membership and shard map from
 * its storage; any other node announces itself to a node of {@link ClusterConfig#join()}, retrying
 * until {@link ClusterConfig#joinTimeout()}. Maintenance runs in the background: locks whose
 * coordinator stopped renewing them (it crashed, on any node) are resolved every few seconds,
 * membership and shard map are refreshed, and old versions are garbage-collected.
 */
public final class ClusterNode implements AutoCloseable {
  static final String NODE_ID_META = PersistedNames.NODE_ID_META;
  private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
  private static final Duration LOCK_SWEEP_INTERVAL = Duration.ofSeconds(2);
  private static final Duration METADATA_REFRESH_INTERVAL = Duration.ofSeconds(5);
  private static final int SCAN_PAGE_ITEMS = 1024;

  private final ClusterConfig config;
  private final NodeStorage storage;
  private final RpcClient rpcClient;
  private final ClusterClient client;
  private final RpcServer rpcServer;
  private final ClusterDirectory directory;
  private final MetadataAccess metadata;
  private final TransactionCoordinator coordinator;
  private final ClusterKvStore kv;
  private final ShaleEngine engine;
  private final ScheduledExecutorService maintenance;
  private volatile String sqlAddress;

  private ClusterNode(Builder b) {
    this.config = b.config;
    this.storage = b.storage;
    this.rpcClient = b.rpcClient;
    this.client = b.client;
    this.rpcServer = b.rpcServer;
    this.directory = b.directory;
    this.metadata = b.metadata;
    this.coordinator = b.coordinator;
    this.kv = b.kv;
    this.engine = b.engine;
    this.maintenance = b.maintenance;
    this.sqlAddress = b.sqlAddress;
  }

  /** Everything {@link #open} builds, collected so a failure half-way can close what exists. */
  private static final class Builder {
    ClusterConfig config;
    NodeStorage storage;
    RpcClient rpcClient;
    ClusterClient client;
    RpcServer rpcServer;
    ClusterDirectory directory;
    MetadataAccess metadata;
    TransactionCoordinator coordinator;
    ClusterKvStore kv;
    ShaleEngine engine;
    ScheduledExecutorService maintenance;
    String sqlAddress;

    void closeAll() {
      if (maintenance != null) {
        maintenance.shutdownNow();
      }
      if (engine != null) {
        engine.close();
      }
      if (kv != null) {
        kv.close();
      }
      if (rpcServer != null) {
        rpcServer.close();
      }
      if (rpcClient != null) {
        rpcClient.close();
      }
      if (storage != null) {
        storage.close();
      }
    }
  }

  /**
   * Opens the node and joins the cluster.
   *
   * @param sqlAddress {@code host:port} of the node's SQL endpoint, as shown to other nodes
   * @throws IllegalStateException if the data directory belongs to another node or to a single-node database
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if the cluster could not be reached in time
   */
  public static ClusterNode open(
      ClusterConfig config, StorageConfig storageConfig, SqlEngineConfig sqlConfig, String sqlAddress) {
    Builder b = new Builder();
    b.config = config;
    b.sqlAddress = sqlAddress;
    Clock clock = storageConfig.clock();
    LocalKvStoreConfig kvConfig = LocalKvStoreConfig.defaults().withVersionRetention(sqlConfig.retention());
    try {
      b.storage = NodeStorage.open(storageConfig);
      claimDataDirectory(b.storage, config.nodeId());
      b.rpcClient = new RpcClient(new RpcClientConfig(config.nodeId(), config.clusterSecret(),
          config.requestTimeout(), config.requestTimeout(), RpcServerConfig.DEFAULT_MAX_FRAME_BYTES));
      b.client = new ClusterClient(b.rpcClient, config.requestTimeout(), new Membership(List.of()));
      boolean metadataNode = config.nodeId() == ClusterClient.METADATA_NODE_ID;
      TimestampOracle oracle;
      if (metadataNode) {
        oracle = TimestampOracle.openLocal(b.storage, clock, kvConfig.timestampWindowMs());
      } else {
        oracle = new RemoteTimestampOracle(b.client);
      }
      // The metadata service needs this node's RPC address, known once the listener is bound;
      // until then requests for it are refused by the handler below.
      MetadataServiceHolder holder = new MetadataServiceHolder();
      b.metadata = metadataNode ? holder : MetadataAccess.remote(b.client);
      b.directory = new ClusterDirectory(config.nodeId(), b.storage, b.client, () -> b.metadata.shardMap(), SCAN_PAGE_ITEMS,
          oracle::next);
      b.coordinator = new TransactionCoordinator(b.directory, oracle, kvConfig.txn(), clock, new Random(), Sleeper.system());
      NodeRpcHandler handler =
          new NodeRpcHandler(config.nodeId(), b.storage, oracle, b.metadata, b.coordinator, metadataNode);
      b.rpcServer = RpcServer.start(
          new RpcServerConfig(config.rpcHost(), config.rpcPort(), config.nodeId(), config.clusterSecret(),
              RpcServerConfig.DEFAULT_WORKER_THREADS, RpcServerConfig.DEFAULT_MAX_FRAME_BYTES),
          handler);
      Member self = new Member(config.nodeId(), config.advertisedHost() + ":" + b.rpcServer.port(), sqlAddress);
      if (metadataNode) {
        holder.set(MetadataService.load(
            b.storage, self, new NodeShardHosts(config.nodeId(), b.storage, b.client), b.client::updateMembership));
      } else {
        b.client.updateMembership(join(b.client, config, self));
      }
      b.directory.refresh();
      b.coordinator.raiseReadableFloor(VersionCollector.storedFloor(b.storage));
      VersionCollector collector = new VersionCollector(b.storage, b.directory::localParticipants, b.coordinator, clock,
          kvConfig.versionRetention(), () -> oldestSnapshotOfOthers(b.client, config.nodeId()));
      b.kv = new ClusterKvStore(oracle, b.directory, b.metadata, b.coordinator, collector);
      b.engine = ShaleEngine.open(b.kv, sqlConfig);
      ShaleEngine engine = b.engine;
      ClusterDirectory directory = b.directory;
      handler.onCatalogChanged(() -> {
        directory.refresh();
        engine.reloadFromStore();
      });
      ClusterClient client = b.client;
      engine.addChangeListener(() -> announceCatalogChange(client, config.nodeId()));
      b.maintenance = Executors.newScheduledThreadPool(1, r -> {
        Thread thread = new Thread(r, "shaledb-node-" + config.nodeId() + "-maintenance");
        thread.setDaemon(true);
        return thread;
      });
      ClusterNode node = new ClusterNode(b);
      node.scheduleMaintenance(collector, kvConfig.gcInterval());
      LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " is up; RPC on " + self.rpcAddress() + ", "
          + node.client.membership().members().size() + " members");
      return node;
    } catch (RuntimeException | Error e) {
      b.closeAll();
      throw e;
    }
  }

  private void scheduleMaintenance(VersionCollector collector, Duration gcInterval) {
    every(LOCK_SWEEP_INTERVAL, "resolving expired locks", () -> {
      int resolved = coordinator.resolveExpiredLocks(directory.localParticipants());
      if (resolved > 0) {
        LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " resolved " + resolved + " expired locks");
      }
    });
    every(METADATA_REFRESH_INTERVAL, "refreshing cluster metadata", () -> {
      if (config.nodeId() != ClusterClient.METADATA_NODE_ID) {
        client.updateMembership(metadata.membership());
        Member self = client.membership().find(config.nodeId()).orElse(null);
        Member wanted = new Member(config.nodeId(), config.advertisedHost() + ":" + rpcServer.port(), sqlAddress);
        if (!wanted.equals(self)) {
          client.updateMembership(metadata.join(wanted));
        }
      }
      directory.refresh();
      engine.reloadFromStore();
    });
    every(gcInterval, "garbage collection", collector::collect);
  }

  private void every(Duration interval, String what, Runnable task) {
    maintenance.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // Typically another node is down; the next round tries again.
        LOG.log(System.Logger.Level.DEBUG, "node " + config.nodeId() + ": " + what + " failed: " + e.getMessage());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public ShaleEngine engine() {
    return engine;
  }

  /** The node's transactional store, as its SQL engine uses it. */
  KvStore kv() {
    return kv;
  }

  /** The node's storage: the shards it holds. */
  NodeStorage storage() {
    return storage;
  }

  /** The node's client of the other nodes' RPC endpoints (and its own). */
  ClusterClient client() {
    return client;
  }

  public int nodeId() {
    return config.nodeId();
  }

  /** The port the RPC listener is bound to. */
  public int rpcPort() {
    return rpcServer.port();
  }

  /** The members as this node last learned them. */
  public Membership membership() {
    return client.membership();
  }

  /** Records where this node's SQL endpoint listens, once it does; other nodes learn it at the next refresh. */
  public void announceSqlAddress(String address) {
    sqlAddress = address;
  }

  /** Resolves the expired locks of this node's shards now rather than at the next sweep; for tests. */
  public int resolveExpiredLocks() {
    return coordinator.resolveExpiredLocks(directory.localParticipants());
  }

  /** Stops serving and closes the storage. */
  @Override
  public void close() {
    maintenance.shutdownNow();
    try {
      maintenance.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      engine.close();
      kv.close();
    } finally {
      try {
        rpcServer.close();
        rpcClient.close();
      } finally {
        storage.close();
      }
    }
  }

  /** Records which node the data directory belongs to, refusing one of another node or of a single-node database. */
  private static void claimDataDirectory(NodeStorage storage, int nodeId) {
    byte[] stored = storage.getMeta(NODE_ID_META);
    if (stored != null) {
      int owner = ByteBuffer.wrap(stored).getInt();
      if (owner != nodeId) {
        throw new IllegalStateException("the data directory belongs to node " + owner + ", not node " + nodeId);
      }
      return;
    }
    if (!storage.shardIds().isEmpty()) {
      throw new IllegalStateException(
          "the data directory holds a single-node database; a cluster node needs a new (empty) data directory");
    }
    storage.putMeta(NODE_ID_META, ByteBuffer.allocate(Integer.BYTES).putInt(nodeId).array());
    storage.sync();
  }

  /** Announces {@code self} to the nodes to join, in turn, until one answers or the join timeout passes. */
  private static Membership join(ClusterClient client, ClusterConfig config, Member self) {
    long deadline = System.nanoTime() + config.joinTimeout().toNanos();
    long pauseMs = 100;
    RuntimeException last = null;
    while (true) {
      for (PeerAddress address : config.join()) {
        try {
          return client.call(address, new ClusterRequest.Join(self));
        } catch (ShaleException e) {
          last = e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ShaleException(SqlState.CONNECTION_FAILURE, "node " + config.nodeId() + " could not join the cluster at "
            + config.join() + " within " + config.joinTimeout().toSeconds() + " s: " + last.getMessage(), last);
      }
      LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " waiting for the cluster at " + config.join()
          + ": " + last.getMessage());
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShaleException(SqlState.CONNECTION_FAILURE, "interrupted while joining the cluster");
      }
      pauseMs = Math.min(2_000, pauseMs * 2);
    }
  }

  private static long oldestSnapshotOfOthers(ClusterClient client, int selfNodeId) {
    long oldest = Long.MAX_VALUE;
    for (Member member : client.membership().members()) {
      if (member.nodeId() != selfNodeId) {
        oldest = Math.min(oldest, client.call(member.nodeId(), new ClusterRequest.OldestActiveSnapshot()));
      }
    }
    return oldest;
  }

  private static void announceCatalogChange(ClusterClient client, int selfNodeId) {
    for (Member member : client.membership().members()) {
      if (member.nodeId() != selfNodeId) {
        // Best effort: a node that misses it notices at its next refresh or unknown name.
        client.callAsync(member.nodeId(), new ClusterRequest.CatalogChanged());
      }
    }
  }
}
