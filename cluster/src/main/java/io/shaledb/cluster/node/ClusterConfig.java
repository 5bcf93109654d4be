package io.shaledb.cluster.node;

import io.shaledb.cluster.raft.RaftSettings;
import io.shaledb.cluster.rpc.PeerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node takes part in a cluster.
 *
 * @param nodeId this node's id, unique in the cluster; node {@value ClusterClient#METADATA_NODE_ID}
 *     bootstraps the metadata group on its first start and stores the system keyspaces
 * @param rpcHost interface the inter-node RPC listener binds
 * @param rpcPort its port (0: any free port)
 * @param advertisedHost the host name other nodes use to reach this one
 * @param join RPC addresses of nodes already in the cluster (at least the metadata node's, unless
 *     this is the metadata node)
 * @param clusterSecret shared by all nodes; peers prove they know it before any request is served
 * @param joinTimeout how long a starting node keeps trying to reach the cluster
 * @param requestTimeout how long one request to another node may take before it fails (08006)
 * @param raftPort the Raft port (0: any free port; the other nodes learn it when this one joins)
 * @param electionTimeoutMin Raft: a follower that hears nothing from the leader this long may start an election
 * @param electionTimeoutMax the upper end of the randomized election timeout
 */
public record ClusterConfig(
    int nodeId,
    String rpcHost,
    int rpcPort,
    String advertisedHost,
    List<PeerAddress> join,
    byte[] clusterSecret,
    Duration joinTimeout,
    Duration requestTimeout,
    int raftPort,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax) {

  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** Shorter secrets are refused: the secret is all that keeps strangers out of the cluster. */
  public static final int MIN_SECRET_BYTES = 16;

  /** With the Raft port on any free port and the default election timeouts. */
  public ClusterConfig(int nodeId, String rpcHost, int rpcPort, String advertisedHost, List<PeerAddress> join,
      byte[] clusterSecret, Duration joinTimeout, Duration requestTimeout) {
    this(nodeId, rpcHost, rpcPort, advertisedHost, join, clusterSecret, joinTimeout, requestTimeout, 0,
        RaftSettings.DEFAULT_ELECTION_TIMEOUT_MIN, RaftSettings.DEFAULT_ELECTION_TIMEOUT_MAX);
  }

  public ClusterConfig {
    if (nodeId < 1) {
      throw new IllegalArgumentException("node-id must be at least 1, not " + nodeId);
    }
    Objects.requireNonNull(rpcHost, "rpcHost");
    Objects.requireNonNull(advertisedHost, "advertisedHost");
    join = List.copyOf(join);
    Objects.requireNonNull(clusterSecret, "clusterSecret");
    Objects.requireNonNull(joinTimeout, "joinTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (rpcPort < 0 || rpcPort > 65535) {
      throw new IllegalArgumentException("rpc-port must be between 0 and 65535, not " + rpcPort);
    }
    if (raftPort < 0 || raftPort > 65535) {
      throw new IllegalArgumentException("raft-port must be between 0 and 65535, not " + raftPort);
    }
    Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
    Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
    if (clusterSecret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the cluster secret must be at least " + MIN_SECRET_BYTES + " bytes (--cluster-secret or SHALEDB_CLUSTER_SECRET)");
    }
    if (nodeId != ClusterClient.METADATA_NODE_ID && join.isEmpty()) {
      throw new IllegalArgumentException("node " + nodeId + " needs --join with the RPC address of node "
          + ClusterClient.METADATA_NODE_ID + " (or of any member)");
    }
  }

  /** The Raft settings of a node whose Raft storage is {@code storageDirectory}. */
  public RaftSettings raftSettings(java.nio.file.Path storageDirectory) {
    return RaftSettings.defaults(rpcHost, raftPort, storageDirectory)
        .withElectionTimeouts(electionTimeoutMin, electionTimeoutMax);
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "ClusterConfig[nodeId=" + nodeId + ", rpc=" + rpcHost + ":" + rpcPort + ", advertisedHost=" + advertisedHost
        + ", join=" + join + ", joinTimeout=" + joinTimeout + ", requestTimeout=" + requestTimeout + ", raftPort=" + raftPort
        + ", electionTimeout=" + electionTimeoutMin.toMillis() + "-" + electionTimeoutMax.toMillis() + " ms]";
  }
}
