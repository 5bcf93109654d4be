package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.protocol.Request;
import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.cluster.rpc.PeerUnreachableException;
import io.shaledb.cluster.rpc.RpcClient;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends typed {@link Request}s to other nodes by node id, over the node's {@link RpcClient}.
 * Addresses come from the membership of this node's metadata replica, pushed here as it changes. Thread-safe.
 */
public final class ClusterClient {
  /**
   * The node that bootstraps the metadata group and, until the system keyspaces are replicated,
   * stores their shards (catalog, users).
   */
  public static final int METADATA_NODE_ID = 1;

  private final RpcClient rpc;
  private final Duration requestTimeout;
  private volatile Membership membership;

  ClusterClient(RpcClient rpc, Duration requestTimeout, Membership initial) {
    this.rpc = Objects.requireNonNull(rpc, "rpc");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.membership = Objects.requireNonNull(initial, "initial");
  }

  Membership membership() {
    return membership;
  }

  void updateMembership(Membership updated) {
    membership = updated;
  }

  /** Sends {@code request} to node {@code nodeId}; the future fails with a {@link ShaleException}. */
  <R> CompletableFuture<R> callAsync(int nodeId, Request<R> request) {
    Optional<Member> member = membership.find(nodeId);
    if (member.isPresent()) {
      return callAsync(PeerAddress.parse(member.get().rpcAddress()), request);
    }
    return CompletableFuture.failedFuture(unknownMember(nodeId));
  }

  private static ShaleException unknownMember(int nodeId) {
    return new ShaleException(SqlState.CONNECTION_FAILURE, "node " + nodeId + " is not a known member of the cluster");
  }

  <R> CompletableFuture<R> callAsync(PeerAddress address, Request<R> request) {
    return rpc.call(address, request.type(), request.encode(), requestTimeout).thenApply(request::decodeResult);
  }

  /** Sends {@code request} to node {@code nodeId} and waits for the answer. */
  <R> R call(int nodeId, Request<R> request) {
    return join(callAsync(nodeId, request));
  }

  <R> R call(PeerAddress address, Request<R> request) {
    return join(callAsync(address, request));
  }

  /** Whether a failed call certainly never reached the peer (so nothing it asked for was done). */
  static boolean certainlyNotDelivered(Throwable failure) {
    return unwrap(failure) instanceof PeerUnreachableException;
  }

  /** The result of a completed future, with its failure rethrown as the original exception. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new ShaleException(SqlState.INTERNAL_ERROR, String.valueOf(cause.getMessage()), cause);
    }
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
