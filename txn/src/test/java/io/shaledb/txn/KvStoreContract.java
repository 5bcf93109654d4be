package io.shaledb.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KvStore} and its {@link Transaction}s promise, written once: snapshot reads,
 * reading one's own writes, merged scans over many shards, all-or-nothing multi-shard commits,
 * first committer wins, rollback, and read-only transactions as of a timestamp. An implementation's
 * test extends it and wires {@link #open}; the single-node store runs it in txn, the cluster store
 * (over RPC on loopback) in cluster.
 */
public abstract class KvStoreContract {
  protected static final int KS = Keyspaces.FIRST_USER_KEYSPACE + 100;

  protected KvStore store;

  /** A new, empty store whose clock {@link #advanceClock} moves. */
  protected abstract KvStore open();

  /** The wall clock the store reads, in epoch milliseconds. */
  protected abstract long nowMillis();

  /** Moves the store's wall clock forward. */
  protected abstract void advanceClock(long millis);

  /** The locks left on every shard of the store. */
  protected abstract int lockCount();

  /** Closes what {@link #open} opened besides the store. */
  protected void closeRest() {}

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    try {
      store.close();
    } finally {
      closeRest();
    }
  }

  protected static byte[] key(int keyspaceId, String suffix) {
    byte[] prefix = Keyspaces.prefix(keyspaceId);
    byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + tail.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(tail, 0, key, prefix.length, tail.length);
    return key;
  }

  protected static byte[] key(String suffix) {
    return key(KS, suffix);
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private void commit(String... suffixesAndValues) {
    try (Transaction txn = store.begin()) {
      for (int i = 0; i < suffixesAndValues.length; i += 2) {
        if (suffixesAndValues[i + 1] == null) {
          txn.delete(key(suffixesAndValues[i]));
        } else {
          txn.put(key(suffixesAndValues[i]), bytes(suffixesAndValues[i + 1]));
        }
      }
      txn.commit();
    }
  }

  private String read(String suffix) {
    try (Transaction txn = store.begin()) {
      return text(txn.get(key(suffix)));
    }
  }

  protected static List<String> scan(Transaction txn, ScanSpec spec) {
    List<String> entries = new ArrayList<>();
    try (KvCursor cursor = txn.scan(spec)) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        String suffix = new String(entry.key(), Keyspaces.PREFIX_BYTES, entry.key().length - Keyspaces.PREFIX_BYTES, StandardCharsets.UTF_8);
        entries.add(suffix + "=" + text(entry.value()));
      }
    }
    return entries;
  }

  @Test
  void snapshotReadsDoNotSeeLaterCommits() {
    store.createKeyspace(KS, 4);
    commit("a", "1", "b", "1");
    try (Transaction reader = store.begin()) {
      commit("a", "2", "b", null, "c", "2");
      assertEquals("1", text(reader.get(key("a"))));
      assertEquals("1", text(reader.get(key("b"))));
      assertNull(reader.get(key("c")));
      assertEquals(List.of("a=1", "b=1"), scan(reader, ScanSpec.wholeKeyspace(KS)));
    }
    assertEquals("2", read("a"));
    assertNull(read("b"));
  }

  @Test
  void transactionReadsItsOwnWritesInGetsAndScans() {
    store.createKeyspace(KS, 4);
    commit("a", "old", "c", "old", "e", "old", "g", "old");
    try (Transaction txn = store.begin()) {
      assertFalse(txn.hasWrites());
      txn.put(key("b"), bytes("new"));
      txn.put(key("c"), bytes("new"));
      txn.delete(key("e"));
      txn.delete(key("x")); // absent: allowed
      txn.put(key("h"), bytes("new"));
      assertTrue(txn.hasWrites());
      assertEquals("new", text(txn.get(key("b"))));
      assertEquals("new", text(txn.get(key("c"))));
      assertNull(txn.get(key("e")));
      assertEquals(
          List.of("a=old", "b=new", "c=new", "g=old", "h=new"), scan(txn, ScanSpec.wholeKeyspace(KS)));
      assertEquals(List.of("a=old", "b=new"), scan(txn, ScanSpec.wholeKeyspace(KS).withLimit(2)));
      assertEquals(List.of("c=new", "g=old"), scan(txn, new ScanSpec(key("c"), key("h"), ScanSpec.NO_LIMIT)));
      txn.commit();
    }
    try (Transaction txn = store.begin()) {
      assertEquals(List.of("a=old", "b=new", "c=new", "g=old", "h=new"), scan(txn, ScanSpec.wholeKeyspace(KS)));
    }
  }

  @Test
  void scansMergeManyShardsInKeyOrderAndHonourLimits() {
    store.createKeyspace(KS, 16);
    store.createKeyspace(KS + 1, 3); // a neighbour whose keys must not leak into the scan
    TreeMap<String, String> model = new TreeMap<>();
    Random random = new Random(11);
    for (int round = 0; round < 3; round++) {
      try (Transaction txn = store.begin()) {
        for (int i = 0; i < 100; i++) {
          String suffix = String.format("k%05d", random.nextInt(100_000));
          txn.put(key(suffix), bytes("v" + round));
          txn.put(key(KS + 1, suffix), bytes("neighbour"));
          model.put(suffix, "v" + round);
        }
        txn.commit();
      }
    }
    List<String> expected = new ArrayList<>();
    model.forEach((suffix, value) -> expected.add(suffix + "=" + value));
    try (Transaction txn = store.begin()) {
      assertEquals(expected, scan(txn, ScanSpec.wholeKeyspace(KS)));
      assertEquals(expected.subList(0, 25), scan(txn, ScanSpec.wholeKeyspace(KS).withLimit(25)));
      assertEquals(List.of(), scan(txn, ScanSpec.wholeKeyspace(KS).withLimit(0)));
      List<String> range = new ArrayList<>();
      model.subMap("k20000", "k60000").forEach((suffix, value) -> range.add(suffix + "=" + value));
      assertEquals(range, scan(txn, new ScanSpec(key("k20000"), key("k60000"), ScanSpec.NO_LIMIT)));
      assertEquals(range.subList(0, 5), scan(txn, new ScanSpec(key("k20000"), key("k60000"), 5)));
    }
  }

  @Test
  void multiShardCommitIsAllOrNothing() {
    store.createKeyspace(KS, 8);
    Transaction before = store.begin();
    try (Transaction txn = store.begin()) {
      for (int i = 0; i < 40; i++) {
        txn.put(key("k" + i), bytes("v" + i));
      }
      txn.commit();
    }
    assertEquals(List.of(), scan(before, ScanSpec.wholeKeyspace(KS)));
    before.close();
    try (Transaction after = store.begin()) {
      assertEquals(40, scan(after, ScanSpec.wholeKeyspace(KS)).size());
    }

    Transaction loser = store.begin();
    commit("k39", "winner");
    for (int i = 0; i < 40; i++) {
      loser.put(key("k" + i), bytes("lost"));
    }
    assertThrows(WriteConflictException.class, loser::commit);
    try (Transaction after = store.begin()) {
      List<String> entries = scan(after, ScanSpec.wholeKeyspace(KS));
      assertEquals(40, entries.size());
      assertTrue(entries.stream().noneMatch(entry -> entry.endsWith("=lost")), entries.toString());
    }
    assertEquals(0, lockCount());
  }

  @Test
  void firstCommitterWinsAndTheLoserLeavesNothing() {
    store.createKeyspace(KS, 4);
    commit("shared", "0");
    Transaction first = store.begin();
    Transaction second = store.begin();
    first.put(key("shared"), bytes("first"));
    second.put(key("shared"), bytes("second"));
    second.put(key("only-second-1"), bytes("x"));
    second.put(key("only-second-2"), bytes("x"));
    first.commit();

    WriteConflictException conflict = assertThrows(WriteConflictException.class, second::commit);
    assertEquals("40001", conflict.sqlState().code());
    assertTrue(conflict.sqlState().isRetryable());
    assertFalse(second.isActive());
    assertThrows(IllegalStateException.class, () -> second.get(key("shared")));
    second.close();
    assertEquals("first", read("shared"));
    assertNull(read("only-second-1"));
    assertNull(read("only-second-2"));
    assertEquals(0, lockCount());
  }

  @Test
  void rollbackLeavesNothingAndEndsTheTransaction() {
    store.createKeyspace(KS, 4);
    Transaction txn = store.begin();
    txn.put(key("a"), bytes("1"));
    txn.put(key("b"), bytes("1"));
    txn.rollback();
    assertFalse(txn.isActive());
    txn.rollback(); // idempotent
    assertThrows(IllegalStateException.class, () -> txn.get(key("a")));
    assertThrows(IllegalStateException.class, () -> txn.put(key("a"), bytes("2")));
    assertThrows(IllegalStateException.class, txn::commit);
    assertNull(read("a"));

    Transaction closed = store.begin();
    closed.put(key("a"), bytes("1"));
    closed.close();
    assertFalse(closed.isActive());
    assertNull(read("a"));

    Transaction committed = store.begin();
    committed.put(key("a"), bytes("1"));
    committed.commit();
    assertFalse(committed.isActive());
    assertThrows(IllegalStateException.class, committed::commit);
    committed.close();
    assertEquals("1", read("a"));
    assertEquals(0, lockCount());
  }

  @Test
  void readOnlyTransactionReadsAsOfATimestamp() {
    store.createKeyspace(KS, 4);
    commit("a", "v1", "b", "v1");
    long firstMillis = nowMillis();
    advanceClock(1_000);
    commit("a", "v2", "b", null);

    try (Transaction past = store.beginReadOnlyAt(store.timestampAt(firstMillis))) {
      assertEquals("v1", text(past.get(key("a"))));
      assertEquals(List.of("a=v1", "b=v1"), scan(past, ScanSpec.wholeKeyspace(KS)));
      ShaleException writeFailure = assertThrows(ShaleException.class, () -> past.put(key("a"), bytes("x")));
      assertEquals(SqlState.INVALID_TRANSACTION_STATE, writeFailure.sqlState());
      assertTrue(writeFailure.getMessage().contains("read-only"), writeFailure.getMessage());
      assertThrows(ShaleException.class, () -> past.delete(key("a")));
      past.commit();
    }
    try (Transaction beforeAll = store.beginReadOnlyAt(store.timestampAt(firstMillis - 1))) {
      assertNull(beforeAll.get(key("a")));
    }
    try (Transaction future = store.beginReadOnlyAt(store.timestampAt(nowMillis() + 60_000))) {
      assertTrue(future.startTimestamp() <= store.currentTimestamp(), "a future instant reads as now");
      assertEquals(List.of("a=v2"), scan(future, ScanSpec.wholeKeyspace(KS)));
    }
    try (Transaction now = store.beginReadOnlyAt(store.currentTimestamp())) {
      assertEquals("v2", text(now.get(key("a"))));
    }
    assertEquals(0, store.timestampAt(-5));
    assertThrows(ShaleException.class, () -> store.beginReadOnlyAt(-1));
  }

  @Test
  void getAllReadsEachKeyAtTheSnapshotWithOwnWrites() {
    store.createKeyspace(KS, 4);
    commit("a", "1", "b", "1", "c", "1");
    try (Transaction txn = store.begin()) {
      commit("a", "2");
      txn.put(key("b"), bytes("own"));
      txn.delete(key("c"));
      List<byte[]> values = txn.getAll(List.of(key("a"), key("b"), key("c"), key("missing")));
      List<String> texts = new ArrayList<>();
      values.forEach(value -> texts.add(text(value)));
      assertEquals(java.util.Arrays.asList("1", "own", null, null), texts);
    }
  }

  @Test
  void keyspacesAreCreatedAndDropped() {
    assertFalse(store.keyspaceExists(KS));
    store.createKeyspace(KS, 3);
    assertTrue(store.keyspaceExists(KS));
    commit("a", "1");
    store.dropKeyspace(KS);
    assertFalse(store.keyspaceExists(KS));
    store.createKeyspace(KS, 2);
    assertNull(read("a"), "a dropped keyspace's rows are gone");
  }
}
