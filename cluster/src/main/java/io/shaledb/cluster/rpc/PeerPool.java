package io.shaledb.cluster.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The connections to one peer: a fixed number of slots, used round robin, each holding an
 * authenticated connection or one being established. A slot whose connection was lost is
 * reconnected by the next call that lands on it. After a failed attempt, calls fail at once with
 * that failure for a back-off period (doubling from {@link #INITIAL_BACKOFF_NANOS} up to {@link
 * #MAX_BACKOFF_NANOS}) instead of reconnecting, so callers retrying in a loop cannot make this a
 * busy connect loop; a successful connection resets the back-off.
 */
final class PeerPool {
  static final long INITIAL_BACKOFF_NANOS = 50_000_000L;
  static final long MAX_BACKOFF_NANOS = 1_000_000_000L;

  private final Supplier<CompletableFuture<PeerConnection>> connector;
  private final LongSupplier nanoClock;
  private final CompletableFuture<PeerConnection>[] slots;
  private int nextSlot;
  private Throwable lastFailure;
  private long lastFailureNanos;
  private long backoffNanos;

  @SuppressWarnings("unchecked")
  PeerPool(int connections, Supplier<CompletableFuture<PeerConnection>> connector, LongSupplier nanoClock) {
    this.connector = connector;
    this.nanoClock = nanoClock;
    this.slots = new CompletableFuture[connections];
  }

  /** A connection to send on: ready, being established, or failed (during back-off). */
  synchronized CompletableFuture<PeerConnection> acquire() {
    int slot = nextSlot;
    nextSlot = (nextSlot + 1) % slots.length;
    CompletableFuture<PeerConnection> current = slots[slot];
    if (current != null && isUsable(current)) {
      return current;
    }
    if (lastFailure != null && nanoClock.getAsLong() - lastFailureNanos < backoffNanos) {
      return CompletableFuture.failedFuture(lastFailure);
    }
    CompletableFuture<PeerConnection> connecting = connector.get();
    slots[slot] = connecting;
    connecting.whenComplete((connection, failure) -> attempted(failure));
    return connecting;
  }

  /** The connected peer's proven node id, or -1 while no connection is up. */
  synchronized int connectedNodeId() {
    for (CompletableFuture<PeerConnection> slot : slots) {
      if (slot != null && slot.isDone() && !slot.isCompletedExceptionally() && slot.join().isOpen()) {
        return slot.join().peerNodeId();
      }
    }
    return -1;
  }

  /** Closes every connection; their outstanding calls fail saying {@code reason}. */
  synchronized void close(String reason) {
    for (CompletableFuture<PeerConnection> slot : slots) {
      if (slot != null) {
        slot.thenAccept(connection -> connection.close(reason));
      }
    }
  }

  private static boolean isUsable(CompletableFuture<PeerConnection> slot) {
    if (!slot.isDone()) {
      return true; // still connecting: wait for it rather than open another
    }
    return !slot.isCompletedExceptionally() && slot.join().isOpen();
  }

  private synchronized void attempted(Throwable failure) {
    if (failure == null) {
      lastFailure = null;
      backoffNanos = 0;
      return;
    }
    lastFailure = failure;
    lastFailureNanos = nanoClock.getAsLong();
    backoffNanos = backoffNanos == 0 ? INITIAL_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
  }
}
