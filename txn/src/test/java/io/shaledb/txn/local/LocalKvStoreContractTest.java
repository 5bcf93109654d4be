package io.shaledb.txn.local;

import io.shaledb.kv.KvStore;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.KvStoreContract;
import io.shaledb.txn.TxnConfig;
import io.shaledb.txn.tso.ManualClock;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The {@link KvStoreContract} of the single-node store, over in-memory and over file storage. */
class LocalKvStoreContractTest {
  static final LocalKvStoreConfig CONFIG = new LocalKvStoreConfig(new TxnConfig(1_000, 300, 1, 16), 1_000);

  /** The store over storage in {@code directory} (null: in memory), on a manual clock. */
  abstract static class OverStorage extends KvStoreContract {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private NodeStorage storage;

    abstract Path directory();

    @Override
    protected KvStore open() {
      storage = NodeStorage.open(new StorageConfig(directory(), clock));
      // Lock waits advance the manual clock, so an expiring lock is met without real sleeping.
      return new LocalKvStore(storage, CONFIG, clock, new Random(7), clock::advance);
    }

    @Override
    protected long nowMillis() {
      return clock.millis();
    }

    @Override
    protected void advanceClock(long millis) {
      clock.advance(millis);
    }

    @Override
    protected int lockCount() {
      return storage.shardIds().stream().mapToInt(id -> storage.shard(id).locks().size()).sum();
    }

    @Override
    protected void closeRest() {
      storage.close();
    }
  }

  @Nested
  class InMemory extends OverStorage {
    @Override
    Path directory() {
      return null;
    }
  }

  @Nested
  class OnFile extends OverStorage {
    @TempDir Path dataDir;

    @Override
    Path directory() {
      return dataDir;
    }
  }
}
