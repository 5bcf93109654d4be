package io.shaledb.cluster.local;

import io.shaledb.cluster.tso.HybridTimestamps;
import io.shaledb.cluster.txn.TransactionCoordinator;
import io.shaledb.storage.GcResult;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.ShardStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;

/**
 * MVCC garbage collection of one node: picks the safe timestamp (the start of the retention
 * window, held back by the oldest transaction in progress), records it as the readable floor,
 * resolves locks left by transactions that started before it, then lets every shard remove what
 * no read at or after it needs ({@link ShardStore#collectGarbage}), and finally compacts the node's
 * store if the space freed so far is worth it ({@link NodeStorage#compactIfWasteful}).
 *
 * <p>The floor is kept in the storage's meta values, written before any removal (so it is durable
 * whenever a removal is), and restored at open: reads below it stay refused after a restart even
 * if the retention was made longer meanwhile. Thread-safe; passes are serialized.
 */
final class VersionCollector {
  static final String FLOOR_META = "txn.gc.floor";

  private final NodeStorage storage;
  private final LocalParticipantDirectory directory;
  private final TransactionCoordinator coordinator;
  private final Clock clock;
  private final Duration retention;

  VersionCollector(
      NodeStorage storage, LocalParticipantDirectory directory, TransactionCoordinator coordinator, Clock clock, Duration retention) {
    this.storage = storage;
    this.directory = directory;
    this.coordinator = coordinator;
    this.clock = clock;
    this.retention = retention;
  }

  /** The floor an earlier process reached, or 0. */
  static long storedFloor(NodeStorage storage) {
    byte[] stored = storage.getMeta(FLOOR_META);
    return stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
  }

  /** The first timestamp of the retention window as of now: reads below it are refused. */
  long retentionStart() {
    long startMs = clock.millis() - retention.toMillis();
    return startMs <= 0 ? 0 : HybridTimestamps.firstOf(Math.min(startMs, HybridTimestamps.MAX_EPOCH_MILLIS));
  }

  /** The oldest timestamp a new read may use. */
  long oldestReadableTimestamp() {
    return Math.max(coordinator.readableFloor(), retentionStart());
  }

  synchronized GcReport collect() {
    long safeTs = coordinator.advanceReadableFloor(retentionStart());
    storage.putMeta(FLOOR_META, ByteBuffer.allocate(Long.BYTES).putLong(coordinator.readableFloor()).array());
    int locks = coordinator.resolveAbandonedLocks(directory.allParticipants(), safeTs);
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
