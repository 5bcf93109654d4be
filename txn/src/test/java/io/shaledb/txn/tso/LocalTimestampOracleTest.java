package io.shaledb.txn.tso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTimestampOracleTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dataDir;

  @Test
  void timestampsStrictlyIncreaseAndFollowTheClock() {
    ManualClock clock = new ManualClock(T0);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 1_000);
      long first = oracle.next();
      long second = oracle.next();
      assertTrue(second > first);
      assertEquals(T0, HybridTimestamps.epochMillisOf(first));
      clock.advance(5);
      long later = oracle.next();
      assertEquals(HybridTimestamps.firstOf(T0 + 5), later, "a fresh millisecond starts at logical 0");
    }
  }

  @Test
  void clockGoingBackwardsNeverRepeatsOrDecreases() {
    ManualClock clock = new ManualClock(T0);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 1_000);
      long previous = oracle.next();
      for (int i = 0; i < 1_000; i++) {
        clock.advance(i % 3 == 0 ? -50 : 7);
        long next = oracle.next();
        assertTrue(next > previous, "step " + i + ": " + next + " <= " + previous);
        previous = next;
      }
    }
  }

  @Test
  void logicalCounterOverflowCarriesIntoTheMillisecond() {
    ManualClock clock = new ManualClock(T0);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 1_000);
      long previous = 0;
      int calls = (int) HybridTimestamps.LOGICAL_MASK + 100;
      for (int i = 0; i < calls; i++) {
        long next = oracle.next();
        assertTrue(next > previous);
        previous = next;
      }
      assertEquals(T0 + 1, HybridTimestamps.epochMillisOf(previous), "65,636 timestamps of one millisecond spill into the next");
    }
  }

  @Test
  void restartNeverRepeatsEvenWhenTheClockWentBackwards() {
    ManualClock clock = new ManualClock(T0);
    long lastBeforeRestart;
    try (NodeStorage storage = NodeStorage.open(new StorageConfig(dataDir, clock))) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 2_000);
      long ts = 0;
      for (int i = 0; i < 500; i++) {
        clock.advance(10); // 5 s in total: crosses the 2 s window twice
        ts = oracle.next();
      }
      lastBeforeRestart = ts;
      // No graceful shutdown step exists: closing the storage is all a crash would skip.
    }
    clock.set(T0 - 3_600_000); // an hour before the first run
    try (NodeStorage storage = NodeStorage.open(new StorageConfig(dataDir, clock))) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 2_000);
      long afterRestart = oracle.next();
      assertTrue(afterRestart > lastBeforeRestart, afterRestart + " <= " + lastBeforeRestart);
      assertTrue(oracle.next() > afterRestart);
    }
  }

  @Test
  void syncsOncePerWindowNotPerCall() {
    ManualClock clock = new ManualClock(T0);
    try (CountingNodeStorage storage = new CountingNodeStorage(NodeStorage.open(StorageConfig.inMemory()))) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 1_000);
      int syncsAtOpen = storage.syncs();
      assertEquals(1, syncsAtOpen);
      for (int i = 0; i < 10_000; i++) {
        oracle.next();
      }
      assertEquals(syncsAtOpen, storage.syncs(), "within the window no call syncs");
      clock.advance(1_000);
      oracle.next();
      assertEquals(syncsAtOpen + 1, storage.syncs(), "leaving the window extends the bound once");
      oracle.next();
      assertEquals(syncsAtOpen + 1, storage.syncs());
    }
  }

  @Test
  void everyTimestampHandedOutIsBelowTheDurableBound() {
    ManualClock clock = new ManualClock(T0);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      LocalTimestampOracle oracle = LocalTimestampOracle.open(storage, clock, 100);
      for (int i = 0; i < 2_000; i++) {
        clock.advance(i % 10 == 0 ? 40 : 0);
        long ts = oracle.next();
        byte[] bound = storage.getMeta(LocalTimestampOracle.BOUND_META);
        long persisted = java.nio.ByteBuffer.wrap(bound).getLong();
        assertTrue(ts < persisted, "handed out " + ts + " not below persisted bound " + persisted);
      }
    }
  }

  @Test
  void concurrentCallersGetDistinctTimestamps() throws Exception {
    ManualClock clock = new ManualClock(T0);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 50);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    List<Long> seen = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                      if (i % 1_000 == 0) {
                        clock.advance(20);
                      }
                      long ts = oracle.next();
                      if (!seen.isEmpty() && ts <= seen.get(seen.size() - 1)) {
                        throw new AssertionError("not increasing within a thread");
                      }
                      seen.add(ts);
                    }
                    return seen;
                  }));
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> future : futures) {
          all.addAll(future.get());
        }
        assertEquals(80_000, all.size());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void timestampAtIsTheLastTimestampOfTheMillisecond() {
    ManualClock clock = new ManualClock(T0);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      TimestampOracle oracle = TimestampOracle.openLocal(storage, clock, 1_000);
      long during = oracle.next();
      long at = oracle.timestampAt(T0);
      assertTrue(during <= at);
      assertEquals(T0, HybridTimestamps.epochMillisOf(at));
      assertEquals(HybridTimestamps.LOGICAL_MASK, HybridTimestamps.logicalOf(at));
      clock.advance(1);
      assertTrue(oracle.next() > at, "the next millisecond is after everything of this one");
      assertThrows(IllegalArgumentException.class, () -> oracle.timestampAt(-1));
    }
  }

  @Test
  void hybridTimestampLayout() {
    long ts = HybridTimestamps.of(T0, 7);
    assertEquals(T0, HybridTimestamps.epochMillisOf(ts));
    assertEquals(7, HybridTimestamps.logicalOf(ts));
    assertEquals(T0 << 16 | 7, ts);
    assertTrue(HybridTimestamps.lastOf(T0) < HybridTimestamps.firstOf(T0 + 1));
    assertThrows(IllegalArgumentException.class, () -> HybridTimestamps.of(T0, 1 << 16));
    assertThrows(IllegalArgumentException.class, () -> HybridTimestamps.of(HybridTimestamps.MAX_EPOCH_MILLIS + 1, 0));
  }
}
