package io.shaledb.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.LocalLog;
import io.shaledb.txn.ShardParticipant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequential one-phase commits on a three-replica group, timed, then the same on one copy (the local
 * transport over a file store) for comparison. It prints the window it measured on the group
 * (wall-clock microseconds) so that a run under {@code strace -f -tt -e trace=fsync,fdatasync} can
 * count the log forces per commit inside it (see the README).
 */
class ReplicatedCommitCostIT {
  private static final int KS = Keyspaces.FIRST_USER_KEYSPACE + 500;
  private static final int SHARD = 5;
  private static final int WARM_UP = 50;
  private static final int COMMITS = 300;

  @TempDir Path directory;

  @Test
  void sequentialOnePhaseCommits() throws Exception {
    AtomicLong oracle = new AtomicLong(1_000);
    try (ReplicaGroupRig rig = new ReplicaGroupRig(directory, 3, Set.of(SHARD), ReplicaGroupRig.testConfig(100_000),
        oracle::incrementAndGet).startAll()) {
      ShardParticipant participant = rig.client().participant(SHARD);
      measure("replicated (3 copies)", participant, oracle, true);
    }
    // The same commits on one copy: the local transport over a file store, synced before each reply.
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(directory.resolve("single")))) {
      ShardParticipant single = ShardParticipant.local(storage.createShard(SHARD), oracle::incrementAndGet,
          LocalLog.holdingEveryKey(storage));
      measure("one copy", single, oracle, false);
    }
  }

  private static void measure(String what, ShardParticipant participant, AtomicLong oracle, boolean window) {
    for (int i = 0; i < WARM_UP; i++) {
      commit(participant, oracle, i);
    }
    long[] micros = new long[COMMITS];
    Instant start = Instant.now();
    if (window) {
      System.out.printf("MEASURE-START %d.%06d%n", start.getEpochSecond(), start.getNano() / 1000);
    }
    for (int i = 0; i < COMMITS; i++) {
      long before = System.nanoTime();
      commit(participant, oracle, WARM_UP + i);
      micros[i] = (System.nanoTime() - before) / 1000;
    }
    Instant end = Instant.now();
    if (window) {
      System.out.printf("MEASURE-END %d.%06d%n", end.getEpochSecond(), end.getNano() / 1000);
    }
    Arrays.sort(micros);
    System.out.printf("%s 1PC commits: %d, p50 %d us, p99 %d us, %.0f commits/s%n", what, COMMITS,
        micros[COMMITS / 2], micros[COMMITS * 99 / 100], COMMITS / ((end.toEpochMilli() - start.toEpochMilli()) / 1000.0));
  }

  private static void commit(ShardParticipant participant, AtomicLong oracle, int i) {
    byte[] key = (new String(Keyspaces.prefix(KS), StandardCharsets.ISO_8859_1) + "k" + i).getBytes(StandardCharsets.ISO_8859_1);
    OnePhaseResult result = participant.commitOnePhase(oracle.incrementAndGet(), List.of(Mutation.put(key, new byte[100])));
    assertInstanceOf(OnePhaseResult.Committed.class, result);
  }
}
