package io.shaledb.cluster.replication;

import io.shaledb.kv.RowFilter;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.ShardRequest;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * A shard of a replica group: requests go through the group's {@link ReplicaGroupClient}. Durability
 * before the reply is the log's: a state change is answered once a majority of replicas has it in
 * its synced Raft log. A one-phase commit's timestamp is taken by the group's leader.
 */
final class ReplicatedShardParticipant implements ShardParticipant {
  private static final int SCAN_PAGE_ITEMS = 1024;

  private final int shardId;
  private final ReplicaGroupClient group;

  ReplicatedShardParticipant(int shardId, ReplicaGroupClient group) {
    this.shardId = shardId;
    this.group = group;
  }

  @Override
  public int shardId() {
    return shardId;
  }

  @Override
  public <R> CompletableFuture<R> send(ShardRequest<R> request) {
    if (request.shardId() != shardId) {
      throw new IllegalArgumentException("request for shard " + request.shardId() + " sent to shard " + shardId);
    }
    return group.send(request);
  }

  /** Pages of one snapshot, each a linearizable read of the leader; the filter is applied there. */
  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
    RowFilter effective = filter != null && filter.isEffective() ? filter : null;
    return new ScanIterator() {
      private Iterator<ScanItem> page = Collections.emptyIterator();
      private byte[] next = startInclusive;

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && next != null) {
          ShardRequest.ScanPage.Page fetched =
              call(new ShardRequest.ScanPage(shardId, next, endExclusive, readTs, SCAN_PAGE_ITEMS, effective));
          page = fetched.items().iterator();
          next = fetched.resumeKey();
        }
        return page.hasNext();
      }

      @Override
      public ScanItem next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.next();
      }

      @Override
      public void close() {
        next = null;
        page = Collections.emptyIterator();
      }
    };
  }

  @Override
  public String toString() {
    return "replicated shard " + shardId;
  }
}
