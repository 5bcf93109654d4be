package io.shaledb.txn.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.txn.tso.ManualClock;
import io.shaledb.txn.TxnConfig;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@link LocalKvStore} adds to the {@link io.shaledb.txn.KvStoreContract} (run by {@link LocalKvStoreContractTest}): durability across reopen, keyspace bookkeeping, validation. */
class LocalKvStoreTest {
  static final int KS = Keyspaces.FIRST_USER_KEYSPACE;
  static final long T0 = 1_700_000_000_000L;
  static final LocalKvStoreConfig CONFIG = new LocalKvStoreConfig(new TxnConfig(1_000, 300, 1, 16), 1_000);

  enum StorageKind {
    MEMORY,
    FILE
  }

  @TempDir Path dataDir;

  private final ManualClock clock = new ManualClock(T0);
  private StorageKind kind = StorageKind.MEMORY;
  private NodeStorage storage;
  private LocalKvStore store;

  @AfterEach
  void tearDown() {
    closeNode();
  }

  private LocalKvStore open(StorageKind storageKind) {
    kind = storageKind;
    storage = NodeStorage.open(new StorageConfig(storageKind == StorageKind.FILE ? dataDir : null, clock));
    store = new LocalKvStore(storage, CONFIG, clock, new Random(7), millis -> clock.advance(millis));
    return store;
  }

  private LocalKvStore reopen() {
    assertEquals(StorageKind.FILE, kind, "only file storage survives a reopen");
    closeNode();
    return open(StorageKind.FILE);
  }

  private void closeNode() {
    if (store != null) {
      store.close();
      store = null;
    }
    if (storage != null) {
      storage.close();
      storage = null;
    }
  }

  static byte[] key(int keyspaceId, String suffix) {
    byte[] prefix = Keyspaces.prefix(keyspaceId);
    byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + tail.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(tail, 0, key, prefix.length, tail.length);
    return key;
  }

  static byte[] key(String suffix) {
    return key(KS, suffix);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
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

  static List<String> scan(Transaction txn, ScanSpec spec) {
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

  private int lockCount() {
    return storage.shardIds().stream().mapToInt(id -> storage.shard(id).locks().size()).sum();
  }

  @Test
  void timestampsKeepIncreasingAcrossReopenEvenWhenTheClockWentBackwards() {
    open(StorageKind.FILE).createKeyspace(KS, 2);
    commit("a", "before restart");
    long before = store.currentTimestamp();
    clock.advance(-3_600_000);
    reopen();
    long after = store.currentTimestamp();
    assertTrue(after > before, after + " <= " + before);
    try (Transaction txn = store.begin()) {
      assertTrue(txn.startTimestamp() > after);
      assertEquals("before restart", text(txn.get(key("a"))), "a snapshot after the restart sees earlier commits");
    }
    commit("a", "after restart");
    assertEquals("after restart", read("a"));
  }

  @Test
  void keyspacesAreCreatedAndDroppedDurably() {
    open(StorageKind.FILE);
    assertFalse(store.keyspaceExists(KS));
    store.createKeyspace(KS, 4);
    store.createKeyspace(KS, 4); // idempotent
    store.createKeyspace(KS + 1, 2);
    assertThrows(IllegalStateException.class, () -> store.createKeyspace(KS, 5));
    assertThrows(IllegalArgumentException.class, () -> store.createKeyspace(KS + 2, 0));
    assertThrows(IllegalArgumentException.class, () -> store.createKeyspace(0, 1));
    assertEquals(6, storage.shardIds().size());
    commit("a", "1");
    try (Transaction txn = store.begin()) {
      txn.put(key(KS + 1, "b"), bytes("2"));
      txn.commit();
    }

    store.dropKeyspace(KS + 1);
    store.dropKeyspace(KS + 1); // idempotent
    assertFalse(store.keyspaceExists(KS + 1));
    assertEquals(4, storage.shardIds().size());

    reopen();
    assertTrue(store.keyspaceExists(KS));
    assertFalse(store.keyspaceExists(KS + 1));
    assertEquals("1", read("a"));
    Set<Integer> shardsBefore = new HashSet<>(storage.shardIds());
    store.createKeyspace(KS + 1, 2);
    try (Transaction txn = store.begin()) {
      assertNull(txn.get(key(KS + 1, "b")), "a re-created keyspace starts empty");
      ShaleException missing = assertThrows(ShaleException.class, () -> txn.get(key(KS + 7, "x")));
      assertEquals(SqlState.UNDEFINED_TABLE, missing.sqlState());
      assertThrows(ShaleException.class, () -> txn.scan(ScanSpec.wholeKeyspace(KS + 7)));
    }
    Set<Integer> newShards = new HashSet<>(storage.shardIds());
    newShards.removeAll(shardsBefore);
    assertEquals(2, newShards.size());
    assertTrue(newShards.stream().allMatch(id -> id >= 6), "shard ids are not reused: " + newShards);
  }

  @Test
  void shardsNoKeyspaceOwnsAreDroppedAtOpen() {
    open(StorageKind.FILE).createKeyspace(KS, 2);
    commit("a", "1");
    closeNode();
    try (NodeStorage raw = NodeStorage.open(new StorageConfig(dataDir, clock))) {
      raw.createShard(500); // as left by a create that crashed before its registry update
      raw.sync();
    }
    open(StorageKind.FILE);
    assertFalse(storage.shardIds().contains(500));
    assertEquals(2, storage.shardIds().size());
    assertEquals("1", read("a"));
  }

  @Test
  void unusableAfterClose() {
    open(StorageKind.MEMORY).close();
    assertThrows(IllegalStateException.class, store::begin);
    assertThrows(IllegalStateException.class, () -> store.createKeyspace(KS, 1));
  }

  @Test
  void readOnlyBoundsAndKeysAreValidated() {
    open(StorageKind.MEMORY).createKeyspace(KS, 1);
    try (Transaction txn = store.begin()) {
      assertThrows(IllegalArgumentException.class, () -> txn.put(new byte[] {0, 0}, bytes("x")));
      assertThrows(NullPointerException.class, () -> txn.put(key("a"), null));
      txn.put(key("a"), bytes("1"));
      assertArrayEquals(bytes("1"), txn.get(key("a")));
    }
  }
}
