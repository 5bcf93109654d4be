package io.shaledb.cluster.rpc;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How an {@link RpcClient} connects to peers.
 *
 * @param nodeId this node's id, proved to the peers it connects to
 * @param clusterSecret the secret every node of the cluster shares; never sent over the wire
 * @param connectTimeout the longest a TCP connect plus the authentication handshake may take
 * @param defaultRequestTimeout the timeout of {@link RpcClient#call(PeerAddress, int, byte[])}
 * @param maxFrameBytes the largest frame (14-byte header plus payload) accepted or sent; a peer
 *     sending a larger one is disconnected, a larger request fails with 54000 before it is sent
 * @param connectionsPerPeer connections kept to each peer; requests are spread over them round robin
 */
public record RpcClientConfig(int nodeId, byte[] clusterSecret, Duration connectTimeout,
    Duration defaultRequestTimeout, int maxFrameBytes, int connectionsPerPeer) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_FRAME_BYTES = RpcServerConfig.DEFAULT_MAX_FRAME_BYTES;
  /**
   * One: {@code RpcThroughputBenchmark} found no difference between one and two connections beyond
   * its run-to-run noise (up to 2x on the shared 2-core machine) for 1, 8 or 64 concurrent callers,
   * and one connection means fewer sockets and handshakes.
   */
  public static final int DEFAULT_CONNECTIONS_PER_PEER = 1;
  /** Room for the header plus a small payload; below this nothing useful fits in a frame. */
  static final int MIN_MAX_FRAME_BYTES = 1024;

  public RpcClientConfig {
    clusterSecret = checkSecret(clusterSecret);
    checkPositive("connectTimeout", connectTimeout);
    checkPositive("defaultRequestTimeout", defaultRequestTimeout);
    checkMaxFrameBytes(maxFrameBytes);
    if (connectionsPerPeer < 1 || connectionsPerPeer > 64) {
      throw new IllegalArgumentException("connectionsPerPeer must be 1..64, got " + connectionsPerPeer);
    }
  }

  /** {@link #DEFAULT_CONNECTIONS_PER_PEER} connections per peer. */
  public RpcClientConfig(int nodeId, byte[] clusterSecret, Duration connectTimeout, Duration defaultRequestTimeout,
      int maxFrameBytes) {
    this(nodeId, clusterSecret, connectTimeout, defaultRequestTimeout, maxFrameBytes, DEFAULT_CONNECTIONS_PER_PEER);
  }

  /** Default timeouts, frame limit and connections per peer. */
  public static RpcClientConfig of(int nodeId, byte[] clusterSecret) {
    return new RpcClientConfig(nodeId, clusterSecret, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_FRAME_BYTES, DEFAULT_CONNECTIONS_PER_PEER);
  }

  /** This configuration with {@code connections} connections per peer. */
  public RpcClientConfig withConnectionsPerPeer(int connections) {
    return new RpcClientConfig(nodeId, clusterSecret, connectTimeout, defaultRequestTimeout, maxFrameBytes,
        connections);
  }

  /** A copy: the record keeps its own. */
  @Override
  public byte[] clusterSecret() {
    return clusterSecret.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RpcClientConfig that && nodeId == that.nodeId
        && Arrays.equals(clusterSecret, that.clusterSecret) && connectTimeout.equals(that.connectTimeout)
        && defaultRequestTimeout.equals(that.defaultRequestTimeout) && maxFrameBytes == that.maxFrameBytes
        && connectionsPerPeer == that.connectionsPerPeer;
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeId, connectTimeout, defaultRequestTimeout, maxFrameBytes, connectionsPerPeer);
  }

  /** Leaves the secret out, so a logged config does not leak it. */
  @Override
  public String toString() {
    return "RpcClientConfig[nodeId=" + nodeId + ", clusterSecret=(hidden), connectTimeout=" + connectTimeout
        + ", defaultRequestTimeout=" + defaultRequestTimeout + ", maxFrameBytes=" + maxFrameBytes
        + ", connectionsPerPeer=" + connectionsPerPeer + "]";
  }

  static byte[] checkSecret(byte[] secret) {
    Objects.requireNonNull(secret, "clusterSecret");
    if (secret.length == 0) {
      throw new IllegalArgumentException("the cluster secret is empty");
    }
    return secret.clone();
  }

  static void checkMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < MIN_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes must be at least " + MIN_MAX_FRAME_BYTES + ", got "
          + maxFrameBytes);
    }
  }

  private static void checkPositive(String name, Duration duration) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }
}
