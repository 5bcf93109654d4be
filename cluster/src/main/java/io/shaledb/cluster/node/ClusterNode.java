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
import io.shaledb.cluster.metadata.LeaderTimestamps;
import io.shaledb.cluster.metadata.MetadataCommand;
import io.shaledb.cluster.metadata.MetadataEvents;
import io.shaledb.cluster.metadata.MetadataGroup;
import io.shaledb.cluster.metadata.MetadataState;
import io.shaledb.cluster.metadata.MetadataStateMachine;
import io.shaledb.cluster.raft.NodeRaftServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Opening joins the cluster through the metadata Raft group ({@link MetadataGroup}), which holds
 * the membership, the shard map and the timestamp oracle's bound on every node: see
 * {@link #joinMetadataGroup}. Maintenance runs in the background: locks whose
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
  private final NodeRaftServer raft;
  private final MetadataGroup group;
  private final MetadataTimestampOracle oracle;
  private final ClusterDirectory directory;
  private final MetadataService metadata;
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
    this.raft = b.raft;
    this.group = b.group;
    this.oracle = b.oracle;
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
    NodeRaftServer raft;
    MetadataGroup group;
    MetadataTimestampOracle oracle;
    ClusterDirectory directory;
    MetadataService metadata;
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
      if (oracle != null) {
        oracle.close();
      }
      if (rpcServer != null) {
        rpcServer.close();
      }
      if (group != null) {
        group.close();
      }
      if (raft != null) {
        raft.close();
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
      ClusterClient client = b.client;
      MetadataGroupHolder groupHolder = new MetadataGroupHolder();
      MetadataStateMachine stateMachine = new MetadataStateMachine(new MetadataEvents() {
        @Override
        public void applied(MetadataCommand command, MetadataState state) {
          client.updateMembership(state.membership());
          if (command == null || command instanceof MetadataCommand.Join) {
            groupHolder.reconcileSoon();
          }
        }

        @Override
        public void leaderReady() {
          groupHolder.reconcileSoon();
        }
      });
      b.raft = NodeRaftServer.start(config.raftSettings(raftDirectory(storageConfig)), config.advertisedHost(),
          config.clusterSecret(), clock, groupId -> {
            if (!MetadataGroup.GROUP_ID.equals(groupId)) {
              throw new IllegalStateException("unknown Raft group " + groupId);
            }
            return stateMachine;
          });
      b.group = new MetadataGroup(b.raft, stateMachine);
      groupHolder.set(b.group);
      b.oracle = new MetadataTimestampOracle(config.nodeId(), b.group,
          new LeaderTimestamps(b.group, clock, kvConfig.timestampWindowMs()), b.client, failoverTimeout(config));
      TimestampOracle oracle = b.oracle;
      MetadataService metadata = new MetadataService(b.group, new NodeShardHosts(config.nodeId(), b.storage, b.client));
      b.metadata = metadata;
      b.directory = new ClusterDirectory(config.nodeId(), b.storage, b.client, metadata::latestShardMap, SCAN_PAGE_ITEMS,
          oracle::next);
      b.coordinator = new TransactionCoordinator(b.directory, oracle, kvConfig.txn(), clock, new Random(), Sleeper.system());
      NodeRpcHandler handler = new NodeRpcHandler(config.nodeId(), b.storage, b.oracle, b.metadata, b.coordinator);
      b.rpcServer = RpcServer.start(
          new RpcServerConfig(config.rpcHost(), config.rpcPort(), config.nodeId(), config.clusterSecret(),
              RpcServerConfig.DEFAULT_WORKER_THREADS, RpcServerConfig.DEFAULT_MAX_FRAME_BYTES),
          handler);
      Member self = member(config, b.rpcServer.port(), sqlAddress, b.raft);
      joinMetadataGroup(b.group, metadata, b.client, config, self);
      b.directory.refresh();
      b.coordinator.raiseReadableFloor(VersionCollector.storedFloor(b.storage));
      VersionCollector collector = new VersionCollector(b.storage, b.directory::localParticipants, b.coordinator, clock,
          kvConfig.versionRetention(), () -> oldestSnapshotOfOthers(b.client, config.nodeId()));
      b.kv = new ClusterKvStore(oracle, b.directory, b.metadata, b.coordinator, collector);
      b.engine = ShaleEngine.open(b.kv,
          sqlConfig.withClusterNodes(new ClusterNodesStatus(config.nodeId(), b.group, b.client)));
      ShaleEngine engine = b.engine;
      ClusterDirectory directory = b.directory;
      handler.onCatalogChanged(() -> {
        directory.refresh();
        engine.reloadFromStore();
      });
      engine.addChangeListener(() -> announceCatalogChange(client, config.nodeId()));
      b.maintenance = Executors.newScheduledThreadPool(1, r -> {
        Thread thread = new Thread(r, "shaledb-node-" + config.nodeId() + "-maintenance");
        thread.setDaemon(true);
        return thread;
      });
      ClusterNode node = new ClusterNode(b);
      node.scheduleMaintenance(collector, kvConfig.gcInterval());
      LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " is up; RPC on " + self.rpcAddress() + ", Raft on "
          + self.raftAddress() + " as " + self.raftPeerId() + ", " + node.client.membership().members().size() + " members");
      return node;
    } catch (RuntimeException | Error e) {
      b.closeAll();
      throw e;
    }
  }

  /** Raft storage: beside the node's data, or in a directory of its own for an in-memory node. */
  private static Path raftDirectory(StorageConfig storageConfig) {
    if (storageConfig.directory() != null) {
      return storageConfig.directory().resolve("raft");
    }
    try {
      return Files.createTempDirectory("shaledb-raft-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How long a timestamp request keeps retrying while the metadata group elects a new leader. */
  private static Duration failoverTimeout(ClusterConfig config) {
    return config.electionTimeoutMax().multipliedBy(2).plus(config.requestTimeout());
  }

  private static Member member(ClusterConfig config, int rpcPort, String sqlAddress, NodeRaftServer raft) {
    return new Member(config.nodeId(), config.advertisedHost() + ":" + rpcPort, sqlAddress,
        raft.self().getId().toString(), raft.self().getAddress());
  }

  /**
   * Makes this node a member of the metadata group: the first start of a node without {@code --join}
   * creates the group; a node that holds no replica yet announces itself to a member of
   * {@code --join}, which submits it to the group (the leader then adds this node's replica); a
   * node restarting with its replica waits for a leader and re-announces its addresses if they changed.
   */
  private static void joinMetadataGroup(MetadataGroup group, MetadataService metadata, ClusterClient client,
      ClusterConfig config, Member self) {
    if (!group.hosted() && config.join().isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " creates the metadata group");
      group.bootstrap();
      client.updateMembership(awaitJoin(config, () -> metadata.join(self)));
      return;
    }
    if (!group.hosted()) {
      group.prepareToJoin();
      Membership membership = awaitJoin(config, () -> joinThrough(client, config, self));
      group.learnPeers(membership);
      client.updateMembership(membership);
      return;
    }
    // A restarting node waits, like a joining one, until the group has a leader again (a majority
    // of voters is up): it cannot take a timestamp before.
    client.updateMembership(awaitJoin(config, () -> {
      group.readLatest();
      return metadata.join(self);
    }));
  }

  private static Membership joinThrough(ClusterClient client, ClusterConfig config, Member self) {
    ShaleException last = null;
    for (PeerAddress address : config.join()) {
      try {
        return client.call(address, new ClusterRequest.Join(self));
      } catch (ShaleException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Runs {@code attempt} until it succeeds or the join timeout passes. */
  private static Membership awaitJoin(ClusterConfig config, java.util.function.Supplier<Membership> attempt) {
    long deadline = System.nanoTime() + config.joinTimeout().toNanos();
    long pauseMs = 100;
    while (true) {
      try {
        return attempt.get();
      } catch (ShaleException e) {
        if (System.nanoTime() > deadline) {
          throw new ShaleException(SqlState.CONNECTION_FAILURE, "node " + config.nodeId() + " could not join the cluster at "
              + config.join() + " within " + config.joinTimeout().toSeconds() + " s: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " waiting for the cluster at " + config.join()
            + ": " + e.getMessage());
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShaleException(SqlState.CONNECTION_FAILURE, "interrupted while joining the cluster");
      }
      pauseMs = Math.min(2_000, pauseMs * 2);
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
      Member self = metadata.membership().find(config.nodeId()).orElse(null);
      Member wanted = member(config, rpcServer.port(), sqlAddress, raft);
      if (!wanted.equals(self)) {
        metadata.join(wanted);
      }
      group.reconcileSoon();
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
        oracle.close();
        rpcServer.close();
        group.close();
        raft.close();
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
