package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.metadata.LeaderTimestamps;
import io.shaledb.cluster.metadata.MetadataGroup;
import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.txn.tso.TimestampOracle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The cluster's timestamp oracle as any node uses it: served by the metadata leader
 * ({@link LeaderTimestamps}), in process when this node leads and by request otherwise. Requests
 * that arrive while one is in flight are sent together as one batch when it returns, so a node
 * pays about one round trip per batch rather than per transaction. During a leader change a batch
 * is retried, at the leader this node's replica names, until {@code failoverTimeout} has passed.
 * A timestamp is never kept for later: one handed out must be fresh when asked for, or a reader
 * could miss a commit made meanwhile. Thread-safe.
 */
final class MetadataTimestampOracle implements TimestampOracle, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MetadataTimestampOracle.class.getName());
  private static final long RETRY_PAUSE_MS = 50;

  private final int selfNodeId;
  private final MetadataGroup group;
  private final LeaderTimestamps leader;
  private final ClusterClient client;
  private final Duration failoverTimeout;
  private final LinkedBlockingQueue<CompletableFuture<Long>> waiting = new LinkedBlockingQueue<>();
  private final Thread batcher;
  private volatile boolean closed;

  MetadataTimestampOracle(int selfNodeId, MetadataGroup group, LeaderTimestamps leader, ClusterClient client,
      Duration failoverTimeout) {
    this.selfNodeId = selfNodeId;
    this.group = group;
    this.leader = leader;
    this.client = client;
    this.failoverTimeout = failoverTimeout;
    this.batcher = new Thread(this::sendBatches, "shaledb-node-" + selfNodeId + "-timestamps");
    batcher.setDaemon(true);
    batcher.start();
  }

  @Override
  public long next() {
    CompletableFuture<Long> mine = new CompletableFuture<>();
    waiting.add(mine);
    if (closed) {
      failWaiting();
    }
    return ClusterClient.join(mine);
  }

  /** A batch for another node; only the leader serves it (08006 naming the leader elsewhere). */
  long[] serve(int count) {
    return leader.next(count);
  }

  private void sendBatches() {
    List<CompletableFuture<Long>> batch = new ArrayList<>();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        batch.add(waiting.take());
      } catch (InterruptedException e) {
        return;
      }
      waiting.drainTo(batch, ClusterRequest.NextTimestamps.MAX_COUNT - 1);
      try {
        long[] timestamps = fetch(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).complete(timestamps[i]);
        }
      } catch (RuntimeException e) {
        for (CompletableFuture<Long> waiter : batch) {
          // One exception per waiter: a caller may attach suppressed exceptions to its own.
          waiter.completeExceptionally(ownCopy(e));
        }
      }
      batch.clear();
    }
  }

  private long[] fetch(int count) {
    long deadline = System.nanoTime() + failoverTimeout.toNanos();
    while (true) {
      try {
        if (group.isLeaderReady()) {
          return leader.next(count);
        }
        Optional<Member> current = group.leaderMember();
        if (current.isEmpty()) {
          throw new ShaleException(SqlState.CONNECTION_FAILURE, "the metadata group has no leader (election under way?)");
        }
        if (current.get().nodeId() == selfNodeId) {
          return leader.next(count);
        }
        return client.call(PeerAddress.parse(current.get().rpcAddress()), new ClusterRequest.NextTimestamps(count));
      } catch (ShaleException e) {
        if (System.nanoTime() > deadline) {
          throw new ShaleException(SqlState.CONNECTION_FAILURE,
              "no timestamp from the metadata leader within " + failoverTimeout.toMillis() + " ms: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.DEBUG, "timestamps: " + e.getMessage() + "; retrying");
        try {
          Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new ShaleException(SqlState.CONNECTION_FAILURE, "interrupted while waiting for a timestamp");
        }
      }
    }
  }

  private static ShaleException ownCopy(RuntimeException failure) {
    if (failure instanceof ShaleException shared) {
      return new ShaleException(shared.sqlState(), shared.getMessage(), shared);
    }
    return new ShaleException(SqlState.CONNECTION_FAILURE, "the timestamp oracle failed: " + failure, failure);
  }

  @Override
  public void close() {
    closed = true;
    batcher.interrupt();
    failWaiting();
  }

  /** Fails every waiting request; after {@link #close} nothing else would answer them. */
  private void failWaiting() {
    CompletableFuture<Long> waiter;
    while ((waiter = waiting.poll()) != null) {
      waiter.completeExceptionally(new ShaleException(SqlState.CONNECTION_FAILURE, "the node is closing"));
    }
  }
}
