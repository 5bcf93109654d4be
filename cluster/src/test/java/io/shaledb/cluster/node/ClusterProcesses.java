package io.shaledb.cluster.node;

import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster of node JVMs on loopback ports, each with its own data directory under one base
 * directory: node 1 (creates the metadata group, stores the catalog) and nodes that join it. Ports are picked once and
 * kept, so a node restarted after a kill comes back where the others expect it.
 */
final class ClusterProcesses implements AutoCloseable {
  static final String ADMIN_PASSWORD = "cluster-test-admin";
  private static final String SECRET = "cluster-process-test-secret";

  private final List<NodeProcess> nodes;

  private ClusterProcesses(List<NodeProcess> nodes) {
    this.nodes = nodes;
  }

  /** Describes {@code count} nodes under {@code base}; starts none. */
  static ClusterProcesses create(Path base, int count) throws IOException {
    int[] ports = freePorts(3 * count);
    List<NodeProcess> nodes = new ArrayList<>(count);
    String join = "127.0.0.1:" + ports[1];
    for (int i = 0; i < count; i++) {
      int nodeId = i + 1;
      nodes.add(new NodeProcess(nodeId, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2], base.resolve("node" + nodeId),
          nodeId == 1 ? null : join, SECRET, ADMIN_PASSWORD));
    }
    return new ClusterProcesses(nodes);
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
  void startAll() throws IOException, InterruptedException {
    for (NodeProcess node : nodes) {
      node.launch();
    }
    for (NodeProcess node : nodes) {
      node.awaitServing();
    }
  }

  List<NodeProcess> nodes() {
    return nodes;
  }

  /** Node {@code nodeId} (1-based). */
  NodeProcess node(int nodeId) {
    return nodes.get(nodeId - 1);
  }

  int size() {
    return nodes.size();
  }

  Connection connect(int nodeId) throws SQLException {
    return DriverManager.getConnection(node(nodeId).url(), "admin", ADMIN_PASSWORD);
  }

  /** Stops every node with SIGTERM, the joining nodes first. */
  void stopAll() throws InterruptedException {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }

  /**
   * The locks left in each node's shards, read from the data directories directly; the nodes must
   * be stopped. Keyed by {@code node N shard S}, only shards with locks.
   */
  Map<String, Integer> locksInStorage() {
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
  String logTails() {
    StringBuilder tails = new StringBuilder();
    for (NodeProcess node : nodes) {
      tails.append("---- node ").append(node.nodeId()).append(" ----\n").append(node.logTail()).append('\n');
    }
    return tails.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.kill();
    }
  }
}
