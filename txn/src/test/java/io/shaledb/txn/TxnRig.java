package io.shaledb.txn;

import io.shaledb.txn.tso.CountingNodeStorage;
import io.shaledb.txn.tso.ManualClock;
import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** In-memory storage, a manual clock, a recording sleeper and a coordinator over a {@link FirstByteDirectory}. */
final class TxnRig implements AutoCloseable {
  static final long T0 = 1_700_000_000_000L;
  static final TxnConfig CONFIG = new TxnConfig(1_000, 200, 1, 16);

  final ManualClock clock = new ManualClock(T0);
  final NodeStorage storage = NodeStorage.open(new StorageConfig(null, clock));
  final TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 1_000);
  /** The directory's view of {@link #storage}: counts the syncs its shards' transports ask for (the oracle's are not counted). */
  final CountingNodeStorage shardStorage = new CountingNodeStorage(storage);
  final FirstByteDirectory directory = new FirstByteDirectory(shardStorage, oracle::next);
  final RecordingSleeper sleeper = new RecordingSleeper();
  final TransactionCoordinator coordinator =
      new TransactionCoordinator(directory, oracle, CONFIG, clock, new Random(42), sleeper);

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Commits {@code keysAndValues} (key, value, key, value...; a null value deletes) in one transaction. */
  void commit(Object... keysAndValues) {
    try (Transaction txn = coordinator.begin()) {
      for (int i = 0; i < keysAndValues.length; i += 2) {
        byte[] key = (byte[]) keysAndValues[i];
        String value = (String) keysAndValues[i + 1];
        if (value == null) {
          txn.delete(key);
        } else {
          txn.put(key, bytes(value));
        }
      }
      txn.commit();
    }
  }

  /** The value of {@code key} in a fresh transaction. */
  String read(byte[] key) {
    try (Transaction txn = coordinator.begin()) {
      return text(txn.get(key));
    }
  }

  int lockCount() {
    return storage.shardIds().stream().mapToInt(id -> storage.shard(id).locks().size()).sum();
  }

  @Override
  public void close() {
    storage.close();
  }
}
