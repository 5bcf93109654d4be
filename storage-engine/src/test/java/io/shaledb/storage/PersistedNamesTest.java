package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaledb.kv.Keyspaces;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins every name a node persists. If this fails, a change renamed something that existing data
 * directories already contain: keep the old name (or write a migration), never just update the
 * expected value here. A new persisted name is added to the table below.
 */
class PersistedNamesTest {
  private static final Map<String, String> PINNED = new TreeMap<>(Map.ofEntries(
      Map.entry("DATA_FILE", "shaledb.db"),
      Map.entry("LOG_FILE", "shaledb.redo"),
      Map.entry("COMPACTING_DATA_FILE", "shaledb.db.compacting"),
      Map.entry("COMPACTING_LOG_FILE", "shaledb.redo.compacting"),
      Map.entry("LOCK_FILE", "shaledb.lock"),
      Map.entry("SHARDS_MAP", "shards"),
      Map.entry("META_MAP", "meta"),
      Map.entry("SHARD_MAP_PREFIX", "shard."),
      Map.entry("VERSIONS_MAP_SUFFIX", ".versions"),
      Map.entry("LOCKS_MAP_SUFFIX", ".locks"),
      Map.entry("TXNS_MAP_SUFFIX", ".txns"),
      Map.entry("COMPACTED_BYTES_META", "storage.compacted.bytes"),
      Map.entry("TSO_UPPER_BOUND_META", "tso.upper-bound-exclusive"),
      Map.entry("GC_FLOOR_META", "txn.gc.floor"),
      Map.entry("KEYSPACES_META", "cluster.keyspaces"),
      Map.entry("NODE_ID_META", "cluster.node-id"),
      Map.entry("MEMBERS_META", "cluster.members"),
      Map.entry("SHARD_MAP_META", "cluster.shard-map"),
      Map.entry("NEXT_SHARD_ID_META", "cluster.next-shard-id"),
      Map.entry("REPLICA_APPLIED_META", "replica.applied")));

  @Test
  void everyDeclaredNameHasItsPinnedValue() throws IllegalAccessException {
    Map<String, String> declared = new TreeMap<>();
    for (Field field : PersistedNames.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        field.setAccessible(true);
        declared.put(field.getName(), (String) field.get(null));
      }
    }
    // Equal maps: no value changed, none was removed, and none was added without being pinned.
    assertEquals(PINNED, declared);
  }

  @Test
  void shardMapNames() {
    assertEquals("shard.7.versions", PersistedNames.versionsMap(7));
    assertEquals("shard.7.locks", PersistedNames.locksMap(7));
    assertEquals("shard.7.txns", PersistedNames.txnsMap(7));
  }

  @Test
  void keyspaceIdsAndTheirPrefix() {
    assertEquals(1, Keyspaces.CATALOG);
    assertEquals(1024, Keyspaces.FIRST_USER_KEYSPACE);
    assertEquals(4, Keyspaces.PREFIX_BYTES);
    assertArrayEquals(new byte[] {0, 0, 4, 0}, Keyspaces.prefix(Keyspaces.FIRST_USER_KEYSPACE));
  }

  @Test
  void theStorageUsesThem() {
    assertEquals(PersistedNames.DATA_FILE, MapDbNodeStorage.DATA_FILE);
    assertEquals(PersistedNames.LOG_FILE, MapDbNodeStorage.LOG_FILE);
    assertEquals(PersistedNames.COMPACTED_BYTES_META, MapDbNodeStorage.COMPACTED_BYTES_META);
  }
}
