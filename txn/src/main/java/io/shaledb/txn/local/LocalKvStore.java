package io.shaledb.txn.local;

import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.txn.Sleeper;
import io.shaledb.txn.TransactionCoordinator;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KeyRouting;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.NodeStorage;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The {@link KvStore} of a single node, in process: keyspaces from a durable registry, keys
 * routed to shards by {@link KeyRouting}, timestamps from a local oracle and Percolator-style
 * transactions over the node's {@link NodeStorage}.
 *
 * <p>Opening it recovers from a crash: every lock left in the storage belongs to a coordinator that
 * died with the previous process, so each is rolled forward if its transaction committed and rolled
 * back otherwise. The store does not own the storage: closing it leaves the storage open.
 *
 * <p>Old row versions stay readable for {@link LocalKvStoreConfig#versionRetention()}; garbage
 * collection then removes them, but never what a transaction in progress reads.
 * Thread-safe.
 */
public final class LocalKvStore implements KvStore {
  private static final System.Logger LOG = System.getLogger(LocalKvStore.class.getName());

  /** Where a node of a cluster records its id (see {@code ClusterNode}). */
  private static final String CLUSTER_NODE_META = PersistedNames.NODE_ID_META;

  private final TimestampOracle oracle;
  private final KeyspaceRegistry registry;
  private final LocalParticipantDirectory directory;
  private final TransactionCoordinator coordinator;
  private final VersionCollector collector;
  private final ScheduledFuture<?> scheduledCollection;
  private final int locksResolvedAtOpen;
  private volatile boolean closed;

  /** A store that collects garbage only when {@link #collectGarbage()} is called. */
  public LocalKvStore(NodeStorage storage, LocalKvStoreConfig config, Clock clock) {
    this(storage, config, clock, new Random(), Sleeper.system(), null);
  }

  /** A store that collects garbage only when {@link #collectGarbage()} is called. */
  public LocalKvStore(
      NodeStorage storage, LocalKvStoreConfig config, Clock clock, RandomGenerator random, Sleeper sleeper) {
    this(storage, config, clock, random, sleeper, null);
  }

  /**
   * @param random back-off jitter; must be thread-safe
   * @param sleeper how lock-wait back-off pauses
   * @param gcScheduler runs a garbage collection pass every {@link LocalKvStoreConfig#gcInterval()}
   *     until the store closes; the caller owns it. Null: only {@link #collectGarbage()} collects.
   */
  public LocalKvStore(
      NodeStorage storage,
      LocalKvStoreConfig config,
      Clock clock,
      RandomGenerator random,
      Sleeper sleeper,
      ScheduledExecutorService gcScheduler) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    if (storage.getMeta(CLUSTER_NODE_META) != null) {
      // Its shard map lives on the cluster's metadata node: opened alone, every shard would look
      // like an orphan of an interrupted CREATE and be dropped.
      throw new IllegalStateException("the data directory belongs to node "
          + java.nio.ByteBuffer.wrap(storage.getMeta(CLUSTER_NODE_META)).getInt()
          + " of a cluster; start it with its --node-id and cluster options");
    }
    this.oracle = TimestampOracle.openLocal(storage, clock, config.timestampWindowMs());
    this.registry = KeyspaceRegistry.load(storage);
    this.directory = new LocalParticipantDirectory(storage, registry, oracle::next);
    this.coordinator = new TransactionCoordinator(directory, oracle, config.txn(), clock, random, sleeper);
    this.locksResolvedAtOpen = coordinator.resolveLocksOfDeadCoordinators(directory.allParticipants());
    coordinator.raiseReadableFloor(VersionCollector.storedFloor(storage));
    this.collector =
        new VersionCollector(
            storage, directory::allParticipants, coordinator, clock, config.versionRetention(), () -> Long.MAX_VALUE);
    if (gcScheduler == null) {
      this.scheduledCollection = null;
    } else {
      long intervalMs = config.gcInterval().toMillis();
      this.scheduledCollection =
          gcScheduler.scheduleWithFixedDelay(this::collectInBackground, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Runs one garbage collection pass now: removes the row versions, tombstones and transaction
   * records that no read inside the retention window, and no transaction in progress, needs.
   */
  public GcReport collectGarbage() {
    checkOpen();
    return collector.collect();
  }

  /** Transactions begun and not yet ended; each holds back garbage collection at its snapshot. */
  public int activeTransactionCount() {
    return coordinator.activeTransactionCount();
  }

  private void collectInBackground() {
    if (closed) {
      return;
    }
    try {
      collector.collect();
    } catch (RuntimeException e) {
      // The next pass tries again; a throwing task would be cancelled by the scheduler for good.
      if (!closed) {
        LOG.log(System.Logger.Level.WARNING, "garbage collection pass failed", e);
      }
    }
  }

  /** How many locks left by the previous process were resolved when this store opened. */
  public int locksResolvedAtOpen() {
    return locksResolvedAtOpen;
  }

  @Override
  public Transaction begin() {
    checkOpen();
    return coordinator.begin();
  }

  /** Reads as of {@code readTimestamp}, or as of now if that is in the future. */
  @Override
  public Transaction beginReadOnlyAt(long readTimestamp) {
    checkOpen();
    return coordinator.beginReadOnlyAt(readTimestamp, collector.retentionStart());
  }

  @Override
  public long oldestReadableTimestamp() {
    checkOpen();
    return collector.oldestReadableTimestamp();
  }

  /**
   * @throws IllegalArgumentException if the id or shard count (1 to 1024) is out of range
   * @throws IllegalStateException if the keyspace exists with another shard count
   */
  @Override
  public void createKeyspace(int keyspaceId, int shardCount) {
    checkOpen();
    registry.create(keyspaceId, shardCount);
  }

  @Override
  public void dropKeyspace(int keyspaceId) {
    checkOpen();
    registry.drop(keyspaceId).ifPresent(layout -> directory.forget(layout.shardIds()));
  }

  @Override
  public boolean keyspaceExists(int keyspaceId) {
    checkOpen();
    return registry.find(keyspaceId).isPresent();
  }

  /** A fresh timestamp: a read at it sees every transaction committed before the call. */
  @Override
  public long currentTimestamp() {
    checkOpen();
    return oracle.next();
  }

  /**
   * The largest timestamp of millisecond {@code epochMillis}; instants before 1970 map to 0 (the
   * empty store).
   *
   * @throws ShaleException {@link SqlState#INVALID_PARAMETER_VALUE} if the instant is too far in the future
   */
  @Override
  public long timestampAt(long epochMillis) {
    return oracle.readTimestampAt(epochMillis);
  }

  /** Refuses new work; the storage stays open (its opener closes it). */
  @Override
  public void close() {
    closed = true;
    if (scheduledCollection != null) {
      scheduledCollection.cancel(false);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }
}
