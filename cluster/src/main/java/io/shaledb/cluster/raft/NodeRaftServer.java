package io.shaledb.cluster.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;

/**
 * The one Raft server of a node process. It hosts any number of Raft groups (the metadata group
 * today, replicated shards later), each with its own state machine from the registry, all over one
 * gRPC port secured by {@link RaftTls}. Storage is {@link RaftSettings#storageDirectory()}; groups
 * found there are recovered at start.
 *
 * <p>The node's Raft identity is a random id made the first time the storage is used and kept
 * beside it. A node whose data directory was wiped therefore comes back under a new identity and
 * joins as a new member: a Raft voter must never forget what it acknowledged and vote again under
 * the same id.
 */
public final class NodeRaftServer implements AutoCloseable {
  private static final String PEER_ID_FILE = "raft-peer-id";

  private final RaftSettings settings;
  private final RaftServer server;
  private final RaftPeer self;
  private final RaftProperties properties;
  private final Parameters parameters;

  private NodeRaftServer(RaftSettings settings, RaftServer server, RaftPeer self, RaftProperties properties, Parameters parameters) {
    this.settings = settings;
    this.server = server;
    this.self = self;
    this.properties = properties;
    this.parameters = parameters;
  }

  /**
   * Starts the server, recovering the groups stored under the settings' storage directory.
   *
   * @param advertisedHost the host name other nodes reach this one's Raft port by
   * @param stateMachines the state machine of each group this server hosts
   */
  public static NodeRaftServer start(RaftSettings settings, String advertisedHost, byte[] clusterSecret, Clock clock,
      Function<RaftGroupId, StateMachine> stateMachines) {
    Objects.requireNonNull(stateMachines, "stateMachines");
    try {
      Files.createDirectories(settings.groupsDirectory());
      RaftPeerId peerId = RaftPeerId.valueOf(loadOrCreatePeerId(settings.storageDirectory()));
      GrpcTlsConfig tls = RaftTls.loadOrCreate(settings.storageDirectory().resolve("tls"), clusterSecret, clock).grpcConfig();
      Parameters parameters = new Parameters();
      GrpcConfigKeys.TLS.setConf(parameters, tls);
      GrpcConfigKeys.Server.setTlsConf(parameters, tls);
      GrpcConfigKeys.Client.setTlsConf(parameters, tls);
      GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
      RaftProperties properties = settings.toProperties();
      RaftServer server = RaftServer.newBuilder()
          .setServerId(peerId)
          .setProperties(properties)
          .setParameters(parameters)
          .setStateMachineRegistry(stateMachines::apply)
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
      int port = server.getServerRpc().getInetSocketAddress().getPort();
      RaftPeer self = RaftPeer.newBuilder().setId(peerId).setAddress(advertisedHost + ":" + port).build();
      return new NodeRaftServer(settings, server, self, properties, parameters);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Raft server on port " + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /** This node as a Raft peer: its id and the address of its Raft port. */
  public RaftPeer self() {
    return self;
  }

  public RaftServer server() {
    return server;
  }

  public RaftSettings settings() {
    return settings;
  }

  /** Whether this server hosts {@code groupId} (created here, joined, or recovered from storage). */
  public boolean hosts(RaftGroupId groupId) {
    for (RaftGroupId id : server.getGroupIds()) {
      if (id.equals(groupId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A client of {@code group} that speaks TLS with this node's certificate and retries for about
   * two election rounds on a leader change before it fails.
   */
  public RaftClient client(RaftGroup group) {
    long sleepMs = 100;
    int attempts = (int) Math.max(10, 2 * settings.electionTimeoutMax().toMillis() / sleepMs + 10);
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setProperties(properties)
        .setParameters(parameters)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, TimeDuration.valueOf(sleepMs, TimeUnit.MILLISECONDS)))
        .build();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the Raft server failed", e);
    }
  }

  private static String loadOrCreatePeerId(Path storage) throws IOException {
    Path file = storage.resolve(PEER_ID_FILE);
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    String id = "p" + UUID.randomUUID().toString().replace("-", "");
    Path temporary = storage.resolve(PEER_ID_FILE + ".tmp");
    Files.writeString(temporary, id, StandardCharsets.US_ASCII);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return id;
  }
}
