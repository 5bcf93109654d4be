package io.shaledb.storage;

import java.util.Objects;
import org.mapdb.serializer.GroupSerializer;

/**
 * A named B-tree of the node's MapDB database: what it takes to open it in any {@link
 * StoreGeneration}, so that compaction can recreate it in a fresh database.
 */
record MapSpec<K, V>(String name, GroupSerializer<K> keys, GroupSerializer<V> values) {
  MapSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
  }
}
