package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction of a node's storage: the file stays bounded under version churn, nothing is lost, and shards keep serving meanwhile. */
class StorageCompactionTest {
  private static final int SHARDS = 8;

  @TempDir Path directory;

  private static byte[] row(int number) {
    return ByteBuffer.allocate(8).putInt(0x5348).putInt(number).array();
  }

  private static byte[] value(int row, long version, int bytes) {
    byte[] out = new byte[bytes];
    Arrays.fill(out, (byte) (row ^ version));
    ByteBuffer.wrap(out).putLong(version);
    return out;
  }

  private static long versionOf(ReadResult read) {
    return ByteBuffer.wrap(assertInstanceOf(ReadResult.Value.class, read).value()).getLong();
  }

  /**
   * 1,000 rows updated 20 times per round in two-phase transactions of 500 rows over 8 shards (as
   * the SQL layer writes them), garbage collection and {@link NodeStorage#compactIfWasteful} after
   * each round. Without compaction the store grows with every round (MapDB reuses little of what
   * collection frees); with it, after every round it is within 1.5 times its size after the first.
   */
  @Test
  void versionChurnKeepsTheStoreBoundedWhenCompactedAfterCollection() {
    int rows = 1_000;
    int rounds = 8;
    int versionsPerRound = 20;
    int rowsPerTransaction = 500;
    AtomicLong oracle = new AtomicLong(1);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(directory.resolve("churn")))) {
      for (int s = 0; s < SHARDS; s++) {
        storage.createShard(s);
      }
      long firstPeak = -1;
      long firstAfter = -1;
      long version = 0;
      StringBuilder report = new StringBuilder();
      for (int round = 1; round <= rounds; round++) {
        for (int v = 0; v < versionsPerRound; v++, version++) {
          for (int from = 0; from < rows; from += rowsPerTransaction) {
            commitTwoPhase(storage, oracle, from, rowsPerTransaction, version);
          }
        }
        storage.sync();
        long peak = storage.storeBytes();
        long kept = 0;
        for (int s = 0; s < SHARDS; s++) {
          kept += storage.shard(s).collectGarbage(oracle.get()).versionsKept();
        }
        storage.sync();
        CompactionResult compaction = storage.compactIfWasteful();
        long after = storage.storeBytes();
        assertEquals(rows, kept, "versions kept after round " + round);
        if (round == 1) {
          firstPeak = peak;
          firstAfter = after;
          assertInstanceOf(CompactionResult.Compacted.class, compaction, "the first round already leaves more waste than live data");
        }
        report.append(String.format("%n  round %d (%,d updates): %,d KB before collection, %,d KB after collection and compaction (%s)",
            round, (long) round * versionsPerRound * rows, peak >> 10, after >> 10, compaction.getClass().getSimpleName()));
        assertTrue(after <= firstAfter * 3 / 2, "store after round " + round + ": " + after + " bytes, after round 1: " + firstAfter + report);
        assertTrue(peak <= firstPeak * 3 / 2, "store before collection in round " + round + ": " + peak + " bytes, in round 1: " + firstPeak + report);
      }
      System.out.println("storage under version churn (" + rows + " rows, file mode):" + report);
      long last = version - 1;
      for (int r = 0; r < rows; r++) {
        assertEquals(last, versionOf(storage.shard(r % SHARDS).read(row(r), Long.MAX_VALUE)), "row " + r);
      }
    }
  }

  private static void commitTwoPhase(NodeStorage storage, AtomicLong oracle, int fromRow, int rowCount, long version) {
    long startTs = oracle.incrementAndGet();
    Map<Integer, List<Mutation>> byShard = new TreeMap<>();
    for (int r = fromRow; r < fromRow + rowCount; r++) {
      byShard.computeIfAbsent(r % SHARDS, s -> new ArrayList<>()).add(Mutation.put(row(r), value(r, version, 100)));
    }
    byte[] primary = row(fromRow);
    int primaryShard = fromRow % SHARDS;
    for (Map.Entry<Integer, List<Mutation>> part : byShard.entrySet()) {
      assertEquals(PrepareResult.PREPARED, storage.shard(part.getKey()).prepare(startTs, primary, part.getValue(), Long.MAX_VALUE));
    }
    long commitTs = oracle.incrementAndGet();
    assertTrue(storage.shard(primaryShard).commitPrimary(startTs, commitTs, primary, keysOf(byShard.get(primaryShard))));
    for (Map.Entry<Integer, List<Mutation>> part : byShard.entrySet()) {
      if (part.getKey() != primaryShard) {
        storage.shard(part.getKey()).commitSecondaries(startTs, commitTs, keysOf(part.getValue()));
      }
    }
  }

  private static List<byte[]> keysOf(List<Mutation> mutations) {
    List<byte[]> keys = new ArrayList<>();
    mutations.forEach(m -> keys.add(m.key()));
    return keys;
  }

  @Test
  void compactionKeepsVersionsLocksStatusRecordsAndMetaAndDropsDroppedShards() {
    Path dir = directory.resolve("keep");
    byte[] a = {1};
    byte[] b = {2};
    byte[] c = {3};
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(dir))) {
      ShardStore one = storage.createShard(1);
      ShardStore gone = storage.createShard(2);
      one.commitOnePhase(1, List.of(Mutation.put(a, new byte[] {10})), () -> 2);
      one.commitOnePhase(3, List.of(Mutation.put(a, new byte[] {11}), Mutation.put(b, new byte[] {20})), () -> 4);
      one.commitOnePhase(5, List.of(Mutation.delete(b)), () -> 6);
      assertEquals(PrepareResult.PREPARED, one.prepare(7, a, List.of(Mutation.put(a, new byte[] {12}), Mutation.put(c, new byte[] {30})), 99));
      assertTrue(one.commitPrimary(7, 8, a, List.of()));
      assertEquals(PrepareResult.PREPARED, one.prepare(9, b, List.of(Mutation.put(b, new byte[] {21})), 123));
      gone.commitOnePhase(1, List.of(Mutation.put(a, new byte[] {99})), () -> 2);
      storage.dropShard(2);
      storage.putMeta("note", new byte[] {42});

      assertInstanceOf(CompactionResult.Compacted.class, storage.compact());
      checkContent(storage);
    }
    assertFalse(Files.exists(dir.resolve(MapDbNodeStorage.COMPACTING_DATA_FILE)));
    assertFalse(Files.exists(dir.resolve(MapDbNodeStorage.COMPACTING_LOG_FILE)));
    try (NodeStorage reopened = NodeStorage.open(StorageConfig.file(dir))) {
      checkContent(reopened);
      // The dropped shard's maps were left out: created again, it starts empty.
      assertEquals(ReadResult.ABSENT, reopened.createShard(2).read(a, 10));
    }
  }

  private static void checkContent(NodeStorage storage) {
    byte[] a = {1};
    byte[] b = {2};
    byte[] c = {3};
    assertEquals(java.util.Set.of(1), storage.shardIds());
    ShardStore one = storage.shard(1);
    assertValue(10, 2, one.read(a, 3));
    assertValue(11, 4, one.read(a, 7));
    assertValue(20, 4, one.read(b, 5));
    assertEquals(ReadResult.ABSENT, one.read(b, 6));
    // The committed primary's secondary c is still locked, and its status record says committed.
    assertInstanceOf(ReadResult.Locked.class, one.read(c, 20));
    assertEquals(new TxnStatus.Committed(8), one.resolveStatus(a, 7, 0));
    assertInstanceOf(ReadResult.Locked.class, one.read(b, 9));
    assertEquals(2, one.locks().size());
    assertArrayEquals(new byte[] {42}, storage.getMeta("note"));
  }

  private static void assertValue(int expected, long commitTs, ReadResult read) {
    ReadResult.Value value = assertInstanceOf(ReadResult.Value.class, read);
    assertArrayEquals(new byte[] {(byte) expected}, value.value());
    assertEquals(commitTs, value.commitTs());
  }

  /** A scan opened before a compaction and read to its end after it sees the snapshot it started on. */
  @Test
  void aScanFollowsTheStoreAcrossACompaction() {
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(directory.resolve("scan")))) {
      ShardStore shard = storage.createShard(1);
      for (int r = 0; r < 2_000; r++) {
        int row = r;
        shard.commitOnePhase(2L * r + 1, List.of(Mutation.put(row(row), value(row, 1, 40))), () -> 2L * row + 2);
      }
      long readTs = 10_000;
      List<Integer> seen = new ArrayList<>();
      try (ScanIterator scan = shard.scan(row(0), row(2_000), readTs)) {
        for (int i = 0; i < 700; i++) {
          seen.add(ByteBuffer.wrap(scan.next().key(), 4, 4).getInt());
        }
        // Rows updated and deleted after the snapshot must not show; the compaction sees them.
        shard.commitOnePhase(readTs + 1, List.of(Mutation.delete(row(1_500)), Mutation.put(row(1_600), value(1_600, 2, 40))), () -> readTs + 2);
        assertInstanceOf(CompactionResult.Compacted.class, storage.compact());
        while (scan.hasNext()) {
          ScanItem item = scan.next();
          int number = ByteBuffer.wrap(item.key(), 4, 4).getInt();
          seen.add(number);
          assertEquals(1, versionOf(item.result()), "row " + number);
        }
      }
      List<Integer> expected = new ArrayList<>();
      for (int r = 0; r < 2_000; r++) {
        expected.add(r);
      }
      assertEquals(expected, seen);
      assertEquals(ReadResult.ABSENT, shard.read(row(1_500), readTs + 2));
    }
  }

  /**
   * Writers commit, a reader re-reads one snapshot by scans and point reads, while compactions run
   * one after another: every acknowledged write is there afterwards (and after a reopen), and the
   * snapshot never changes.
   */
  @Test
  void readersAndWritersGoOnWhileTheStoreIsCompacted() throws Exception {
    Path dir = directory.resolve("concurrent");
    int writers = 3;
    int keysPerWriter = 200;
    AtomicLong oracle = new AtomicLong(1);
    ConcurrentHashMap<Integer, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int compactions = 6;
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(dir))) {
      ShardStore shard = storage.createShard(1);
      for (int k = 0; k < writers * keysPerWriter; k++) {
        int key = k;
        shard.commitOnePhase(oracle.incrementAndGet(), List.of(Mutation.put(row(key), value(key, 0, 60))), oracle::incrementAndGet);
        acknowledged.put(key, 0L);
      }
      long snapshotTs = oracle.incrementAndGet();
      TreeMap<Integer, Long> snapshot = scanAll(shard, snapshotTs);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(new Thread(() -> {
          try {
            for (long version = 1; !stop.get(); version++) {
              for (int i = 0; i < keysPerWriter && !stop.get(); i += 10) {
                List<Mutation> mutations = new ArrayList<>();
                for (int k = writer * keysPerWriter + i; k < writer * keysPerWriter + i + 10; k++) {
                  mutations.add(Mutation.put(row(k), value(k, version, 60)));
                }
                assertInstanceOf(OnePhaseResult.Committed.class, shard.commitOnePhase(oracle.incrementAndGet(), mutations, oracle::incrementAndGet));
                storage.sync();
                for (Mutation m : mutations) {
                  acknowledged.put(ByteBuffer.wrap(m.key(), 4, 4).getInt(), version);
                }
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }));
      }
      threads.add(new Thread(() -> {
        try {
          while (!stop.get()) {
            assertEquals(snapshot, scanAll(shard, snapshotTs));
            for (int k = 0; k < writers * keysPerWriter; k += 37) {
              assertEquals(snapshot.get(k), versionOf(shard.read(row(k), snapshotTs)));
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
      threads.forEach(Thread::start);
      long recopied = 0;
      try {
        for (int i = 0; i < compactions && failure.get() == null; i++) {
          Thread.sleep(50);
          recopied += assertInstanceOf(CompactionResult.Compacted.class, storage.compact()).keysRecopied();
        }
      } finally {
        stop.set(true);
        for (Thread thread : threads) {
          thread.join();
        }
      }
      if (failure.get() != null) {
        throw new AssertionError("a reader or writer failed during compaction", failure.get());
      }
      assertTrue(recopied > 0, "no write landed during a compaction's copy; the test did not exercise the catch-up");
      checkAcknowledged(shard, acknowledged);
      assertEquals(snapshot, scanAll(shard, snapshotTs));
    }
    try (NodeStorage reopened = NodeStorage.open(StorageConfig.file(dir))) {
      checkAcknowledged(reopened.shard(1), acknowledged);
    }
  }

  private static void checkAcknowledged(ShardStore shard, Map<Integer, Long> acknowledged) {
    for (Map.Entry<Integer, Long> ack : acknowledged.entrySet()) {
      assertEquals(ack.getValue(), versionOf(shard.read(row(ack.getKey()), Long.MAX_VALUE)), "row " + ack.getKey());
    }
  }

  private static TreeMap<Integer, Long> scanAll(ShardStore shard, long readTs) {
    TreeMap<Integer, Long> rows = new TreeMap<>();
    try (ScanIterator scan = shard.scan(new byte[0], new byte[] {(byte) 0xFF}, readTs)) {
      while (scan.hasNext()) {
        ScanItem item = scan.next();
        rows.put(ByteBuffer.wrap(item.key(), 4, 4).getInt(), versionOf(item.result()));
      }
    }
    return rows;
  }
}
