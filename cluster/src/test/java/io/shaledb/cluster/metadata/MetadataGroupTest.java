package io.shaledb.cluster.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.raft.NodeRaftServer;
import io.shaledb.cluster.raft.RaftSettings;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three Raft servers in this JVM forming the metadata group over loopback gRPC with mutual TLS. */
class MetadataGroupTest {
  private static final byte[] SECRET = "metadata-group-test-secret".getBytes(StandardCharsets.UTF_8);
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir Path data;
  private final List<Replica> replicas = new ArrayList<>();

  private record Replica(int nodeId, NodeRaftServer raft, MetadataGroup group, LeaderTimestamps timestamps) {
    Member member() {
      return new Member(nodeId, "127.0.0.1:" + (9000 + nodeId), "127.0.0.1:0", raft.self().getId().toString(),
          raft.self().getAddress());
    }

    void close() {
      group.close();
      raft.close();
    }
  }

  private Replica start(int nodeId, byte[] secret, long snapshotEveryEntries) {
    RaftSettings settings = RaftSettings.defaults("127.0.0.1", 0, data.resolve("node" + nodeId))
        .withElectionTimeouts(Duration.ofMillis(600), Duration.ofMillis(1200))
        .withSnapshotEveryEntries(snapshotEveryEntries);
    MetadataGroup[] holder = new MetadataGroup[1];
    MetadataStateMachine stateMachine = new MetadataStateMachine(new MetadataEvents() {
      @Override
      public void applied(MetadataCommand command, MetadataState state) {
        if (holder[0] != null) {
          holder[0].reconcileSoon();
        }
      }

      @Override
      public void leaderReady() {
        if (holder[0] != null) {
          holder[0].reconcileSoon();
        }
      }
    });
    NodeRaftServer raft = NodeRaftServer.start(settings, "127.0.0.1", secret, CLOCK, id -> stateMachine);
    MetadataGroup group = new MetadataGroup(raft, stateMachine);
    holder[0] = group;
    Replica replica = new Replica(nodeId, raft, group, new LeaderTimestamps(group, CLOCK, 500));
    replicas.add(replica);
    return replica;
  }

  @AfterEach
  void closeAll() {
    for (Replica replica : replicas) {
      try {
        replica.close();
      } catch (RuntimeException e) {
        // already closed by the test
      }
    }
  }

  private List<Replica> threeVoters(long snapshotEveryEntries) throws InterruptedException {
    Replica first = start(1, SECRET, snapshotEveryEntries);
    first.group().bootstrap();
    first.group().join(first.member());
    for (int nodeId = 2; nodeId <= 3; nodeId++) {
      Replica next = start(nodeId, SECRET, snapshotEveryEntries);
      next.group().prepareToJoin();
      next.group().learnPeers(first.group().join(next.member()));
    }
    await(() -> replicas.stream().allMatch(r -> r.group().isVoter()), "three voters");
    return List.copyOf(replicas);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static Replica leader(List<Replica> replicas) {
    return replicas.stream().filter(r -> r.group().isLeaderReady()).findFirst().orElseThrow();
  }

  @Test
  void timestampsKeepRisingAcrossTheLossOfTheLeaderAndOnlyTheLeaderServes() throws Exception {
    List<Replica> voters = threeVoters(1000);
    await(() -> voters.stream().anyMatch(r -> r.group().isLeaderReady()), "a leader");
    Replica oldLeader = leader(voters);
    long last = 0;
    for (int i = 0; i < 20; i++) {
      for (long timestamp : oldLeader.timestamps().next(50)) {
        assertTrue(timestamp > last, timestamp + " after " + last);
        last = timestamp;
      }
    }
    for (Replica follower : voters) {
      if (follower != oldLeader) {
        ShaleException refused = assertThrows(ShaleException.class, () -> follower.timestamps().next(1));
        assertEquals(SqlState.CONNECTION_FAILURE, refused.sqlState());
      }
    }
    oldLeader.close();
    List<Replica> survivors = voters.stream().filter(r -> r != oldLeader).toList();
    await(() -> survivors.stream().anyMatch(r -> r.group().isLeaderReady()), "a new leader");
    Replica newLeader = leader(survivors);
    long first = newLeader.timestamps().next(1)[0];
    assertTrue(first > last, "the new leader's first timestamp " + first + " is not above the old leader's last " + last);
    // The new leader starts above every bound committed before, not merely above its own clock.
    assertTrue(first >= oldLeader.group().state().timestampBound());
    // A member that was down learns the state (membership) from the log of the others.
    assertEquals(3, newLeader.group().state().membership().members().size());
  }

  @Test
  void theStateIsSnapshottedTheLogPurgedAndARestartedReplicaRecoversIt() throws Exception {
    List<Replica> voters = threeVoters(20);
    await(() -> voters.stream().anyMatch(r -> r.group().isLeaderReady()), "a leader");
    for (int i = 0; i < 60; i++) {
      voters.get(i % 3).group().submit(new MetadataCommand.ReserveShardIds(1));
    }
    Replica restarted = voters.get(2);
    await(() -> restarted.group().state().nextShardId() == 60, "the third replica to apply everything");
    Path groups = data.resolve("node3").resolve("groups");
    try (Stream<Path> files = Files.walk(groups)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot.")), "no snapshot under " + groups);
    }
    restarted.close();
    replicas.remove(restarted);
    Replica again = start(3, SECRET, 20);
    assertTrue(again.group().hosted());
    assertEquals(restarted.raft().self().getId(), again.raft().self().getId());
    await(() -> again.group().state().nextShardId() == 60, "the restarted replica to recover the state");
  }

  @Test
  void aServerWithoutTheClusterSecretCannotTakePart() throws Exception {
    Replica member = start(1, SECRET, 1000);
    member.group().bootstrap();
    member.group().join(member.member());
    Replica stranger = start(2, "not-the-cluster-secret!!".getBytes(StandardCharsets.UTF_8), 1000);
    stranger.group().prepareToJoin();
    stranger.group().learnPeers(member.group().state().membership());
    ShaleException refused = assertThrows(ShaleException.class, () -> stranger.group().join(stranger.member()));
    assertEquals(SqlState.CONNECTION_FAILURE, refused.sqlState());
    assertEquals(1, member.group().state().membership().members().size());
  }
}
