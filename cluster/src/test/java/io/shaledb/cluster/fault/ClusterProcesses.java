package io.shaledb.cluster.fault;

import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster of node JVMs, each with its own data directory under one base directory: node 1
 * (timestamp oracle, metadata) and nodes that join it. Either all on loopback ports, or each in
 * its own network namespace with an address of its own ({@link NetworkNamespaces}), which lets a
 * test cut links between nodes. Addresses are fixed once, so a node restarted after a kill comes
 * back where the others expect it.
 */
public final class ClusterProcesses implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "cluster-test-admin";
  private static final String SECRET = "cluster-process-test-secret";
  private static final int NAMESPACE_SQL_PORT = 8765;
  private static final int NAMESPACE_RPC_PORT = 7654;
  private static final int NAMESPACE_RAFT_PORT = 7754;
  private static final System.Logger LOG = System.getLogger(ClusterProcesses.class.getName());

  private final List<NodeProcess> nodes;
  private final NetworkNamespaces network;

  private ClusterProcesses(List<NodeProcess> nodes, NetworkNamespaces network) {
    this.nodes = nodes;
    this.network = network;
  }

  /** Describes {@code count} nodes on loopback ports under {@code base}; starts none. */
  public static ClusterProcesses create(Path base, int count) throws IOException {
    int[] ports = freePorts(3 * count);
    List<NodeProcess> nodes = new ArrayList<>(count);
    String join = "127.0.0.1:" + ports[1];
    for (int i = 0; i < count; i++) {
      int nodeId = i + 1;
      nodes.add(new NodeProcess(nodeId, "127.0.0.1", List.of(), ports[3 * i], ports[3 * i + 1], ports[3 * i + 2],
          base.resolve("node" + nodeId), nodeId == 1 ? null : join, SECRET, ADMIN_PASSWORD));
    }
    return new ClusterProcesses(nodes, null);
  }

  /**
   * Describes one node per namespace of {@code network} under {@code base}; starts none. The
   * cluster closes the network when it is closed.
   */
  public static ClusterProcesses create(Path base, NetworkNamespaces network) {
    List<NodeProcess> nodes = new ArrayList<>(network.nodes());
    String join = network.address(1) + ":" + NAMESPACE_RPC_PORT;
    for (int nodeId = 1; nodeId <= network.nodes(); nodeId++) {
      nodes.add(new NodeProcess(nodeId, network.address(nodeId), network.launcher(nodeId), NAMESPACE_SQL_PORT,
          NAMESPACE_RPC_PORT, NAMESPACE_RAFT_PORT, base.resolve("node" + nodeId), nodeId == 1 ? null : join, SECRET, ADMIN_PASSWORD));
    }
    return new ClusterProcesses(nodes, network);
  }

  /** The namespaces the nodes run in, if they do. */
  public Optional<NetworkNamespaces> network() {
    return Optional.ofNullable(network);
  }

  /** Distinct ports free right now (all held open together so none is picked twice). */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /**
   * Starts every node at once (a restarting node waits for a majority of the metadata group's
   * voters, so they cannot start one after the other); returns once every node serves SQL.
   */
  public void startAll() throws IOException, InterruptedException {
    for (NodeProcess node : nodes) {
      node.launch();
    }
    for (NodeProcess node : nodes) {
      node.awaitServing();
    }
  }

  public List<NodeProcess> nodes() {
    return nodes;
  }

  /** Node {@code nodeId} (1-based). */
  public NodeProcess node(int nodeId) {
    return nodes.get(nodeId - 1);
  }

  public int size() {
    return nodes.size();
  }

  public Connection connect(int nodeId) throws SQLException {
    return DriverManager.getConnection(node(nodeId).url(), "admin", ADMIN_PASSWORD);
  }

  /**
   * A connection whose requests give up after {@code responseTimeoutMillis} without an answer
   * (Avatica's {@code http_response_timeout}), so a client of a paused node is not stuck with it.
   */
  public Connection connect(int nodeId, int responseTimeoutMillis) throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", "admin");
    properties.setProperty("password", ADMIN_PASSWORD);
    properties.setProperty("http_response_timeout", Integer.toString(responseTimeoutMillis));
    return DriverManager.getConnection(node(nodeId).url(), properties);
  }

  /** Stops every node with SIGTERM, the joining nodes first. */
  public void stopAll() throws InterruptedException {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }

  /**
   * The locks left in each node's shards, read from the data directories directly; the nodes must
   * be stopped. Keyed by {@code node N shard S}, only shards with locks.
   */
  public Map<String, Integer> locksInStorage() {
    Map<String, Integer> locks = new TreeMap<>();
    for (NodeProcess node : nodes) {
      if (node.isAlive()) {
        throw new IllegalStateException("node " + node.nodeId() + " is running");
      }
      try (NodeStorage storage = NodeStorage.open(StorageConfig.file(node.dataDirectory()))) {
        for (int shardId : storage.shardIds()) {
          int count = storage.shard(shardId).locks().size();
          if (count > 0) {
            locks.put("node " + node.nodeId() + " shard " + shardId, count);
          }
        }
      }
    }
    return locks;
  }

  /** The last lines of every node's log. */
  public String logTails() {
    StringBuilder tails = new StringBuilder();
    for (NodeProcess node : nodes) {
      tails.append("---- node ").append(node.nodeId()).append(" ----\n").append(node.logTail()).append('\n');
    }
    return tails.toString();
  }

  /**
   * The node that leads the metadata group, asked of node {@code askNodeId} with {@code SELECT
   * node_id FROM information_schema.cluster_nodes WHERE metadata_role = 'leader'}. Before that view
   * exists (metadata on Raft), node 1 holds all metadata: then node 1, with a logged note.
   */
  public int metadataLeader(int askNodeId) throws SQLException {
    try (Connection c = connect(askNodeId); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT node_id FROM information_schema.cluster_nodes WHERE metadata_role = 'leader'")) {
      if (!rs.next()) {
        throw new SQLException("node " + askNodeId + " knows no metadata leader", "08006");
      }
      return rs.getInt(1);
    } catch (SQLException e) {
      if (!"42P01".equals(e.getSQLState())) {
        throw e;
      }
      LOG.log(System.Logger.Level.INFO, "information_schema.cluster_nodes does not exist (metadata is not on Raft "
          + "yet): node 1, the metadata node, stands for the metadata leader");
      return 1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.kill();
    }
    if (network != null) {
      network.close();
    }
  }
}
