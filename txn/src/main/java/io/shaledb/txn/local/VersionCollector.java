package io.shaledb.txn.local;

import io.shaledb.txn.tso.HybridTimestamps;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.TransactionCoordinator;
import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.GcResult;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.ShardStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * MVCC garbage collection of one node: picks the safe timestamp (the start of the retention
 * window, held back by the oldest transaction in progress), records it as the readable floor,
 * resolves locks left by transactions that started before it, then lets every shard remove what
 * no read at or after it needs ({@link ShardStore#collectGarbage}), and finally compacts the node's
 * store if the space freed so far is worth it ({@link NodeStorage#compactIfWasteful}).
 *
 * <p>The floor is kept in the storage's meta values, written before any removal (so it is durable
 * whenever a removal is), and restored at open: reads below it stay refused after a restart even
 * if the retention was made longer meanwhile.
 *
 * <p>In a cluster, transactions of other nodes read this node's shards too: the safe timestamp is
 * also held back by the oldest snapshot in progress anywhere. Thread-safe; passes are serialized.
 */
public final class VersionCollector {
  static final String FLOOR_META = PersistedNames.GC_FLOOR_META;

  private final NodeStorage storage;
  private final Supplier<? extends Collection<ShardParticipant>> localParticipants;
  private final TransactionCoordinator coordinator;
  private final Clock clock;
  private final Duration retention;
  private final LongSupplier otherNodesOldestSnapshot;

  /**
   * @param localParticipants the shards of {@code storage}
   * @param otherNodesOldestSnapshot the oldest snapshot in progress on the other nodes of the
   *     cluster ({@code Long.MAX_VALUE} if none); throws if it cannot be learned, which skips the pass
   */
  public VersionCollector(
      NodeStorage storage,
      Supplier<? extends Collection<ShardParticipant>> localParticipants,
      TransactionCoordinator coordinator,
      Clock clock,
      Duration retention,
      LongSupplier otherNodesOldestSnapshot) {
    this.storage = storage;
    this.localParticipants = localParticipants;
    this.coordinator = coordinator;
    this.clock = clock;
    this.retention = retention;
    this.otherNodesOldestSnapshot = otherNodesOldestSnapshot;
  }

  /** The floor an earlier process reached, or 0. */
  public static long storedFloor(NodeStorage storage) {
    byte[] stored = storage.getMeta(FLOOR_META);
    return stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
  }

  /** The first timestamp of the retention window as of now: reads below it are refused. */
  public long retentionStart() {
    long startMs = clock.millis() - retention.toMillis();
    return startMs <= 0 ? 0 : HybridTimestamps.firstOf(Math.min(startMs, HybridTimestamps.MAX_EPOCH_MILLIS));
  }

  /** The oldest timestamp a new read may use. */
  public long oldestReadableTimestamp() {
    return Math.max(coordinator.readableFloor(), retentionStart());
  }

  public synchronized GcReport collect() {
    long wanted = Math.min(retentionStart(), otherNodesOldestSnapshot.getAsLong());
    long safeTs = coordinator.advanceReadableFloor(wanted);
    storage.putMeta(FLOOR_META, ByteBuffer.allocate(Long.BYTES).putLong(coordinator.readableFloor()).array());
    int locks = coordinator.resolveAbandonedLocks(localParticipants.get(), safeTs);
    GcResult total = GcResult.NONE;
    for (int shardId : storage.shardIds()) {
      ShardStore shard;
      try {
        shard = storage.shard(shardId);
      } catch (IllegalStateException dropped) {
        continue; // dropped since shardIds() listed it
      }
      try {
        total = total.plus(shard.collectGarbage(safeTs));
      } catch (IllegalStateException e) {
        if (storage.shardIds().contains(shardId)) {
          throw e;
        }
        // Dropped while being collected: nothing of it is left to collect.
      }
    }
    storage.sync();
    // MapDB reuses little of the space removals free; rewriting the store gives it back.
    return new GcReport(safeTs, locks, total, storage.compactIfWasteful());
  }
}
