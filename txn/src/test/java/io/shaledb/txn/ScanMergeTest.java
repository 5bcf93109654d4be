package io.shaledb.txn;

import static io.shaledb.txn.TxnRig.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scans merge shards in key order with the transaction's own writes on top, checked against a TreeMap model. */
class ScanMergeTest {
  private static final int KS = 4_000;
  private static final int SHARDS = 7;

  private TxnRig rig;

  @BeforeEach
  void setUp() {
    rig = new TxnRig();
    rig.directory.addKeyspace(KS, SHARDS);
  }

  @AfterEach
  void tearDown() {
    rig.close();
  }

  private static byte[] randomKey(Random random) {
    byte[] suffix = new byte[1 + random.nextInt(3)];
    random.nextBytes(suffix);
    byte[] prefix = Keyspaces.prefix(KS);
    byte[] key = new byte[prefix.length + suffix.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
    return key;
  }

  private static List<String> drain(KvCursor cursor) {
    List<String> entries = new ArrayList<>();
    try (cursor) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        entries.add(HexFormat.of().formatHex(entry.key()) + "=" + HexFormat.of().formatHex(entry.value()));
      }
    }
    return entries;
  }

  private static List<String> expected(NavigableMap<byte[], byte[]> model, ScanSpec spec) {
    List<String> entries = new ArrayList<>();
    if (ByteArrays.compare(spec.startInclusive(), spec.endExclusive()) >= 0) {
      return entries;
    }
    for (Map.Entry<byte[], byte[]> entry : model.subMap(spec.startInclusive(), true, spec.endExclusive(), false).entrySet()) {
      if (entries.size() >= spec.limit()) {
        break;
      }
      entries.add(HexFormat.of().formatHex(entry.getKey()) + "=" + HexFormat.of().formatHex(entry.getValue()));
    }
    return entries;
  }

  @Test
  void randomScansMatchAModelWithBufferedWritesOnTop() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    NavigableMap<byte[], byte[]> committed = new TreeMap<>(ByteArrays.UNSIGNED);
    for (int round = 0; round < 8; round++) {
      try (Transaction txn = rig.coordinator.begin()) {
        for (int i = 0; i < 60; i++) {
          byte[] key = randomKey(random);
          if (random.nextInt(5) == 0) {
            txn.delete(key);
            committed.remove(key);
          } else {
            byte[] value = bytes("v" + round + "." + i);
            txn.put(key, value);
            committed.put(key, value);
          }
        }
        txn.commit();
      }
    }

    try (Transaction txn = rig.coordinator.begin()) {
      NavigableMap<byte[], byte[]> seen = new TreeMap<>(committed);
      for (int i = 0; i < 80; i++) {
        byte[] key = random.nextBoolean() && !seen.isEmpty() ? pickExisting(seen, random) : randomKey(random);
        if (random.nextInt(3) == 0) {
          txn.delete(key);
          seen.remove(key);
        } else {
          byte[] value = bytes("mine" + i);
          txn.put(key, value);
          seen.put(key, value);
        }
      }
      for (int query = 0; query < 200; query++) {
        ScanSpec spec;
        if (query == 0) {
          spec = ScanSpec.wholeKeyspace(KS);
        } else {
          byte[] start = random.nextInt(10) == 0 ? Keyspaces.prefix(KS) : randomKey(random);
          byte[] end = random.nextInt(10) == 0 ? Keyspaces.prefixEnd(KS) : randomKey(random);
          long limit = random.nextInt(4) == 0 ? ScanSpec.NO_LIMIT : random.nextInt(30);
          spec = new ScanSpec(start, end, limit);
        }
        assertEquals(expected(seen, spec), drain(txn.scan(spec)), "seed " + seed + ", query " + query);
      }
    }
  }

  private static byte[] pickExisting(NavigableMap<byte[], byte[]> map, Random random) {
    byte[] probe = randomKey(random);
    byte[] key = map.ceilingKey(probe);
    return key != null ? key : map.firstKey();
  }

  @Test
  void cursorSeesWritesMadeBeforeTheScanButNotWhileItIsOpen() {
    byte[] a = FirstByteDirectory.key(KS, 0, "a");
    byte[] b = FirstByteDirectory.key(KS, 1, "b");
    byte[] c = FirstByteDirectory.key(KS, 2, "c");
    rig.commit(a, "a", c, "c");
    try (Transaction txn = rig.coordinator.begin()) {
      txn.delete(a);
      try (KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(KS))) {
        txn.put(b, bytes("b"));
        assertTrue(cursor.hasNext());
        assertArrayEquals(c, cursor.next().key());
        assertFalse(cursor.hasNext());
      }
      assertEquals(2, drain(txn.scan(ScanSpec.wholeKeyspace(KS))).size(), "b and c");
    }
  }

  @Test
  void cursorIsInvalidAfterItsTransactionEnds() {
    rig.commit(FirstByteDirectory.key(KS, 0, "a"), "a", FirstByteDirectory.key(KS, 1, "b"), "b");
    Transaction txn = rig.coordinator.begin();
    KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(KS));
    assertTrue(cursor.hasNext());
    txn.commit();
    assertThrows(IllegalStateException.class, cursor::hasNext);
    cursor.close();
    cursor.close();
  }

  @Test
  void limitZeroAndEmptyRangesYieldNothing() {
    rig.commit(FirstByteDirectory.key(KS, 0, "a"), "a");
    try (Transaction txn = rig.coordinator.begin()) {
      assertEquals(List.of(), drain(txn.scan(ScanSpec.wholeKeyspace(KS).withLimit(0))));
      byte[] key = FirstByteDirectory.key(KS, 0, "a");
      assertEquals(List.of(), drain(txn.scan(new ScanSpec(key, key, ScanSpec.NO_LIMIT))));
      assertEquals(1, drain(txn.scan(ScanSpec.withPrefix(key))).size());
    }
  }
}
