package io.shaledb.txn.local;

import static io.shaledb.txn.local.LocalKvStoreTest.CONFIG;
import static io.shaledb.txn.local.LocalKvStoreTest.KS;
import static io.shaledb.txn.local.LocalKvStoreTest.bytes;
import static io.shaledb.txn.local.LocalKvStoreTest.key;
import static io.shaledb.txn.local.LocalKvStoreTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.txn.tso.ManualClock;
import io.shaledb.kv.KeyRouting;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that dies between commit phases leaves locks; the next {@link LocalKvStore} over
 * the same files finishes its transactions: forward if the primary committed, back otherwise.
 */
class RecoveryTest {
  private static final int SHARDS = 4;

  @TempDir Path dataDir;

  private final ManualClock clock = new ManualClock(LocalKvStoreTest.T0);
  private final byte[] primary = key("primary");
  private final byte[] secondary = secondKeyInAnotherShard(primary);
  private final byte[] primaryShardOther = sameShardKey(primary);

  private static byte[] secondKeyInAnotherShard(byte[] first) {
    for (int i = 0; ; i++) {
      byte[] candidate = key("secondary-" + i);
      if (KeyRouting.shardIndex(candidate, SHARDS) != KeyRouting.shardIndex(first, SHARDS)) {
        return candidate;
      }
    }
  }

  private static byte[] sameShardKey(byte[] first) {
    for (int i = 0; ; i++) {
      byte[] candidate = key("q-" + i);
      if (KeyRouting.shardIndex(candidate, SHARDS) == KeyRouting.shardIndex(first, SHARDS)) {
        return candidate;
      }
    }
  }

  private NodeStorage openStorage() {
    return NodeStorage.open(new StorageConfig(dataDir, clock));
  }

  private LocalKvStore openStore(NodeStorage storage) {
    return new LocalKvStore(storage, CONFIG, clock, new Random(3), millis -> clock.advance(millis));
  }

  /**
   * Runs a three-key, two-shard transaction's phase 1 directly against the shards, then its commit
   * point if {@code reachCommitPoint}, then "crashes": nothing else happens before the process ends.
   */
  private void crashMidCommit(boolean reachCommitPoint) {
    try (NodeStorage storage = openStorage()) {
      LocalKvStore store = openStore(storage);
      store.createKeyspace(KS, SHARDS);
      try (Transaction txn = store.begin()) {
        txn.put(primary, bytes("old"));
        txn.put(secondary, bytes("old"));
        txn.put(primaryShardOther, bytes("old"));
        txn.commit();
      }
      KeyspaceLayout layout = KeyspaceRegistry.load(storage).find(KS).orElseThrow();
      ShardStore primaryShard = storage.shard(layout.shardIdFor(primary));
      ShardStore secondaryShard = storage.shard(layout.shardIdFor(secondary));
      assertNotEquals(primaryShard.shardId(), secondaryShard.shardId());

      long startTs = store.currentTimestamp();
      long expiresAtMs = clock.millis() + 60_000;
      assertEquals(
          PrepareResult.PREPARED,
          primaryShard.prepare(
              startTs,
              primary,
              List.of(Mutation.put(primary, bytes("new")), Mutation.put(primaryShardOther, bytes("new"))),
              expiresAtMs));
      assertEquals(
          PrepareResult.PREPARED,
          secondaryShard.prepare(startTs, primary, List.of(Mutation.put(secondary, bytes("new"))), expiresAtMs));
      if (reachCommitPoint) {
        assertTrue(primaryShard.commitPrimary(startTs, store.currentTimestamp(), primary, List.of(primaryShardOther)));
      }
      storage.sync();
      store.close();
    }
  }

  private void assertValues(LocalKvStore store, String expected) {
    try (Transaction txn = store.begin()) {
      assertEquals(expected, text(txn.get(primary)));
      assertEquals(expected, text(txn.get(secondary)));
      assertEquals(expected, text(txn.get(primaryShardOther)));
    }
  }

  private static int lockCount(NodeStorage storage) {
    return storage.shardIds().stream().mapToInt(id -> storage.shard(id).locks().size()).sum();
  }

  @Test
  void committedPrimaryIsRolledForwardAtOpen() {
    crashMidCommit(true);
    try (NodeStorage storage = openStorage()) {
      assertEquals(1, lockCount(storage), "only the secondary is still locked");
      LocalKvStore store = openStore(storage);
      assertEquals(1, store.locksResolvedAtOpen());
      assertEquals(0, lockCount(storage));
      assertValues(store, "new");
    }
    try (NodeStorage storage = openStorage()) {
      LocalKvStore store = openStore(storage);
      assertEquals(0, store.locksResolvedAtOpen(), "recovery was made durable");
      assertValues(store, "new");
    }
  }

  @Test
  void transactionThatNeverReachedItsCommitPointIsRolledBackAtOpen() {
    crashMidCommit(false);
    try (NodeStorage storage = openStorage()) {
      assertEquals(3, lockCount(storage));
      LocalKvStore store = openStore(storage);
      assertEquals(3, store.locksResolvedAtOpen());
      assertEquals(0, lockCount(storage));
      assertValues(store, "old");
      try (Transaction txn = store.begin()) {
        txn.put(secondary, bytes("later"));
        txn.commit();
      }
    }
    try (NodeStorage storage = openStorage()) {
      LocalKvStore store = openStore(storage);
      assertEquals(0, store.locksResolvedAtOpen());
      try (Transaction txn = store.begin()) {
        assertEquals("old", text(txn.get(primary)));
        assertEquals("later", text(txn.get(secondary)));
      }
    }
  }
}
