package io.shaledb.txn;

import io.shaledb.storage.NodeStorage;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The log the shards of this process write to: every shard of a node's {@link NodeStorage} shares
 * its one MapDB database and redo log. The local transport makes requests durable with it.
 *
 * @param storage the node's storage; its {@link NodeStorage#sync()} is the node's group commit
 * @param holds whether the shard that owns a key is stored in {@code storage} (writes to this log);
 *     false when unknown, which only costs a sync
 */
public record LocalLog(NodeStorage storage, Predicate<byte[]> holds) {
  public LocalLog {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(holds, "holds");
  }

  /** A log that holds every key: a single-node store, whose shards are all in {@code storage}. */
  public static LocalLog holdingEveryKey(NodeStorage storage) {
    return new LocalLog(storage, key -> true);
  }

  /** Group commit: returns once every write made to the log before the call is durable. */
  void sync() {
    storage.sync();
  }
}
