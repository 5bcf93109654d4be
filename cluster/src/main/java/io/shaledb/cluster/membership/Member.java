package io.shaledb.cluster.membership;

import java.util.Objects;

/**
 * A node of the cluster.
 *
 * @param rpcAddress {@code host:port} where its peers reach it
 * @param sqlAddress {@code host:port} of its client (Avatica HTTP) endpoint
 */
public record Member(int nodeId, String rpcAddress, String sqlAddress) {
  public Member {
    if (nodeId < 1) {
      throw new IllegalArgumentException("node ids start at 1: " + nodeId);
    }
    Objects.requireNonNull(rpcAddress, "rpcAddress");
    Objects.requireNonNull(sqlAddress, "sqlAddress");
  }
}
