package io.shaledb.txn.local;

import io.shaledb.kv.KeyRouting;
import java.util.List;

/** A keyspace's shards: the key with hash index {@code i} (see {@link KeyRouting}) lives in {@code shardIds.get(i)}. */
record KeyspaceLayout(int keyspaceId, List<Integer> shardIds) {
  KeyspaceLayout {
    shardIds = List.copyOf(shardIds);
    if (shardIds.isEmpty()) {
      throw new IllegalArgumentException("keyspace " + keyspaceId + " needs at least one shard");
    }
  }

  int shardCount() {
    return shardIds.size();
  }

  int shardIdFor(byte[] key) {
    return shardIds.get(KeyRouting.shardIndex(key, shardIds.size()));
  }
}
