package io.shaledb.sql.schema;

import java.util.List;
import java.util.Objects;

/**
 * What {@code information_schema.cluster_nodes} shows: the cluster's nodes as the node answering
 * the query sees them when it runs. A single-node database has none.
 */
@FunctionalInterface
public interface ClusterNodesView {
  ClusterNodesView NONE = List::of;

  /**
   * One node.
   *
   * @param address {@code host:port} of its SQL endpoint
   * @param rpcAddress {@code host:port} of its inter-node RPC port
   * @param state {@code up} if it answered the answering node just now, else {@code unreachable}
   * @param metadataRole {@code leader} or {@code follower} (a voter) of the metadata group, or
   *     {@code none} (a listener, or not yet in the group), as the answering node's replica knows it
   */
  record Node(int nodeId, String address, String rpcAddress, String state, String metadataRole) {
    public Node {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(rpcAddress, "rpcAddress");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(metadataRole, "metadataRole");
    }
  }

  List<Node> nodes();
}
