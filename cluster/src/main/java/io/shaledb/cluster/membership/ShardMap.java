package io.shaledb.cluster.membership;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where every keyspace's shards live, as the metadata node last published it. {@code version}
 * grows with every change, so a node can tell a newer map from the one it caches. Immutable.
 */
public record ShardMap(long version, Map<Integer, KeyspacePlacement> keyspaces) {
  public static final ShardMap EMPTY = new ShardMap(0, Map.of());

  public ShardMap {
    keyspaces = Map.copyOf(keyspaces);
  }

  public Optional<KeyspacePlacement> find(int keyspaceId) {
    return Optional.ofNullable(keyspaces.get(keyspaceId));
  }

  public ShardMap with(KeyspacePlacement placement) {
    Map<Integer, KeyspacePlacement> updated = new TreeMap<>(keyspaces);
    updated.put(placement.keyspaceId(), placement);
    return new ShardMap(version + 1, updated);
  }

  public ShardMap without(int keyspaceId) {
    Map<Integer, KeyspacePlacement> updated = new TreeMap<>(keyspaces);
    updated.remove(keyspaceId);
    return new ShardMap(version + 1, updated);
  }

  /** The largest shard id in use, or -1. */
  public int maxShardId() {
    int max = -1;
    for (KeyspacePlacement placement : keyspaces.values()) {
      for (ShardPlacement shard : placement.shards()) {
        max = Math.max(max, shard.shardId());
      }
    }
    return max;
  }
}
