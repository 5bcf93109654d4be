package io.shaledb.cluster.membership;

import java.util.Objects;

/**
 * A node of the cluster.
 *
 * @param rpcAddress {@code host:port} where its peers reach it
 * @param sqlAddress {@code host:port} of its client (Avatica HTTP) endpoint
 * @param raftPeerId its Raft identity, made when its data directory was first used (a wiped node gets a new one)
 * @param raftAddress {@code host:port} of its Raft port
 */
public record Member(int nodeId, String rpcAddress, String sqlAddress, String raftPeerId, String raftAddress) {
  public Member {
    if (nodeId < 1) {
      throw new IllegalArgumentException("node ids start at 1: " + nodeId);
    }
    Objects.requireNonNull(rpcAddress, "rpcAddress");
    Objects.requireNonNull(sqlAddress, "sqlAddress");
    Objects.requireNonNull(raftPeerId, "raftPeerId");
    Objects.requireNonNull(raftAddress, "raftAddress");
  }
}
