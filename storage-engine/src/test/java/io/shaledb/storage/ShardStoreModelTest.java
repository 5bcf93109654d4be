package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shaledb.kv.ByteArrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random transactions, reads and compactions against a {@link TreeMap} model of versions and locks. A failure
 * names the seed and step; rerun {@link #run} with that seed to replay it.
 */
class ShardStoreModelTest {
  private static final int STEPS = 3_000;
  private static final byte[] ALPHABET = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF};

  @TempDir Path directory;

  @Test
  void memoryStorageMatchesTheModel() {
    for (long seed : seeds()) {
      run(seed, () -> NodeStorage.open(StorageConfig.inMemory()), false);
    }
  }

  @Test
  void fileStorageMatchesTheModelAcrossReopens() {
    // Fewer seeds than in memory: every B-tree node read is a file read here.
    for (long seed : new long[] {1, System.nanoTime()}) {
      Path dir = directory.resolve("seed-" + seed);
      run(seed, () -> NodeStorage.open(StorageConfig.file(dir)), true);
    }
  }

  private static long[] seeds() {
    return new long[] {1, 2, 3, System.nanoTime()};
  }

  /** A prepared transaction the model still has to finish. */
  private record OpenTxn(long startTs, byte[] primary, List<Mutation> mutations) {}

  private static final class Model {
    final TreeMap<byte[], TreeMap<Long, byte[]>> versions = new TreeMap<>(ByteArrays.UNSIGNED);
    final TreeMap<byte[], Long> lockOwners = new TreeMap<>(ByteArrays.UNSIGNED);
    static final byte[] TOMBSTONE = new byte[0];

    long newestCommitTs(byte[] key) {
      TreeMap<Long, byte[]> chain = versions.get(key);
      return chain == null ? -1 : chain.lastKey();
    }

    void write(byte[] key, byte[] valueOrNull, long commitTs) {
      versions.computeIfAbsent(key, k -> new TreeMap<>()).put(commitTs, valueOrNull == null ? TOMBSTONE : valueOrNull);
    }

    /** Expected read as (kind, detail): "locked" with start ts, "value" with commit ts, or "absent". */
    ReadResult expectedRead(byte[] key, long readTs, Map<Long, OpenTxn> openTxns) {
      Long owner = lockOwners.get(key);
      if (owner != null && owner <= readTs) {
        OpenTxn txn = openTxns.get(owner);
        return new ReadResult.Locked(new LockInfo(key, owner, txn.primary(), 0));
      }
      TreeMap<Long, byte[]> chain = versions.get(key);
      Map.Entry<Long, byte[]> visible = chain == null ? null : chain.floorEntry(readTs);
      if (visible == null || visible.getValue() == TOMBSTONE) {
        return ReadResult.ABSENT;
      }
      return new ReadResult.Value(visible.getValue(), visible.getKey());
    }
  }

  private void run(long seed, Supplier<NodeStorage> opener, boolean reopen) {
    Random random = new Random(seed);
    Model model = new Model();
    TreeMap<Long, OpenTxn> openTxns = new TreeMap<>();
    NodeStorage storage = opener.get();
    ShardStore shard = storage.createShard(1);
    long now = 1;
    int step = 0;
    try {
      for (step = 0; step < STEPS; step++) {
        int op = random.nextInt(100);
        if (op < 25) {
          // one-phase commit with a start timestamp up to 10 commits old
          long startTs = Math.max(0, now - random.nextInt(10));
          List<Mutation> mutations = randomMutations(random);
          long commitTs = now + 1;
          OnePhaseResult result = shard.commitOnePhase(startTs, mutations, () -> commitTs);
          List<Mutation> failing = failingMutations(model, startTs, mutations);
          if (failing.isEmpty()) {
            assertEquals(new OnePhaseResult.Committed(commitTs), result);
            now = commitTs;
            for (Mutation m : mutations) {
              model.write(m.key(), m.value(), commitTs);
            }
          } else {
            checkFailure(model, startTs, failing, result);
          }
        } else if (op < 40) {
          long startTs = ++now;
          List<Mutation> mutations = randomMutations(random);
          byte[] primary = mutations.get(random.nextInt(mutations.size())).key();
          PrepareResult result = shard.prepare(startTs, primary, mutations, Long.MAX_VALUE);
          List<Mutation> failing = failingMutations(model, startTs, mutations);
          if (failing.isEmpty()) {
            assertEquals(PrepareResult.PREPARED, result);
            openTxns.put(startTs, new OpenTxn(startTs, primary, mutations));
            for (Mutation m : mutations) {
              model.lockOwners.put(m.key(), startTs);
            }
          } else {
            checkFailure(model, startTs, failing, result);
          }
        } else if (op < 55 && !openTxns.isEmpty()) {
          OpenTxn txn = pick(random, openTxns);
          List<byte[]> others = new ArrayList<>();
          for (Mutation m : txn.mutations()) {
            if (!Arrays.equals(m.key(), txn.primary())) {
              others.add(m.key());
            }
          }
          long commitTs = ++now;
          if (random.nextBoolean()) {
            int split = random.nextInt(others.size() + 1);
            assertTrue(shard.commitPrimary(txn.startTs(), commitTs, txn.primary(), others.subList(0, split)));
            shard.commitSecondaries(txn.startTs(), commitTs, others.subList(split, others.size()));
            for (Mutation m : txn.mutations()) {
              model.write(m.key(), m.value(), commitTs);
              model.lockOwners.remove(m.key());
            }
          } else {
            List<byte[]> keys = new ArrayList<>(others);
            keys.add(txn.primary());
            shard.rollback(txn.startTs(), txn.primary(), keys);
            for (Mutation m : txn.mutations()) {
              model.lockOwners.remove(m.key());
            }
            assertEquals(false, shard.commitPrimary(txn.startTs(), commitTs, txn.primary(), others));
          }
          openTxns.remove(txn.startTs());
        } else if (op < 80) {
          byte[] key = randomKey(random);
          long readTs = random.nextInt((int) now + 3);
          checkRead(model.expectedRead(key, readTs, openTxns), shard.read(key, readTs), "read " + HexFormat.of().formatHex(key) + " at " + readTs);
        } else if (op < 99) {
          byte[] a = randomKey(random);
          byte[] b = randomKey(random);
          byte[] start = ByteArrays.compare(a, b) <= 0 ? a : b;
          byte[] end = start == a ? b : a;
          if (random.nextInt(4) == 0) {
            end = new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
          }
          long readTs = random.nextInt((int) now + 3);
          checkScan(model, openTxns, shard, start, end, readTs);
        } else {
          // Compaction must change nothing a shard shows, open transactions' locks included.
          assertInstanceOf(CompactionResult.Compacted.class, storage.compact());
          if (reopen) {
            storage.sync();
            storage.close();
            storage = opener.get();
          }
          shard = storage.shard(1);
        }
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("model test failed with seed=" + seed + " at step=" + step + ": " + e, e);
    } finally {
      storage.close();
    }
  }

  private static void checkScan(Model model, Map<Long, OpenTxn> openTxns, ShardStore shard, byte[] start, byte[] end, long readTs) {
    List<ScanItem> actual = new ArrayList<>();
    try (ScanIterator scan = shard.scan(start, end, readTs)) {
      scan.forEachRemaining(actual::add);
    }
    TreeMap<byte[], Boolean> candidates = new TreeMap<>(ByteArrays.UNSIGNED);
    model.versions.subMap(start, true, end, false).keySet().forEach(k -> candidates.put(k, true));
    model.lockOwners.subMap(start, true, end, false).keySet().forEach(k -> candidates.put(k, true));
    List<Map.Entry<byte[], ReadResult>> expected = new ArrayList<>();
    for (byte[] key : candidates.keySet()) {
      ReadResult read = model.expectedRead(key, readTs, openTxns);
      if (!(read instanceof ReadResult.Absent)) {
        expected.add(Map.entry(key, read));
      }
    }
    String where = "scan [" + HexFormat.of().formatHex(start) + ", " + HexFormat.of().formatHex(end) + ") at " + readTs;
    assertEquals(expected.size(), actual.size(), where + " size");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).getKey(), actual.get(i).key(), where + " key " + i);
      checkRead(expected.get(i).getValue(), actual.get(i).result(), where + " item " + i);
    }
  }

  private static void checkRead(ReadResult expected, ReadResult actual, String where) {
    if (expected instanceof ReadResult.Locked locked) {
      ReadResult.Locked actualLock = assertInstanceOf(ReadResult.Locked.class, actual, where);
      assertEquals(locked.lock().startTs(), actualLock.lock().startTs(), where);
      assertArrayEquals(locked.lock().primaryKey(), actualLock.lock().primaryKey(), where);
    } else if (expected instanceof ReadResult.Value value) {
      ReadResult.Value actualValue = assertInstanceOf(ReadResult.Value.class, actual, where);
      assertEquals(value.commitTs(), actualValue.commitTs(), where);
      assertArrayEquals(value.value(), actualValue.value(), where);
    } else {
      assertEquals(ReadResult.ABSENT, actual, where);
    }
  }

  /** Mutations that make a prepare or one-phase commit at {@code startTs} fail, in order. */
  private static List<Mutation> failingMutations(Model model, long startTs, List<Mutation> mutations) {
    List<Mutation> failing = new ArrayList<>();
    for (Mutation m : mutations) {
      if (model.lockOwners.containsKey(m.key()) || model.newestCommitTs(m.key()) > startTs) {
        failing.add(m);
      }
    }
    return failing;
  }

  /** The failure must name a failing key and the true reason. */
  private static void checkFailure(Model model, long startTs, List<Mutation> failing, Object result) {
    byte[] key;
    if (result instanceof OnePhaseResult.KeyLocked locked) {
      key = locked.lock().key();
      assertEquals(model.lockOwners.get(key), locked.lock().startTs());
    } else if (result instanceof PrepareResult.KeyLocked locked) {
      key = locked.lock().key();
      assertEquals(model.lockOwners.get(key), locked.lock().startTs());
    } else if (result instanceof OnePhaseResult.WriteConflict conflict) {
      key = conflict.key();
      assertEquals(model.newestCommitTs(key), conflict.commitTs());
      assertTrue(conflict.commitTs() > startTs);
    } else if (result instanceof PrepareResult.WriteConflict conflict) {
      key = conflict.key();
      assertEquals(model.newestCommitTs(key), conflict.commitTs());
      assertTrue(conflict.commitTs() > startTs);
    } else {
      fail("expected a conflict or lock, got " + result);
      return;
    }
    assertTrue(failing.stream().anyMatch(m -> Arrays.equals(m.key(), key)), "reported key is not a failing one");
  }

  private static List<Mutation> randomMutations(Random random) {
    TreeMap<byte[], Mutation> byKey = new TreeMap<>(ByteArrays.UNSIGNED);
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      byte[] key = randomKey(random);
      byte[] value = random.nextInt(5) == 0 ? null : randomValue(random);
      byKey.put(key, new Mutation(key, value));
    }
    List<Mutation> mutations = new ArrayList<>(byKey.values());
    java.util.Collections.shuffle(mutations, random);
    return mutations;
  }

  private static byte[] randomKey(Random random) {
    byte[] key = new byte[random.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return key;
  }

  private static byte[] randomValue(Random random) {
    byte[] value = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 20)];
    random.nextBytes(value);
    return value;
  }

  private static OpenTxn pick(Random random, TreeMap<Long, OpenTxn> openTxns) {
    List<OpenTxn> all = new ArrayList<>(openTxns.values());
    return all.get(random.nextInt(all.size()));
  }
}
