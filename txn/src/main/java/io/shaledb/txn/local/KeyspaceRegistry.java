package io.shaledb.txn.local;

import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.NodeStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keyspaces of one node and their shards, kept in a meta value of its {@link NodeStorage}.
 * The registry owns every shard of that storage: shards it does not list are left-overs of a
 * create or drop interrupted by a crash and are dropped when it loads.
 *
 * <p>Durability order: create makes the shards, then the registry entry, then syncs; drop removes
 * the entry and syncs, then drops the shards. So after a crash a keyspace is either fully there
 * or gone. Shard ids are never reused. Thread-safe: lookups read an immutable snapshot, changes
 * are serialized.
 */
final class KeyspaceRegistry {
  static final String META = PersistedNames.KEYSPACES_META;
  static final int SHARD_COUNT_MAX = 1024;
  private static final byte FORMAT_VERSION = 1;

  private final NodeStorage storage;
  private volatile Map<Integer, KeyspaceLayout> layouts;
  /** Guarded by {@code this}. */
  private int nextShardId;

  private KeyspaceRegistry(NodeStorage storage, Map<Integer, KeyspaceLayout> layouts, int nextShardId) {
    this.storage = storage;
    this.layouts = layouts;
    this.nextShardId = nextShardId;
  }

  /** Reads the registry from {@code storage}, dropping shards no keyspace owns. */
  static KeyspaceRegistry load(NodeStorage storage) {
    byte[] stored = storage.getMeta(META);
    Map<Integer, KeyspaceLayout> layouts = new TreeMap<>();
    int nextShardId = 0;
    if (stored != null) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
          throw new IllegalStateException("unknown keyspace registry format " + version);
        }
        nextShardId = in.readInt();
        int keyspaceCount = in.readInt();
        for (int i = 0; i < keyspaceCount; i++) {
          int keyspaceId = in.readInt();
          int shardCount = in.readInt();
          if (shardCount < 1 || shardCount > SHARD_COUNT_MAX) {
            throw new IllegalStateException("corrupt keyspace registry: keyspace " + keyspaceId + " has " + shardCount + " shards");
          }
          List<Integer> shardIds = new ArrayList<>(shardCount);
          for (int s = 0; s < shardCount; s++) {
            shardIds.add(in.readInt());
          }
          layouts.put(keyspaceId, new KeyspaceLayout(keyspaceId, shardIds));
        }
        if (in.available() != 0) {
          throw new IllegalStateException("corrupt keyspace registry: " + in.available() + " trailing bytes");
        }
      } catch (IOException e) {
        throw new IllegalStateException("corrupt keyspace registry", e);
      }
    }

    Set<Integer> owned = new HashSet<>();
    for (KeyspaceLayout layout : layouts.values()) {
      for (int shardId : layout.shardIds()) {
        if (!owned.add(shardId)) {
          throw new IllegalStateException("corrupt keyspace registry: shard " + shardId + " listed twice");
        }
      }
    }
    Set<Integer> existing = Set.copyOf(storage.shardIds());
    for (int shardId : owned) {
      if (!existing.contains(shardId)) {
        throw new IllegalStateException("keyspace registry lists shard " + shardId + " that the storage does not have");
      }
    }
    boolean droppedOrphans = false;
    for (int shardId : existing) {
      nextShardId = Math.max(nextShardId, shardId + 1);
      if (!owned.contains(shardId)) {
        storage.dropShard(shardId);
        droppedOrphans = true;
      }
    }
    if (droppedOrphans) {
      storage.sync();
    }
    return new KeyspaceRegistry(storage, Map.copyOf(layouts), nextShardId);
  }

  Optional<KeyspaceLayout> find(int keyspaceId) {
    return Optional.ofNullable(layouts.get(keyspaceId));
  }

  Collection<KeyspaceLayout> all() {
    return layouts.values();
  }

  /**
   * Creates keyspace {@code keyspaceId} with {@code shardCount} new shards, durably; returns the
   * existing layout if it already has that many shards.
   *
   * @throws IllegalArgumentException if the id or count is out of range
   * @throws IllegalStateException if the keyspace exists with another shard count
   */
  synchronized KeyspaceLayout create(int keyspaceId, int shardCount) {
    Keyspaces.prefix(keyspaceId); // validates the id
    if (shardCount < 1 || shardCount > SHARD_COUNT_MAX) {
      throw new IllegalArgumentException("shard count must be in [1, " + SHARD_COUNT_MAX + "]: " + shardCount);
    }
    KeyspaceLayout existing = layouts.get(keyspaceId);
    if (existing != null) {
      if (existing.shardCount() != shardCount) {
        throw new IllegalStateException(
            "keyspace " + keyspaceId + " already exists with " + existing.shardCount() + " shards, not " + shardCount);
      }
      return existing;
    }
    if (nextShardId > Integer.MAX_VALUE - shardCount) {
      throw new IllegalStateException("shard ids exhausted");
    }
    List<Integer> shardIds = new ArrayList<>(shardCount);
    for (int i = 0; i < shardCount; i++) {
      int shardId = nextShardId++;
      storage.createShard(shardId);
      shardIds.add(shardId);
    }
    KeyspaceLayout layout = new KeyspaceLayout(keyspaceId, shardIds);
    Map<Integer, KeyspaceLayout> updated = new TreeMap<>(layouts);
    updated.put(keyspaceId, layout);
    persist(updated);
    storage.sync();
    layouts = Map.copyOf(updated);
    return layout;
  }

  /**
   * Removes a keyspace and its shards, durably.
   *
   * @return its layout, or empty if it did not exist
   */
  synchronized Optional<KeyspaceLayout> drop(int keyspaceId) {
    KeyspaceLayout existing = layouts.get(keyspaceId);
    if (existing == null) {
      return Optional.empty();
    }
    Map<Integer, KeyspaceLayout> updated = new TreeMap<>(layouts);
    updated.remove(keyspaceId);
    layouts = Map.copyOf(updated);
    persist(updated);
    storage.sync();
    for (int shardId : existing.shardIds()) {
      storage.dropShard(shardId);
    }
    storage.sync();
    return Optional.of(existing);
  }

  private void persist(Map<Integer, KeyspaceLayout> updated) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeInt(nextShardId);
      out.writeInt(updated.size());
      for (KeyspaceLayout layout : updated.values()) {
        out.writeInt(layout.keyspaceId());
        out.writeInt(layout.shardCount());
        for (int shardId : layout.shardIds()) {
          out.writeInt(shardId);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    storage.putMeta(META, bytes.toByteArray());
  }
}
