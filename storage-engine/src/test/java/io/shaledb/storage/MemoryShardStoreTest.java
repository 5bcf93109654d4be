package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class MemoryShardStoreTest extends ShardStoreContract {
  @Override
  NodeStorage openStorage(ManualClock clock) {
    return NodeStorage.open(new StorageConfig(null, clock));
  }

  @Test
  void memoryStorageIsNotDurableAndSyncIsANoOp() {
    assertFalse(storage.isDurable());
    storage.sync();
  }
}
