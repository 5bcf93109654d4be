package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.metadata.MetadataGroup;
import io.shaledb.cluster.protocol.ClusterRequest;
import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.sql.schema.ClusterNodesView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code information_schema.cluster_nodes} of a cluster node: the members of this node's metadata
 * replica, each pinged when the query runs (all at once, {@value #PING_TIMEOUT_MS} ms at most), and
 * its role in the metadata group as this replica knows it.
 */
final class ClusterNodesStatus implements ClusterNodesView {
  static final long PING_TIMEOUT_MS = 500;

  private final int selfNodeId;
  private final MetadataGroup group;
  private final ClusterClient client;

  ClusterNodesStatus(int selfNodeId, MetadataGroup group, ClusterClient client) {
    this.selfNodeId = selfNodeId;
    this.group = group;
    this.client = client;
  }

  @Override
  public List<Node> nodes() {
    List<Member> members = group.state().membership().members();
    Optional<String> leader = group.leaderId().map(Object::toString);
    List<String> voters = group.voterIds();
    Map<Member, CompletableFuture<Void>> pings = new LinkedHashMap<>();
    for (Member member : members) {
      pings.put(member, member.nodeId() == selfNodeId
          ? CompletableFuture.completedFuture(null)
          : client.callAsync(PeerAddress.parse(member.rpcAddress()), new ClusterRequest.Ping()));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PING_TIMEOUT_MS);
    List<Node> nodes = new ArrayList<>();
    for (Map.Entry<Member, CompletableFuture<Void>> ping : pings.entrySet()) {
      Member member = ping.getKey();
      String role = leader.filter(member.raftPeerId()::equals).isPresent() ? "leader"
          : voters.contains(member.raftPeerId()) ? "follower" : "none";
      nodes.add(new Node(member.nodeId(), member.sqlAddress(), member.rpcAddress(),
          answered(ping.getValue(), deadline) ? "up" : "unreachable", role));
    }
    return nodes;
  }

  private static boolean answered(CompletableFuture<Void> ping, long deadlineNanos) {
    try {
      ping.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
