package io.shaledb.cluster.membership;

import io.shaledb.kv.KeyRouting;
import java.util.List;

/** A keyspace's shards in hash order: the key with {@link KeyRouting#shardIndex} {@code i} lives in {@code shards.get(i)}. */
public record KeyspacePlacement(int keyspaceId, List<ShardPlacement> shards) {
  public KeyspacePlacement {
    shards = List.copyOf(shards);
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("keyspace " + keyspaceId + " needs at least one shard");
    }
  }

  public ShardPlacement shardFor(byte[] key) {
    return shards.get(KeyRouting.shardIndex(key, shards.size()));
  }
}
