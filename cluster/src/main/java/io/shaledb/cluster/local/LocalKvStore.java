package io.shaledb.cluster.local;

import io.shaledb.cluster.tso.HybridTimestamps;
import io.shaledb.cluster.tso.TimestampOracle;
import io.shaledb.cluster.txn.Sleeper;
import io.shaledb.cluster.txn.TransactionCoordinator;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.NodeStorage;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The {@link KvStore} of a single node, in process: keyspaces from a durable registry, keys
 * routed to shards by {@link KeyRouting}, timestamps from a local oracle and Percolator-style
 * transactions over the node's {@link NodeStorage}.
 *
 * <p>Opening it recovers from a crash: every lock left in the storage belongs to a coordinator that
 * died with the previous process, so each is rolled forward if its transaction committed and rolled
 * back otherwise. The store does not own the storage: closing it leaves the storage open.
 * Thread-safe.
 */
public final class LocalKvStore implements KvStore {
  private final TimestampOracle oracle;
  private final KeyspaceRegistry registry;
  private final LocalParticipantDirectory directory;
  private final TransactionCoordinator coordinator;
  private final int locksResolvedAtOpen;
  private volatile boolean closed;

  public LocalKvStore(NodeStorage storage, LocalKvStoreConfig config, Clock clock) {
    this(storage, config, clock, new Random(), Sleeper.system());
  }

  /**
   * @param random back-off jitter; must be thread-safe
   * @param sleeper how lock-wait back-off pauses
   */
  public LocalKvStore(
      NodeStorage storage, LocalKvStoreConfig config, Clock clock, RandomGenerator random, Sleeper sleeper) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    this.oracle = TimestampOracle.openLocal(storage, clock, config.timestampWindowMs());
    this.registry = KeyspaceRegistry.load(storage);
    this.directory = new LocalParticipantDirectory(storage, registry);
    this.coordinator = new TransactionCoordinator(directory, oracle, config.txn(), clock, random, sleeper);
    this.locksResolvedAtOpen = coordinator.resolveLocksOfDeadCoordinators(directory.allParticipants());
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
    return coordinator.beginReadOnlyAt(readTimestamp);
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
    if (epochMillis < 0) {
      return 0;
    }
    if (epochMillis > HybridTimestamps.MAX_EPOCH_MILLIS) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "instant out of range: " + epochMillis + " ms");
    }
    return oracle.timestampAt(epochMillis);
  }

  /** Refuses new work; the storage stays open (its opener closes it). */
  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }
}
