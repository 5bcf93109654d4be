package io.shaledb.cluster.node;

import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The timestamp oracle of the metadata node, as another node uses it. Requests that arrive while
 * one is in flight are sent together as one batch when it returns, so under load a node pays about
 * one round trip per batch rather than per transaction. A timestamp is never kept for later: one
 * handed out must be fresh when asked for, or a reader could miss a commit made meanwhile.
 * Thread-safe.
 */
final class RemoteTimestampOracle implements TimestampOracle {
  private final ClusterClient client;
  /** Guarded by {@code this}. */
  private List<CompletableFuture<Long>> waiting = new ArrayList<>();
  /** Guarded by {@code this}. */
  private boolean inFlight;

  RemoteTimestampOracle(ClusterClient client) {
    this.client = client;
  }

  @Override
  public long next() {
    CompletableFuture<Long> mine = new CompletableFuture<>();
    boolean send;
    synchronized (this) {
      waiting.add(mine);
      send = !inFlight;
      inFlight = true;
    }
    if (send) {
      sendWaiting();
    }
    return ClusterClient.join(mine);
  }

  /** Sends everything waiting as one request; when it returns, sends what arrived meanwhile. */
  private void sendWaiting() {
    List<CompletableFuture<Long>> batch;
    synchronized (this) {
      batch = waiting;
      if (batch.isEmpty()) {
        inFlight = false;
        return;
      }
      waiting = new ArrayList<>();
    }
    int count = Math.min(batch.size(), ClusterRequest.NextTimestamps.MAX_COUNT);
    List<CompletableFuture<Long>> sent = batch.subList(0, count);
    if (count < batch.size()) {
      synchronized (this) {
        waiting.addAll(0, batch.subList(count, batch.size()));
      }
    }
    client
        .callAsync(ClusterClient.METADATA_NODE_ID, new ClusterRequest.NextTimestamps(count))
        .whenComplete(
            (timestamps, failure) -> {
              for (int i = 0; i < sent.size(); i++) {
                if (failure != null) {
                  // One exception per waiter: a caller may attach suppressed exceptions to its own.
                  sent.get(i).completeExceptionally(ownCopy(ClusterClient.unwrap(failure)));
                } else {
                  sent.get(i).complete(timestamps[i]);
                }
              }
              sendWaiting();
            });
  }

  private static ShaleException ownCopy(Throwable failure) {
    if (failure instanceof ShaleException shared) {
      return new ShaleException(shared.sqlState(), shared.getMessage(), shared);
    }
    return new ShaleException(SqlState.CONNECTION_FAILURE, "the timestamp oracle could not be reached: " + failure, failure);
  }
}
