package io.shaledb.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.ShardRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail-over and catch-up of a three-replica group under a running workload: every acknowledged
 * write is on the replicas that remain, a deposed leader never answers a read with less than was
 * acknowledged, and a replica replaced by an empty one catches up from a snapshot of the store
 * while writes go on.
 */
class ReplicaGroupFailoverIT {
  private static final int SHARD = 3;
  private static final int KS = Keyspaces.FIRST_USER_KEYSPACE + 400;
  private static final Duration ELECTION_WAIT = Duration.ofSeconds(30);

  @TempDir Path directory;
  private final AtomicLong oracle = new AtomicLong(1_000);

  /** Writes key i = "v" + i in one phase, one after the other, recording what was acknowledged. */
  private final class Writer implements Runnable {
    final ShardParticipant participant;
    final Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
    final AtomicInteger unknown = new AtomicInteger();
    final AtomicInteger next = new AtomicInteger();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile Throwable failure;

    Writer(ShardParticipant participant) {
      this.participant = participant;
    }

    @Override
    public void run() {
      try {
        while (!stop.get()) {
          int i = next.getAndIncrement();
          long startTs = oracle.incrementAndGet();
          try {
            OnePhaseResult result = participant.commitOnePhase(startTs, List.of(Mutation.put(key(i), value(i))));
            acknowledged.put(i, assertInstanceOf(OnePhaseResult.Committed.class, result).commitTs());
          } catch (ShaleException e) {
            if (e.sqlState() != SqlState.TRANSACTION_RESOLUTION_UNKNOWN) {
              throw e;
            }
            unknown.incrementAndGet(); // allowed: the caller reports 08007
          }
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    int written() {
      return acknowledged.size();
    }
  }

  @Test
  void closingTheLeaderMidWorkloadLosesNoAcknowledgedWriteAndTheOldLeaderServesNoStaleRead() throws Exception {
    try (ReplicaGroupRig rig = new ReplicaGroupRig(directory, 3, Set.of(SHARD), ReplicaGroupRig.testConfig(10_000),
        oracle::incrementAndGet).startAll()) {
      ShardParticipant participant = rig.client().participant(SHARD);
      Writer writer = new Writer(participant);
      Thread thread = new Thread(writer, "writer");
      thread.start();
      awaitWritten(writer, 50);
      int oldLeader = rig.awaitLeader(ELECTION_WAIT);
      rig.stop(oldLeader);
      int before = writer.written();
      awaitWritten(writer, before + 50); // progress under the new leader
      int newLeader = rig.awaitLeader(ELECTION_WAIT);
      assertTrue(newLeader != oldLeader);
      writer.stop.set(true);
      thread.join();
      assertEquals(null, writer.failure);

      assertEveryAcknowledgedWriteReadable(participant, writer);

      // The old leader comes back knowing nothing of what happened since: a read sent to it alone
      // is refused or sees everything acknowledged, never less.
      rig.start(oldLeader);
      int last = writer.acknowledged.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
      try (RaftClient direct = RaftClient.newBuilder().setProperties(ReplicaGroupRig.testConfig(10_000).clientProperties())
          .setRaftGroup(rig.group()).build()) {
        ShardRequest.Read read = new ShardRequest.Read(SHARD, key(last), oracle.incrementAndGet());
        Message message = Message.valueOf(ByteString.copyFrom(new ReplicaCommand.Shard(read).encode()));
        int refused = 0;
        int served = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
          RaftClientReply reply;
          try {
            reply = direct.io().sendReadOnly(message, rig.peer(oldLeader).getId());
          } catch (java.io.IOException e) {
            refused++;
            continue;
          }
          if (!reply.isSuccess()) {
            refused++;
            continue;
          }
          try {
            ReadResult result = ReplicaReply.readResult(read, reply.getMessage().getContent().toByteArray());
            assertArrayEquals(value(last), assertInstanceOf(ReadResult.Value.class, result).value(),
                "the old leader answered a read without the last acknowledged write");
            served++;
          } catch (ReplicaReply.NotLeaderException e) {
            refused++;
          }
        }
        assertEquals(5, refused + served);
        assertEquals(0, served, "a follower never serves reads (it cannot see the leader's pending one-phase commits)");
      }
      System.out.printf("fail-over: %d writes acknowledged, %d with unknown outcome%n", writer.written(), writer.unknown.get());
    }
  }

  @Test
  void aReplicaReplacedByAnEmptyOneCatchesUpFromASnapshotWhileWritesGoOn() throws Exception {
    try (ReplicaGroupRig rig = new ReplicaGroupRig(directory, 3, Set.of(SHARD), ReplicaGroupRig.testConfig(40),
        oracle::incrementAndGet).startAll()) {
      ShardParticipant participant = rig.client().participant(SHARD);
      Writer writer = new Writer(participant);
      Thread thread = new Thread(writer, "writer");
      thread.start();
      awaitWritten(writer, 150);
      int leader = rig.awaitLeader(ELECTION_WAIT);
      int replaced = (leader + 1) % 3;
      rig.stop(replaced);
      awaitWritten(writer, writer.written() + 100); // the log moves past the last snapshot and is purged
      long purgedUpTo = rig.server(leader).getDivision(rig.group().getGroupId()).getRaftLog().getStartIndex();
      assertTrue(purgedUpTo > 1, "the leader purged its log up to a snapshot: " + purgedUpTo);

      rig.replaceWithNewReplica(replaced);
      awaitWritten(writer, writer.written() + 100);
      writer.stop.set(true);
      thread.join();
      assertEquals(null, writer.failure);

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      leader = rig.awaitLeader(ELECTION_WAIT);
      while (rig.appliedIndex(replaced) < rig.appliedIndex(leader) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(rig.appliedIndex(replaced) >= rig.appliedIndex(leader),
          "the new replica applied " + rig.appliedIndex(replaced) + " of " + rig.appliedIndex(leader));
      long newReplicaLogStart = rig.server(replaced).getDivision(rig.group().getGroupId()).getRaftLog().getStartIndex();
      assertTrue(newReplicaLogStart > 1, "the new replica started from a snapshot, not from the first entry: " + newReplicaLogStart);

      // The new replica alone with one other must serve everything: stop the third.
      int third = 3 - leader - replaced;
      rig.stop(third == replaced ? leader : third);
      assertEveryAcknowledgedWriteReadable(participant, writer);
      System.out.printf("catch-up: %d writes acknowledged, log purged up to %d, new replica's log starts at %d%n",
          writer.written(), purgedUpTo, newReplicaLogStart);
    }
  }

  private void assertEveryAcknowledgedWriteReadable(ShardParticipant participant, Writer writer) {
    long readTs = oracle.incrementAndGet();
    for (Map.Entry<Integer, Long> write : writer.acknowledged.entrySet()) {
      ReadResult result = participant.read(key(write.getKey()), readTs);
      ReadResult.Value value = assertInstanceOf(ReadResult.Value.class, result, "acknowledged write " + write.getKey() + " lost");
      assertArrayEquals(value(write.getKey()), value.value());
      assertEquals(write.getValue().longValue(), value.commitTs());
    }
  }

  private static void awaitWritten(Writer writer, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (writer.written() < count && writer.failure == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(null, writer.failure);
    assertTrue(writer.written() >= count, "only " + writer.written() + " of " + count + " writes acknowledged");
  }

  private static byte[] key(int i) {
    byte[] prefix = Keyspaces.prefix(KS);
    byte[] tail = String.format("k%06d", i).getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + tail.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(tail, 0, key, prefix.length, tail.length);
    return key;
  }

  private static byte[] value(int i) {
    return ("v" + i).getBytes(StandardCharsets.UTF_8);
  }
}
