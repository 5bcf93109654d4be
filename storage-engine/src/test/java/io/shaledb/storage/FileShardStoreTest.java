package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileShardStoreTest extends ShardStoreContract {
  @TempDir Path directory;

  @Override
  NodeStorage openStorage(ManualClock clock) {
    return NodeStorage.open(new StorageConfig(directory, clock));
  }

  @Test
  void fileStorageIsDurable() {
    assertTrue(storage.isDurable());
    storage.sync();
  }
}
