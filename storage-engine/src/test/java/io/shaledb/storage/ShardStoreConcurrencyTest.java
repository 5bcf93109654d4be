package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers commit (one-phase and two-phase) while readers read and scan at fresh timestamps from the
 * same oracle. Afterwards every observation is checked against every commit: a read at {@code
 * readTs} must have returned the newest commit of its key at or below {@code readTs}, whenever that
 * commit's versions appeared.
 */
class ShardStoreConcurrencyTest {
  private static final int KEYS = 6;
  private static final long RUN_MS = 1_500;

  @TempDir Path directory;

  private record Commit(int key, long commitTs, long value) {}

  private record Observation(int key, long readTs, long commitTs, long value) {}

  @Test
  void readersNeverMissAVersionAtOrBelowTheirTimestampInMemory() throws Exception {
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      run(storage.createShard(1));
    }
  }

  @Test
  void readersNeverMissAVersionAtOrBelowTheirTimestampOnFile() throws Exception {
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(directory))) {
      run(storage.createShard(1));
    }
  }

  private static byte[] key(int i) {
    return new byte[] {(byte) i};
  }

  private static byte[] encode(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private void run(ShardStore shard) throws Exception {
    AtomicLong oracle = new AtomicLong(1);
    // Hands out a timestamp, then dawdles before the caller sees it: widens the window in which a
    // commit holds a timestamp but has not written its versions.
    LongSupplier slowOracle =
        () -> {
          long ts = oracle.incrementAndGet();
          if (ThreadLocalRandom.current().nextInt(4) == 0) {
            Thread.yield();
          }
          return ts;
        };
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong values = new AtomicLong();
    ConcurrentLinkedQueue<Commit> commits = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Observation> observations = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();

    for (int w = 0; w < 3; w++) {
      long seed = w;
      threads.add(
          new Thread(
              () -> {
                Random random = new Random(seed);
                while (!stop.get()) {
                  long startTs = oracle.incrementAndGet();
                  int a = random.nextInt(KEYS);
                  int b = (a + 1 + random.nextInt(KEYS - 1)) % KEYS;
                  long va = values.incrementAndGet();
                  long vb = values.incrementAndGet();
                  List<Mutation> mutations = List.of(Mutation.put(key(a), encode(va)), Mutation.put(key(b), encode(vb)));
                  if (random.nextBoolean()) {
                    OnePhaseResult result = shard.commitOnePhase(startTs, mutations, slowOracle);
                    if (result instanceof OnePhaseResult.Committed committed) {
                      commits.add(new Commit(a, committed.commitTs(), va));
                      commits.add(new Commit(b, committed.commitTs(), vb));
                    }
                  } else if (shard.prepare(startTs, key(a), mutations, Long.MAX_VALUE) == PrepareResult.PREPARED) {
                    long commitTs = slowOracle.getAsLong();
                    assertTrue(shard.commitPrimary(startTs, commitTs, key(a), List.of()));
                    commits.add(new Commit(a, commitTs, va));
                    Thread.yield();
                    shard.commitSecondaries(startTs, commitTs, List.of(key(b)));
                    commits.add(new Commit(b, commitTs, vb));
                  }
                }
              }));
    }
    for (int r = 0; r < 3; r++) {
      boolean scanner = r == 0;
      long seed = 100 + r;
      threads.add(
          new Thread(
              () -> {
                Random random = new Random(seed);
                while (!stop.get()) {
                  long readTs = oracle.incrementAndGet();
                  if (scanner) {
                    try (ScanIterator scan = shard.scan(key(0), key(KEYS), readTs)) {
                      while (scan.hasNext()) {
                        ScanItem item = scan.next();
                        int k = item.key()[0];
                        observe(observations, shard, k, readTs, item.result());
                      }
                    }
                  } else {
                    int k = random.nextInt(KEYS);
                    observe(observations, shard, k, readTs, shard.read(key(k), readTs));
                  }
                }
              }));
    }
    threads.forEach(thread -> thread.setUncaughtExceptionHandler((t, e) -> errors.add(e)));
    threads.forEach(Thread::start);
    Thread.sleep(RUN_MS);
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertEquals(List.of(), List.copyOf(errors));

    Map<Integer, TreeMap<Long, Long>> history = new TreeMap<>();
    for (Commit commit : commits) {
      history.computeIfAbsent(commit.key(), k -> new TreeMap<>()).put(commit.commitTs(), commit.value());
    }
    assertTrue(commits.size() > 50, "too few commits to mean anything: " + commits.size());
    assertTrue(observations.size() > 50, "too few reads to mean anything: " + observations.size());
    for (Observation seen : observations) {
      TreeMap<Long, Long> chain = history.getOrDefault(seen.key(), new TreeMap<>());
      Map.Entry<Long, Long> expected = chain.floorEntry(seen.readTs());
      long expectedTs = expected == null ? -1 : expected.getKey();
      assertEquals(expectedTs, seen.commitTs(), "read of key " + seen.key() + " at " + seen.readTs());
      if (expected != null) {
        assertEquals(expected.getValue(), seen.value(), "value of key " + seen.key() + " at " + seen.readTs());
      }
    }
  }

  /** Records what a read at readTs found, first waiting out locks the way a resolver would for a live writer. */
  private static void observe(ConcurrentLinkedQueue<Observation> observations, ShardStore shard, int k, long readTs, ReadResult result) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (result instanceof ReadResult.Locked) {
      assertTrue(System.nanoTime() < deadline, "lock never went away");
      Thread.yield();
      result = shard.read(key(k), readTs);
    }
    if (result instanceof ReadResult.Value value) {
      observations.add(new Observation(k, readTs, value.commitTs(), ByteBuffer.wrap(value.value()).getLong()));
    } else {
      observations.add(new Observation(k, readTs, -1, -1));
    }
  }
}
