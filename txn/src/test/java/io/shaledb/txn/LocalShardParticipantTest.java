package io.shaledb.txn;

import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.util.concurrent.atomic.AtomicLong;

/** The {@link ShardParticipantContract} of a shard in this process. */
class LocalShardParticipantTest extends ShardParticipantContract {
  private final AtomicLong timestamps = new AtomicLong(1_000);
  private NodeStorage storage;

  @Override
  protected ShardParticipant open() {
    storage = NodeStorage.open(StorageConfig.inMemory());
    return ShardParticipant.local(storage.createShard(3), this::nextTimestamp, LocalLog.holdingEveryKey(storage));
  }

  @Override
  protected long nextTimestamp() {
    return timestamps.incrementAndGet();
  }

  @Override
  protected void close() {
    storage.close();
  }
}
