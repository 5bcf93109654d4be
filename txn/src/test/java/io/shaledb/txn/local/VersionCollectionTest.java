package io.shaledb.txn.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.txn.tso.ManualClock;
import io.shaledb.txn.Sleeper;
import io.shaledb.txn.TxnConfig;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.CompactionResult;
import io.shaledb.storage.GcResult;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection of old versions through {@link LocalKvStore}: bounded size, and snapshots in use stay intact. */
class VersionCollectionTest {
  private static final int KS = Keyspaces.FIRST_USER_KEYSPACE;
  private static final int SHARDS = 8;
  private static final long T0 = 1_700_000_000_000L;
  private static final LocalKvStoreConfig CONFIG =
      new LocalKvStoreConfig(new TxnConfig(2_000, 1_000, 1, 16), 1_000).withVersionRetention(Duration.ZERO);

  @TempDir Path dataDir;

  private NodeStorage storage;
  private LocalKvStore store;

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
    if (storage != null) {
      storage.close();
    }
  }

  private LocalKvStore open(Clock clock, LocalKvStoreConfig config, Path directory) {
    storage = NodeStorage.open(new StorageConfig(directory, clock));
    store = new LocalKvStore(storage, config, clock, new Random(1), Sleeper.system());
    store.createKeyspace(KS, SHARDS);
    return store;
  }

  private static byte[] row(int number) {
    return ByteBuffer.allocate(Keyspaces.PREFIX_BYTES + Integer.BYTES).put(Keyspaces.prefix(KS)).putInt(number).array();
  }

  private static byte[] value(int row, long version, int bytes) {
    byte[] out = new byte[bytes];
    Arrays.fill(out, (byte) (row ^ version));
    ByteBuffer.wrap(out).putLong(version);
    return out;
  }

  private static long versionOf(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }

  private static TreeMap<Integer, Long> readAll(Transaction txn, int rows) {
    TreeMap<Integer, Long> byGet = new TreeMap<>();
    for (int r = 0; r < rows; r++) {
      byte[] found = txn.get(row(r));
      if (found != null) {
        byGet.put(r, versionOf(found));
      }
    }
    TreeMap<Integer, Long> byScan = new TreeMap<>();
    try (KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(KS))) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        byScan.put(ByteBuffer.wrap(entry.key(), Keyspaces.PREFIX_BYTES, Integer.BYTES).getInt(), versionOf(entry.value()));
      }
    }
    assertEquals(byGet, byScan, "get and scan disagree");
    return byGet;
  }

  @Test
  void updatingTheSameRowsOverAndOverKeepsTheStoreBounded() {
    int rows = 1_000;
    int updates = 200_000;
    int rowsPerTransaction = 500;
    int valueBytes = 100;
    int collectEvery = 20_000;
    open(Clock.systemUTC(), CONFIG, null);

    long storeBytesAfterFirstCollection = -1;
    long storeBytesBeforeFirstCollection = -1;
    long maxStoreBytes = 0;
    long maxStoreBytesBeforeCollection = 0;
    long maxVersionsKept = 0;
    long removedTotal = 0;
    int compactions = 0;
    int done = 0;
    while (done < updates) {
      long version = done / rows;
      try (Transaction txn = store.begin()) {
        for (int i = 0; i < rowsPerTransaction; i++, done++) {
          int r = done % rows;
          txn.put(row(r), value(r, version, valueBytes));
        }
        txn.commit();
      }
      if (done % collectEvery == 0) {
        long before = storage.storeBytes();
        GcReport report = store.collectGarbage();
        removedTotal += report.storage().versionsRemoved();
        maxVersionsKept = Math.max(maxVersionsKept, report.storage().versionsKept());
        if (report.compaction() instanceof CompactionResult.Compacted) {
          compactions++;
        }
        long bytes = storage.storeBytes();
        maxStoreBytes = Math.max(maxStoreBytes, bytes);
        maxStoreBytesBeforeCollection = Math.max(maxStoreBytesBeforeCollection, before);
        if (storeBytesAfterFirstCollection < 0) {
          storeBytesAfterFirstCollection = bytes;
          storeBytesBeforeFirstCollection = before;
        }
        // No transaction is in progress and retention is zero: one version per row is all that is needed.
        assertEquals(rows, report.storage().versionsKept(), "after " + done + " updates: " + report);
        assertTrue(report.storage().txnRecordsKept() <= 1, "transaction records kept: " + report);
      }
    }
    long writtenBytes = (long) updates * valueBytes;
    System.out.printf(
        "version GC: %d updates of %d rows (%d MB of values written), %d versions removed, at most %d kept; "
            + "store before collection %d KB in the first round, at most %d KB; after collection and compaction "
            + "%d KB after the first, at most %d KB; %d compactions%n",
        updates, rows, writtenBytes >> 20, removedTotal, maxVersionsKept, storeBytesBeforeFirstCollection >> 10,
        maxStoreBytesBeforeCollection >> 10, storeBytesAfterFirstCollection >> 10, maxStoreBytes >> 10, compactions);
    // Collection frees space MapDB mostly cannot reuse; the compaction that follows gives it back,
    // so the store never grows past what one round between collections needs.
    assertTrue(maxStoreBytes <= storeBytesAfterFirstCollection * 3 / 2,
        "store after collection grew from " + storeBytesAfterFirstCollection + " to " + maxStoreBytes + " bytes");
    assertTrue(maxStoreBytesBeforeCollection <= storeBytesBeforeFirstCollection * 3 / 2,
        "store before collection grew from " + storeBytesBeforeFirstCollection + " to " + maxStoreBytesBeforeCollection + " bytes");
    assertEquals((long) updates - rows, removedTotal);
    assertEquals(rows, maxVersionsKept);
    try (Transaction txn = store.begin()) {
      TreeMap<Integer, Long> all = readAll(txn, rows);
      assertEquals(rows, all.size());
      long lastVersion = (updates - 1) / rows;
      all.values().forEach(v -> assertEquals(lastVersion, v));
    }
  }

  @Test
  void aTransactionOlderThanTheCollectionBoundaryKeepsReadingItsSnapshot() {
    int rows = 200;
    ManualClock clock = new ManualClock(T0);
    open(clock, CONFIG, null);
    try (Transaction txn = store.begin()) {
      for (int r = 0; r < rows; r++) {
        txn.put(row(r), value(r, 0, 16));
      }
      txn.commit();
    }
    Transaction old = store.begin();
    TreeMap<Integer, Long> before = readAll(old, rows);
    // Later transactions update every row many times and delete every tenth one.
    for (long version = 1; version <= 20; version++) {
      try (Transaction txn = store.begin()) {
        for (int r = 0; r < rows; r++) {
          if (version == 20 && r % 10 == 0) {
            txn.delete(row(r));
          } else {
            txn.put(row(r), value(r, version, 16));
          }
        }
        txn.commit();
      }
    }
    Transaction middle = store.begin();
    TreeMap<Integer, Long> middleView = readAll(middle, rows);

    clock.advance(1_000); // retention is zero: everything before now is outside the window
    GcReport held = store.collectGarbage();
    assertTrue(held.safeTimestamp() <= old.startTimestamp(), held + " passed the snapshot at " + old.startTimestamp());
    assertEquals(before, readAll(old, rows), "the old snapshot changed under garbage collection");
    assertEquals(middleView, readAll(middle, rows));
    old.close();

    GcReport partly = store.collectGarbage();
    assertTrue(partly.safeTimestamp() <= middle.startTimestamp());
    // Middle read after the deletes: for deleted rows it sees nothing, so their tombstones go too.
    assertEquals(rows - rows / 10, partly.storage().versionsKept(), partly.toString());
    assertEquals(rows / 10, partly.storage().tombstonesRemoved(), partly.toString());
    assertEquals(middleView, readAll(middle, rows));
    middle.close();

    GcReport all = store.collectGarbage();
    assertEquals(new GcResult(rows - rows / 10, 0, 0, 0, 0), all.storage());
    try (Transaction txn = store.begin()) {
      TreeMap<Integer, Long> now = readAll(txn, rows);
      assertEquals(rows - rows / 10, now.size());
      assertNull(txn.get(row(0)));
      assertEquals(20L, now.get(1));
    }
    assertEquals(0, store.activeTransactionCount());
  }

  @Test
  void timeTravelIsRefusedBeforeTheRetentionWindowAndHoldsCollectionBackInsideIt() {
    ManualClock clock = new ManualClock(T0);
    open(clock, CONFIG.withVersionRetention(Duration.ofSeconds(10)), null);
    try (Transaction txn = store.begin()) {
      txn.put(row(1), value(1, 1, 16));
      txn.commit();
    }
    long afterFirst = store.currentTimestamp();
    clock.advance(5_000);
    try (Transaction txn = store.begin()) {
      txn.put(row(1), value(1, 2, 16));
      txn.commit();
    }
    Transaction travel = store.beginReadOnlyAt(afterFirst);
    clock.advance(20_000);
    try (Transaction txn = store.begin()) {
      txn.put(row(1), value(1, 3, 16));
      txn.commit();
    }

    GcReport report = store.collectGarbage();
    assertTrue(report.safeTimestamp() <= afterFirst, report.toString());
    assertEquals(0, report.storage().versionsRemoved(), report.toString());
    assertEquals(1L, versionOf(travel.get(row(1))), "the time-travel snapshot in use lost its version");
    travel.close();

    // Now outside the window, and no reader holds it: refused, and collected.
    ShaleException tooOld = assertThrows(ShaleException.class, () -> store.beginReadOnlyAt(afterFirst));
    assertEquals(SqlState.SNAPSHOT_TOO_OLD, tooOld.sqlState());
    assertTrue(tooOld.getMessage().contains("oldest readable timestamp"), tooOld.getMessage());
    assertTrue(store.oldestReadableTimestamp() > afterFirst);
    GcReport after = store.collectGarbage();
    // The window starts 15 s after the first write: version 2 is what a read there sees.
    assertEquals(2, after.storage().versionsKept(), after.toString());
    assertEquals(1, after.storage().versionsRemoved(), after.toString());
    try (Transaction inWindow = store.beginReadOnlyAt(store.oldestReadableTimestamp())) {
      assertEquals(2L, versionOf(inWindow.get(row(1))));
    }
    clock.advance(60_000);
    assertEquals(1, store.collectGarbage().storage().versionsKept());
  }

  @Test
  void theReadableFloorSurvivesARestart() {
    ManualClock clock = new ManualClock(T0);
    Path directory = dataDir.resolve("floor");
    open(clock, CONFIG, directory);
    try (Transaction txn = store.begin()) {
      txn.put(row(1), value(1, 1, 16));
      txn.commit();
    }
    clock.advance(1_000);
    long floor = store.collectGarbage().safeTimestamp();
    assertTrue(floor > 0);
    store.close();
    storage.close();

    // A longer retention after the restart must not make collected versions readable again.
    storage = NodeStorage.open(new StorageConfig(directory, clock));
    store = new LocalKvStore(storage, CONFIG.withVersionRetention(Duration.ofDays(1)), clock, new Random(1), Sleeper.system());
    assertEquals(floor, store.oldestReadableTimestamp());
    assertEquals(SqlState.SNAPSHOT_TOO_OLD,
        assertThrows(ShaleException.class, () -> store.beginReadOnlyAt(floor - 1)).sqlState());
    try (Transaction txn = store.beginReadOnlyAt(floor)) {
      assertArrayEquals(value(1, 1, 16), txn.get(row(1)));
    }
  }
}
