package io.shaledb.cluster.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * A replica group of real Ratis servers in this JVM, on loopback gRPC ports, each with its Raft
 * storage and MapDB store in its own directory under {@code root}. Replicas can be stopped,
 * restarted and wiped.
 */
final class ReplicaGroupRig implements AutoCloseable {
  /** Ratis logs every election and append at INFO: held here so the level sticks (loggers are weakly referenced). */
  private static final java.util.logging.Logger RATIS_LOG = java.util.logging.Logger.getLogger("org.apache.ratis");

  static {
    RATIS_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final Path root;
  private final Set<Integer> shardIds;
  private final ReplicationConfig config;
  private final LongSupplier timestamps;
  private final RaftGroupId groupId = RaftGroupId.randomId();
  /** The peer in each slot; a replaced replica gets a new identity (a wiped replica must not vote as its old self). */
  private final RaftPeer[] peers;
  private final int[] generations;
  private final RaftServer[] servers;
  private final ShardStateMachine[] machines;
  private final List<ReplicaGroupClient> clients = new ArrayList<>();

  ReplicaGroupRig(Path root, int replicas, Set<Integer> shardIds, ReplicationConfig config, LongSupplier timestamps) {
    this.root = root;
    this.shardIds = shardIds;
    this.config = config;
    this.timestamps = timestamps;
    this.peers = new RaftPeer[replicas];
    this.generations = new int[replicas];
    for (int i = 0; i < replicas; i++) {
      peers[i] = newPeer(i, 0);
    }
    this.servers = new RaftServer[replicas];
    this.machines = new ShardStateMachine[replicas];
  }

  static ReplicationConfig testConfig(long snapshotEveryEntries) {
    ReplicationConfig defaults = ReplicationConfig.defaults();
    return new ReplicationConfig(defaults.electionTimeoutMin(), defaults.electionTimeoutMax(), defaults.rpcTimeout(),
        Duration.ofSeconds(30), snapshotEveryEntries, 16 << 10);
  }

  ReplicaGroupRig startAll() {
    for (int i = 0; i < servers.length; i++) {
      start(i);
    }
    return this;
  }

  void start(int replica) {
    if (servers[replica] != null) {
      throw new IllegalStateException("replica " + replica + " is running");
    }
    Path home = home(replica);
    ShardStateMachine machine = new ShardStateMachine(home.resolve("store"), shardIds, timestamps, Clock.systemUTC());
    int port = Integer.parseInt(peers[replica].getAddress().split(":")[1]);
    try {
      RaftServer server = RaftServer.newBuilder()
          .setServerId(peers[replica].getId())
          // A new replica learns the group's members from the leader that adds it: it never campaigns on its own.
          .setGroup(generations[replica] == 0 ? group() : RaftGroup.valueOf(groupId))
          .setProperties(config.serverProperties(home.resolve("raft"), port))
          .setStateMachine(machine)
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
      servers[replica] = server;
      machines[replica] = machine;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the replica's server (its directory stays). */
  void stop(int replica) {
    try {
      servers[replica].close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    servers[replica] = null;
    machines[replica] = null;
  }

  /** Deletes a stopped replica's directory: it comes back as a new, empty replica. */
  void wipe(int replica) throws IOException {
    if (servers[replica] != null) {
      throw new IllegalStateException("replica " + replica + " is running");
    }
    Path home = home(replica);
    if (Files.exists(home)) {
      try (Stream<Path> files = Files.walk(home)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  /** The running replica that leads, waiting up to {@code limit} for one. */
  int awaitLeader(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < servers.length; i++) {
        if (servers[i] != null && isLeader(i)) {
          return i;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no leader within " + limit);
  }

  boolean isLeader(int replica) {
    try {
      return servers[replica].getDivision(groupId).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  long appliedIndex(int replica) {
    return machines[replica].getLastAppliedTermIndex() == null ? -1 : machines[replica].getLastAppliedTermIndex().getIndex();
  }

  ShardStateMachine machine(int replica) {
    return machines[replica];
  }

  Path home(int replica) {
    return root.resolve("replica-" + replica + "-" + generations[replica]);
  }

  RaftGroup group() {
    return RaftGroup.valueOf(groupId, peers);
  }

  RaftPeer peer(int replica) {
    return peers[replica];
  }

  RaftServer server(int replica) {
    return servers[replica];
  }

  /**
   * Replaces the replica in {@code slot} by a new, empty one under a new identity, and changes the
   * group's configuration to it; the new replica catches up from the leader.
   */
  void replaceWithNewReplica(int slot) throws IOException {
    if (servers[slot] != null) {
      stop(slot);
    }
    wipe(slot);
    generations[slot]++;
    peers[slot] = newPeer(slot, generations[slot]);
    start(slot);
    try (org.apache.ratis.client.RaftClient admin = org.apache.ratis.client.RaftClient.newBuilder()
        .setProperties(config.clientProperties()).setRaftGroup(group()).build()) {
      org.apache.ratis.protocol.RaftClientReply reply = admin.admin().setConfiguration(List.of(peers));
      if (!reply.isSuccess()) {
        throw new IOException("configuration change failed", reply.getException());
      }
    }
  }

  ReplicaGroupClient client() {
    ReplicaGroupClient client = ReplicaGroupClient.open(group(), config);
    clients.add(client);
    return client;
  }

  int size() {
    return servers.length;
  }

  @Override
  public void close() {
    clients.forEach(ReplicaGroupClient::close);
    for (int i = 0; i < servers.length; i++) {
      if (servers[i] != null) {
        stop(i);
      }
    }
  }

  private static RaftPeer newPeer(int slot, int generation) {
    return RaftPeer.newBuilder().setId(RaftPeerId.valueOf("replica" + slot + "g" + generation))
        .setAddress("127.0.0.1:" + freePort()).build();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
