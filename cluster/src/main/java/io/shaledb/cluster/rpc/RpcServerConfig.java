package io.shaledb.cluster.rpc;

import java.util.Arrays;
import java.util.Objects;

/**
 * How an {@link RpcServer} listens and whom it accepts.
 *
 * @param bindHost the interface to listen on, e.g. {@code 0.0.0.0} for all
 * @param port the port; 0 picks a free one ({@link RpcServer#port()} tells which)
 * @param nodeId this node's id, proved to connecting peers
 * @param clusterSecret the secret every node of the cluster shares; never sent over the wire.
 *     Use at least 32 random bytes: the handshake transcript allows guessing a weak one offline.
 * @param workerThreads threads running the {@link RpcHandler}; at most {@link
 *     #MAX_QUEUED_REQUESTS} further requests wait, beyond that requests are answered with 08006
 * @param maxFrameBytes the largest frame (14-byte header plus payload) accepted or sent; a peer
 *     sending a larger one is disconnected, a larger response is answered with 54000 instead
 */
public record RpcServerConfig(String bindHost, int port, int nodeId, byte[] clusterSecret, int workerThreads,
    int maxFrameBytes) {

  public static final int DEFAULT_WORKER_THREADS = 16;
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
  /** Requests waiting for a worker thread, over all connections, before new ones are turned away. */
  public static final int MAX_QUEUED_REQUESTS = 10_000;

  public RpcServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    clusterSecret = RpcClientConfig.checkSecret(clusterSecret);
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads must be positive, got " + workerThreads);
    }
    RpcClientConfig.checkMaxFrameBytes(maxFrameBytes);
  }

  /** Default worker threads and frame limit. */
  public static RpcServerConfig of(String bindHost, int port, int nodeId, byte[] clusterSecret) {
    return new RpcServerConfig(bindHost, port, nodeId, clusterSecret, DEFAULT_WORKER_THREADS,
        DEFAULT_MAX_FRAME_BYTES);
  }

  /** A copy: the record keeps its own. */
  @Override
  public byte[] clusterSecret() {
    return clusterSecret.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RpcServerConfig that && bindHost.equals(that.bindHost) && port == that.port
        && nodeId == that.nodeId && Arrays.equals(clusterSecret, that.clusterSecret)
        && workerThreads == that.workerThreads && maxFrameBytes == that.maxFrameBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(bindHost, port, nodeId, workerThreads, maxFrameBytes);
  }

  /** Leaves the secret out, so a logged config does not leak it. */
  @Override
  public String toString() {
    return "RpcServerConfig[bindHost=" + bindHost + ", port=" + port + ", nodeId=" + nodeId
        + ", clusterSecret=(hidden), workerThreads=" + workerThreads + ", maxFrameBytes=" + maxFrameBytes + "]";
  }
}
