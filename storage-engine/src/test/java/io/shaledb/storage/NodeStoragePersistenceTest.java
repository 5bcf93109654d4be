package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStoragePersistenceTest {
  @TempDir Path directory;

  private NodeStorage open() {
    return NodeStorage.open(StorageConfig.file(directory));
  }

  private static byte[] key(int i) {
    return new byte[] {(byte) (i >>> 8), (byte) i};
  }

  private static byte[] value(int i, int size) {
    byte[] value = new byte[size];
    for (int j = 0; j < size; j++) {
      value[j] = (byte) (i * 31 + j);
    }
    return value;
  }

  @Test
  void everythingSurvivesCloseAndReopen() {
    try (NodeStorage storage = open()) {
      ShardStore one = storage.createShard(1);
      ShardStore two = storage.createShard(2);
      storage.createShard(3);
      storage.dropShard(3);
      for (int i = 0; i < 2_000; i++) {
        one.commitOnePhase(10, List.of(Mutation.put(key(i), value(i, 100))), () -> 11);
      }
      one.commitOnePhase(20, List.of(Mutation.delete(key(5))), () -> 21);
      two.prepare(30, key(1), List.of(Mutation.put(key(1), value(1, 10)), Mutation.delete(key(2))), 12345);
      two.prepare(31, key(7), List.of(Mutation.put(key(7), value(7, 10))), 999);
      assertTrue(two.commitPrimary(31, 32, key(7), List.of()));
      two.prepare(40, key(8), List.of(Mutation.put(key(8), value(8, 10))), 999);
      two.rollback(40, key(8), List.of(key(8)));
      storage.putMeta("tso", value(0, 8));
      storage.sync();
    }
    try (NodeStorage storage = open()) {
      assertEquals(Set.of(1, 2), storage.shardIds());
      ShardStore one = storage.shard(1);
      ShardStore two = storage.shard(2);
      for (int i = 0; i < 2_000; i++) {
        ReadResult read = one.read(key(i), 100);
        if (i == 5) {
          assertEquals(ReadResult.ABSENT, read);
          assertArrayEquals(value(5, 100), assertInstanceOf(ReadResult.Value.class, one.read(key(i), 20)).value());
        } else {
          assertArrayEquals(value(i, 100), assertInstanceOf(ReadResult.Value.class, read).value());
        }
      }
      List<LockInfo> locks = two.locks();
      assertEquals(2, locks.size());
      assertEquals(12345, locks.get(0).expiresAtMs());
      assertArrayEquals(key(1), locks.get(1).primaryKey());
      // Reads and scans find the locks that were held when the storage closed.
      assertInstanceOf(ReadResult.Locked.class, two.read(key(1), 35));
      assertInstanceOf(ReadResult.Locked.class, two.read(key(2), 35));
      try (ScanIterator scan = two.scan(key(1), key(3), 35)) {
        assertInstanceOf(ReadResult.Locked.class, scan.next().result());
        assertInstanceOf(ReadResult.Locked.class, scan.next().result());
      }
      assertEquals(new TxnStatus.Committed(32), two.resolveStatus(key(7), 31, 0));
      assertEquals(TxnStatus.ROLLED_BACK, two.resolveStatus(key(8), 40, 0));
      assertEquals(new TxnStatus.Pending(12345), two.resolveStatus(key(1), 30, 0));
      assertTrue(two.commitPrimary(30, 33, key(1), List.of(key(2))));
      assertArrayEquals(value(0, 8), storage.getMeta("tso"));
    }
    try (NodeStorage storage = open()) {
      assertEquals(List.of(), storage.shard(2).locks());
      assertArrayEquals(value(1, 10), assertInstanceOf(ReadResult.Value.class, storage.shard(2).read(key(1), 33)).value());
    }
  }

  @Test
  void closeMakesUnsyncedWritesDurable() {
    try (NodeStorage storage = open()) {
      storage.createShard(1).commitOnePhase(1, List.of(Mutation.put(key(1), value(1, 5))), () -> 2);
    }
    try (NodeStorage storage = open()) {
      assertInstanceOf(ReadResult.Value.class, storage.shard(1).read(key(1), 2));
    }
  }

  @Test
  void aDirectoryServesOneStorageAtATime() {
    try (NodeStorage storage = open()) {
      assertThrows(IllegalStateException.class, this::open);
      storage.createShard(1);
    }
    try (NodeStorage storage = open()) {
      assertEquals(Set.of(1), storage.shardIds());
    }
  }

  @Test
  void closedStorageRefusesWorkAndClosesOnce() {
    NodeStorage storage = open();
    ShardStore shard = storage.createShard(1);
    storage.close();
    storage.close();
    assertThrows(IllegalStateException.class, storage::sync);
    assertThrows(IllegalStateException.class, () -> storage.createShard(2));
    assertThrows(IllegalStateException.class, () -> shard.read(key(1), 1));
  }

  @Test
  void redoLogIsCheckpointedOnClose() {
    try (NodeStorage storage = open()) {
      ShardStore shard = storage.createShard(1);
      for (int i = 0; i < 50; i++) {
        shard.commitOnePhase(1, List.of(Mutation.put(key(i), value(i, 1000))), () -> 2);
        storage.sync();
      }
      assertTrue(((MapDbNodeStorage) storage).redoLogBytes() > RedoLog.HEADER_BYTES);
    }
    try (NodeStorage storage = open()) {
      assertEquals(RedoLog.HEADER_BYTES, ((MapDbNodeStorage) storage).redoLogBytes());
      assertInstanceOf(ReadResult.Value.class, storage.shard(1).read(key(49), 2));
    }
  }
}
