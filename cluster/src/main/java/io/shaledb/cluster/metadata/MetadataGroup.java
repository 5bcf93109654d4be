package io.shaledb.cluster.metadata;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.cluster.raft.NodeRaftServer;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * This node's handle on the metadata Raft group: its replica of the state, changes submitted
 * through the leader, and, while this node leads, the upkeep of the group's configuration.
 *
 * <p>Every member of the cluster hosts a replica: up to {@link #votersWanted} of them vote (one
 * while the cluster has one or two nodes, three from three nodes, five from five), the others are
 * Raft listeners that receive the log without voting. Reads of {@link #state()} are local, as of
 * the last entry this replica applied: usually within a heartbeat of the leader, but a replica cut
 * off from the leader serves what it last heard, so a caller that must see the latest state (a
 * keyspace not found) uses {@link #readLatest()}, a linearizable read through the leader.
 *
 * <p>The leader keeps the configuration in line with the membership: a member missing from it is
 * added (as a voter while voters are wanted), and a voter whose node came back under a new Raft
 * identity (its data directory was wiped) is replaced by the new one. A voter that dies stays a
 * voter: removing members is an operator's decision.
 */
public final class MetadataGroup implements AutoCloseable {
  /** The metadata group's id; persisted in every node's Raft storage: never change it. */
  public static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.fromString("5a1edb00-6d65-7461-8000-000000000001"));
  private static final System.Logger LOG = System.getLogger(MetadataGroup.class.getName());
  private static final long RECONCILE_RETRY_MS = 1000;

  private final NodeRaftServer raft;
  private final MetadataStateMachine stateMachine;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ScheduledExecutorService upkeep;
  private final Object clientLock = new Object();
  /** Guarded by {@code clientLock}. */
  private RaftClient client;
  /** Guarded by {@code clientLock}: the peers {@link #client} was built for. */
  private Set<RaftPeer> clientPeers = Set.of();

  public MetadataGroup(NodeRaftServer raft, MetadataStateMachine stateMachine) {
    this.raft = Objects.requireNonNull(raft, "raft");
    this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
    this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "shaledb-metadata-upkeep");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Whether this node's Raft storage holds a replica of the group (it bootstrapped or joined it before). */
  public boolean hosted() {
    return raft.hosts(GROUP_ID);
  }

  /** Creates the group with this node as its only voter. Only for a cluster's very first node. */
  public void bootstrap() {
    addGroup(RaftGroup.valueOf(GROUP_ID, raft.self()));
  }

  /** Creates an empty replica here, to be filled by the leader once it adds this node to the configuration. */
  public void prepareToJoin() {
    addGroup(RaftGroup.valueOf(GROUP_ID));
  }

  private void addGroup(RaftGroup group) {
    try {
      RaftClientReply reply = raft.server().groupManagement(
          GroupManagementRequest.newAdd(clientId, raft.self().getId(), callIds.incrementAndGet(), group));
      if (!reply.isSuccess()) {
        throw new IllegalStateException("cannot create the metadata group here: " + reply.getException());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the metadata group here: " + e.getMessage(), e);
    }
  }

  /** This replica's state, as of the last entry it applied. */
  public MetadataState state() {
    return stateMachine.state();
  }

  public RaftPeer self() {
    return raft.self();
  }

  /** Whether this replica leads and has applied everything committed before its term. */
  public boolean isLeaderReady() {
    Optional<RaftServer.Division> division = division();
    return division.isPresent() && division.get().getInfo().isLeader() && division.get().getInfo().isLeaderReady();
  }

  /** The current term as this replica knows it (0 if it holds no replica yet). */
  public long currentTerm() {
    return division().map(d -> d.getInfo().getCurrentTerm()).orElse(0L);
  }

  /** The leader this replica follows, if it knows one. */
  public Optional<RaftPeerId> leaderId() {
    return division().map(d -> d.getInfo().getLeaderId());
  }

  /** The member whose Raft identity is the leader this replica knows of. */
  public Optional<Member> leaderMember() {
    Optional<RaftPeerId> leader = leaderId();
    if (leader.isEmpty()) {
      return Optional.empty();
    }
    String id = leader.get().toString();
    return state().membership().members().stream().filter(m -> m.raftPeerId().equals(id)).findFirst();
  }

  /** The Raft ids of the voters in this replica's configuration. */
  public List<String> voterIds() {
    return division().map(d -> d.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER).stream()
        .map(p -> p.getId().toString()).toList()).orElse(List.of());
  }

  /** Whether this replica votes (rather than only listens, or holds nothing yet). */
  public boolean isVoter() {
    return division().map(d -> d.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER).stream()
        .anyMatch(p -> p.getId().equals(raft.self().getId()))).orElse(false);
  }

  /**
   * Confirms that this replica still leads in term {@code term}: a linearizable read on itself,
   * answered from the leader lease while it holds (no other leader can have been elected) and
   * otherwise after a round of heartbeats acknowledged by a majority.
   *
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if it does not (any more)
   */
  public void confirmLeadership(long term) {
    RaftServer.Division division = division().orElseThrow(() -> notLeader());
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(raft.self().getId())
        .setGroupId(GROUP_ID)
        .setCallId(callIds.incrementAndGet())
        .setMessage(MetadataStateMachine.READ_STATE)
        .setType(RaftClientRequest.readRequestType())
        .build();
    RaftClientReply reply;
    try {
      reply = raft.server().submitClientRequestAsync(request).join();
    } catch (IOException | CompletionException e) {
      throw notLeader();
    }
    if (!reply.isSuccess() || division.getInfo().getCurrentTerm() != term || !division.getInfo().isLeader()) {
      throw notLeader();
    }
  }

  /** The error of a request that only the leader serves, naming the leader this replica knows. */
  public ShaleException notLeader() {
    String leader = leaderMember().map(m -> "node " + m.nodeId()).orElse("unknown");
    return new ShaleException(SqlState.CONNECTION_FAILURE,
        "node is not the metadata leader (the leader is " + leader + "); try again");
  }

  /**
   * Submits {@code command} through the leader and waits until it is committed and applied there.
   *
   * @return the command's result ({@link MetadataState#apply})
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if no leader could commit it in time
   *     (it may still be applied later)
   */
  public byte[] submit(MetadataCommand command) {
    RaftClientReply reply;
    try {
      reply = client().io().send(Message.valueOf(ByteString.copyFrom(command.encode())));
    } catch (IOException e) {
      throw new ShaleException(SqlState.CONNECTION_FAILURE, "the metadata group could not commit "
          + command.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    if (!reply.isSuccess()) {
      throw new ShaleException(SqlState.CONNECTION_FAILURE, "the metadata group refused "
          + command.getClass().getSimpleName() + ": " + reply.getException());
    }
    return reply.getMessage().getContent().toByteArray();
  }

  /** The state as the leader holds it now (a linearizable read). */
  public MetadataState readLatest() {
    try {
      RaftClientReply reply = client().io().sendReadOnly(MetadataStateMachine.READ_STATE);
      if (!reply.isSuccess()) {
        throw new ShaleException(SqlState.CONNECTION_FAILURE, "metadata read failed: " + reply.getException());
      }
      return MetadataState.decode(reply.getMessage().getContent().toByteArray());
    } catch (IOException e) {
      throw new ShaleException(SqlState.CONNECTION_FAILURE, "metadata read failed: " + e.getMessage(), e);
    }
  }

  /** Adds or updates a member (the result is the membership after it). */
  public Membership join(Member member) {
    byte[] result = submit(new MetadataCommand.Join(member));
    WireInput in = new WireInput(result);
    Membership membership = io.shaledb.cluster.protocol.MetadataWire.readMembership(in);
    in.expectEnd();
    return membership;
  }

  /**
   * Points the client at the Raft peers of {@code membership} (a node that has no replica yet
   * knows the group only from the membership a member answered its join with).
   */
  public void learnPeers(Membership membership) {
    Set<RaftPeer> peers = new LinkedHashSet<>();
    for (Member member : membership.members()) {
      peers.add(peerOf(member));
    }
    synchronized (clientLock) {
      if (!peers.isEmpty() && !peers.equals(clientPeers)) {
        replaceClient(peers);
      }
    }
  }

  private RaftClient client() {
    synchronized (clientLock) {
      Set<RaftPeer> peers = new LinkedHashSet<>(clientPeers);
      division().ifPresent(d -> peers.addAll(d.getRaftConf().getCurrentPeers()));
      for (Member member : state().membership().members()) {
        peers.add(peerOf(member));
      }
      if (client == null || !peers.equals(clientPeers)) {
        replaceClient(peers);
      }
      return client;
    }
  }

  private void replaceClient(Set<RaftPeer> peers) {
    if (peers.isEmpty()) {
      throw new ShaleException(SqlState.CONNECTION_FAILURE, "no member of the metadata group is known yet");
    }
    RaftClient old = client;
    client = raft.client(RaftGroup.valueOf(GROUP_ID, peers));
    clientPeers = Set.copyOf(peers);
    if (old != null) {
      try {
        old.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a metadata client: " + e.getMessage());
      }
    }
  }

  private static RaftPeer peerOf(Member member) {
    return RaftPeer.newBuilder().setId(member.raftPeerId()).setAddress(member.raftAddress()).build();
  }

  /** The number of voters a cluster of {@code members} nodes gets. */
  static int votersWanted(int members) {
    return members >= 5 ? 5 : members >= 3 ? 3 : 1;
  }

  /** Brings the configuration in line with the membership, soon, if this replica leads. */
  public void reconcileSoon() {
    upkeep.execute(this::reconcile);
  }

  private void reconcile() {
    if (!isLeaderReady()) {
      return;
    }
    try {
      RaftServer.Division division = division().orElseThrow();
      Collection<RaftPeer> currentVoters = division.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER);
      Collection<RaftPeer> currentListeners = division.getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER);
      if (!division.getRaftConf().getPreviousPeers().isEmpty()) {
        retryLater(); // a change is under way
        return;
      }
      Desired desired = desired(state().membership(), currentVoters, raft.self());
      if (Set.copyOf(desired.voters()).equals(Set.copyOf(currentVoters))
          && Set.copyOf(desired.listeners()).equals(Set.copyOf(currentListeners))) {
        return;
      }
      LOG.log(System.Logger.Level.INFO, "metadata group: voters " + desired.voters() + ", listeners " + desired.listeners());
      RaftClientReply reply = client().admin().setConfiguration(desired.voters(), desired.listeners());
      if (!reply.isSuccess()) {
        LOG.log(System.Logger.Level.WARNING, "metadata group reconfiguration failed: " + reply.getException());
        retryLater();
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "metadata group reconfiguration failed: " + e.getMessage());
      retryLater();
    }
  }

  private void retryLater() {
    if (!upkeep.isShutdown()) {
      upkeep.schedule(this::reconcile, RECONCILE_RETRY_MS, TimeUnit.MILLISECONDS);
    }
  }

  record Desired(List<RaftPeer> voters, List<RaftPeer> listeners) {}

  /**
   * The configuration the membership calls for: current voters that are still members under the
   * same identity stay (the leader always), then members in node id order until enough vote; every
   * other member listens.
   */
  static Desired desired(Membership membership, Collection<RaftPeer> currentVoters, RaftPeer leader) {
    List<RaftPeer> memberPeers = new ArrayList<>();
    for (Member member : membership.members()) {
      memberPeers.add(peerOf(member));
    }
    int wanted = votersWanted(Math.max(1, memberPeers.size()));
    List<RaftPeer> voters = new ArrayList<>();
    voters.add(memberPeers.stream().filter(p -> p.getId().equals(leader.getId())).findFirst().orElse(leader));
    for (RaftPeer peer : memberPeers) {
      if (voters.size() < wanted && !voters.contains(peer)
          && currentVoters.stream().anyMatch(v -> v.getId().equals(peer.getId()))) {
        voters.add(peer);
      }
    }
    for (RaftPeer peer : memberPeers) {
      if (voters.size() < wanted && voters.stream().noneMatch(v -> v.getId().equals(peer.getId()))) {
        voters.add(peer);
      }
    }
    List<RaftPeer> listeners = new ArrayList<>();
    for (RaftPeer peer : memberPeers) {
      if (voters.stream().noneMatch(v -> v.getId().equals(peer.getId()))) {
        listeners.add(peer);
      }
    }
    return new Desired(voters, listeners);
  }

  private Optional<RaftServer.Division> division() {
    try {
      return hosted() ? Optional.of(raft.server().getDivision(GROUP_ID)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
    synchronized (clientLock) {
      if (client != null) {
        try {
          client.close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing the metadata client: " + e.getMessage());
        }
      }
    }
  }
}
