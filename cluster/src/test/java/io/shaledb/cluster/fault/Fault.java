package io.shaledb.cluster.fault;

import java.io.IOException;

/** One fault a nemesis injects into one node of a {@link ClusterProcesses} and later heals. */
public sealed interface Fault {
  int node();

  void inject(ClusterProcesses cluster) throws IOException, InterruptedException;

  /** Undoes {@link #inject}; returns once the node serves SQL again. */
  void heal(ClusterProcesses cluster) throws IOException, InterruptedException;

  /** SIGKILL; healed by starting the node again on its data directory. */
  record Kill(int node) implements Fault {
    @Override
    public void inject(ClusterProcesses cluster) throws InterruptedException {
      cluster.node(node).kill();
    }

    @Override
    public void heal(ClusterProcesses cluster) throws IOException, InterruptedException {
      if (!cluster.node(node).isAlive()) {
        cluster.node(node).start();
      }
    }
  }

  /** SIGSTOP; healed with SIGCONT. */
  record Pause(int node) implements Fault {
    @Override
    public void inject(ClusterProcesses cluster) throws IOException, InterruptedException {
      cluster.node(node).pause();
    }

    @Override
    public void heal(ClusterProcesses cluster) throws IOException, InterruptedException {
      cluster.node(node).resume();
    }
  }

  /** Which packets between the node and every other node are dropped. */
  enum Direction { OUTBOUND, INBOUND, BOTH }

  /**
   * Cuts the node off from every other node (not from the test's clients) in {@code direction}:
   * OUTBOUND drops what it sends, INBOUND what the others send it. Needs {@link NetworkNamespaces}.
   */
  record Partition(int node, Direction direction) implements Fault {
    @Override
    public void inject(ClusterProcesses cluster) throws IOException {
      NetworkNamespaces network = network(cluster);
      for (int other = 1; other <= cluster.size(); other++) {
        if (other != node) {
          if (direction != Direction.INBOUND) {
            network.block(node, other);
          }
          if (direction != Direction.OUTBOUND) {
            network.block(other, node);
          }
        }
      }
    }

    @Override
    public void heal(ClusterProcesses cluster) throws IOException {
      NetworkNamespaces network = network(cluster);
      for (int other = 1; other <= cluster.size(); other++) {
        if (other != node) {
          network.heal(node, other);
          network.heal(other, node);
        }
      }
    }

    private static NetworkNamespaces network(ClusterProcesses cluster) {
      return cluster.network().orElseThrow(
          () -> new IllegalStateException("partitions need the nodes in network namespaces"));
    }
  }

  /** Steps the node's wall clock by {@code offsetMillis}; healed by stepping it back. */
  record ClockOffset(int node, long offsetMillis) implements Fault {
    @Override
    public void inject(ClusterProcesses cluster) throws IOException {
      cluster.node(node).setClockOffsetMillis(offsetMillis);
    }

    @Override
    public void heal(ClusterProcesses cluster) throws IOException {
      cluster.node(node).setClockOffsetMillis(0);
    }
  }
}
