package io.shaledb.cluster.node;

import io.shaledb.cluster.protocol.ShardCall;
import io.shaledb.txn.ShardRequest;
import io.shaledb.kv.RowFilter;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * A scan of a remote shard, fetched in pages that all read the same snapshot. The first page is
 * requested when the iterator is created and each next page as soon as the previous one arrives,
 * so scans of many shards proceed in parallel and the network overlaps the consumer's work;
 * at most two pages are held. Pages grow from small (a LIMIT or a point range needs little) to
 * {@code maxPageItems}. Not thread-safe.
 */
final class RemoteScanIterator implements ScanIterator {
  private static final int FIRST_PAGE_ITEMS = 64;

  private final ClusterClient client;
  private final int nodeId;
  private final int shardId;
  private final byte[] endExclusive;
  private final long readTs;
  private final int maxPageItems;
  private final RowFilter filter;
  private int nextPageItems;
  private Iterator<ScanItem> current = java.util.Collections.emptyIterator();
  private CompletableFuture<ShardRequest.ScanPage.Page> pending;

  RemoteScanIterator(
      ClusterClient client,
      int nodeId,
      int shardId,
      byte[] startInclusive,
      byte[] endExclusive,
      long readTs,
      int maxPageItems,
      RowFilter filter) {
    this.client = client;
    this.nodeId = nodeId;
    this.shardId = shardId;
    this.endExclusive = endExclusive;
    this.readTs = readTs;
    this.maxPageItems = maxPageItems;
    this.filter = filter;
    this.nextPageItems = Math.min(FIRST_PAGE_ITEMS, maxPageItems);
    this.pending = request(startInclusive);
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (pending == null) {
        return false;
      }
      ShardRequest.ScanPage.Page page = ClusterClient.join(pending);
      pending = page.resumeKey() == null ? null : request(page.resumeKey());
      current = page.items().iterator();
    }
    return true;
  }

  @Override
  public ScanItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  private CompletableFuture<ShardRequest.ScanPage.Page> request(byte[] from) {
    int items = nextPageItems;
    nextPageItems = Math.min(maxPageItems, nextPageItems * 4);
    return client.callAsync(nodeId, new ShardCall<>(new ShardRequest.ScanPage(shardId, from, endExclusive, readTs, items, filter)));
  }

  /** Drops what was fetched; a page still in flight is ignored when it arrives. */
  @Override
  public void close() {
    pending = null;
    current = java.util.Collections.emptyIterator();
  }
}
