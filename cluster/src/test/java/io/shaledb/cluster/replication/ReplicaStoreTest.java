package io.shaledb.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.txn.ShardRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica's apply is deterministic and replay-safe: the same log gives the same rows, locks and
 * replies on every store; an entry applied again (as after a crash between its apply and the MapDB
 * commit of its index) has no second effect and the same reply (version collection's report aside:
 * it counts what that pass removed); a restarted store skips what it
 * applied; a checkpoint restores the same store. Logs are random, from a printed seed.
 */
class ReplicaStoreTest {
  private static final int KS = Keyspaces.FIRST_USER_KEYSPACE + 300;
  private static final Set<Integer> SHARDS = Set.of(1, 2);
  private static final long WAIT_MS = 5_000;

  @TempDir Path directory;

  @Test
  void theSameLogGivesTheSameStoreOnEveryReplica() {
    for (long seed : new long[] {1, 2, 3, System.nanoTime()}) {
      List<ReplicaCommand> log = randomLog(new Random(seed), 400);
      try (ReplicaStore first = open("first-" + seed); ReplicaStore second = open("second-" + seed)) {
        List<byte[]> firstReplies = applyAll(first, log, 1);
        List<byte[]> secondReplies = applyAll(second, log, 1);
        assertRepliesEqual(firstReplies, secondReplies, "seed " + seed);
        assertSameContents(first, second, log.size(), "seed " + seed);
      }
    }
  }

  @Test
  void anEntryAppliedTwiceHasNoSecondEffectAndTheSameReply() {
    long seed = System.nanoTime();
    List<ReplicaCommand> log = randomLog(new Random(seed), 400);
    try (ReplicaStore once = open("once"); ReplicaStore twice = open("twice")) {
      List<byte[]> onceReplies = applyAll(once, log, 1);
      long index = 1;
      for (int i = 0; i < log.size(); i++) {
        byte[] first = twice.apply(1, index++, log.get(i));
        byte[] again = twice.apply(1, index++, log.get(i));
        assertArrayEquals(onceReplies.get(i), first, "seed " + seed + ", entry " + i + " " + log.get(i));
        if (!(log.get(i) instanceof ReplicaCommand.CollectGarbage)) { // its reply counts what this pass removed
          assertArrayEquals(first, again, "seed " + seed + ", replay of entry " + i + " " + log.get(i));
        }
      }
      assertSameContents(once, twice, log.size(), "seed " + seed);
    }
  }

  @Test
  void aReplayedOnePhaseCommitReportsItsOwnCommit() {
    byte[] key = key(1);
    ReplicaCommand commit = new ReplicaCommand.OnePhaseAt(
        new ShardRequest.CommitOnePhase(1, 10, List.of(Mutation.put(key, bytes("v")))), 11);
    try (ReplicaStore store = open("one-phase")) {
      byte[] first = store.apply(1, 1, commit);
      byte[] replay = store.apply(1, 2, commit);
      ShardRequest.CommitOnePhase request = ((ReplicaCommand.OnePhaseAt) commit).commit();
      assertEquals(new OnePhaseResult.Committed(11), ReplicaReply.readResult(request, first));
      assertEquals(new OnePhaseResult.Committed(11), ReplicaReply.readResult(request, replay));
      ReplicaCommand other = new ReplicaCommand.OnePhaseAt(
          new ShardRequest.CommitOnePhase(1, 10, List.of(Mutation.put(key, bytes("w")))), 12);
      assertInstanceOf(OnePhaseResult.WriteConflict.class,
          ReplicaReply.readResult(request, store.apply(1, 3, other)), "another commit from before 11 conflicts");
    }
  }

  @Test
  void aReadAtOrAboveATimedOnePhaseCommitWaitsForItsEntry() throws Exception {
    byte[] key = key(2);
    ShardRequest.CommitOnePhase commit = new ShardRequest.CommitOnePhase(1, 20, List.of(Mutation.put(key, bytes("new"))));
    try (ReplicaStore store = open("pending")) {
      PendingOnePhases.Pending pending = store.pending().register(commit.startTs(), commit.mutations());
      pending.commitTimestampTaken(21);
      ShardRequest.Read below = new ShardRequest.Read(1, key, 20);
      assertEquals(ReadResult.ABSENT, ReplicaReply.readResult(below, store.read(below)), "a read below the commit does not wait");
      ShardRequest.Read at = new ShardRequest.Read(1, key, 21);
      java.util.concurrent.CompletableFuture<byte[]> reading = java.util.concurrent.CompletableFuture.supplyAsync(() -> store.read(at));
      Thread.sleep(200);
      assertTrue(!reading.isDone(), "the read at the commit timestamp waits for the entry");
      store.apply(1, 1, new ReplicaCommand.OnePhaseAt(commit, 21));
      pending.finish();
      ReadResult result = ReplicaReply.readResult(at, reading.get(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
      assertArrayEquals(bytes("new"), assertInstanceOf(ReadResult.Value.class, result).value());

      PendingOnePhases.Pending orphan = store.pending().register(30, List.of(Mutation.put(key, bytes("later"))));
      java.util.concurrent.CompletableFuture<byte[]> waiting =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> store.read(new ShardRequest.Read(1, key, 40)));
      Thread.sleep(200);
      store.pending().abandonAll(); // the leader stepped down: the entry may commit elsewhere
      java.util.concurrent.ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class, () -> waiting.get(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
      assertInstanceOf(PendingOnePhases.LeadershipLostException.class, failure.getCause());
      orphan.finish();
    }
  }

  @Test
  void aMarkerWhoseEntryNeverReachesTheLogExpiresAndItsEntryIsThenRefused() {
    byte[] key = key(3);
    try (ReplicaStore store = open("dropped")) {
      PendingOnePhases.Pending dropped = store.pending().register(50, List.of(Mutation.put(key, bytes("never"))));
      dropped.commitTimestampTaken(51);
      long before = System.nanoTime();
      ShardRequest.Read read = new ShardRequest.Read(1, key, 60);
      assertEquals(ReadResult.ABSENT, ReplicaReply.readResult(read, store.read(read)));
      long waitedMs = (System.nanoTime() - before) / 1_000_000;
      assertTrue(waitedMs >= PendingOnePhases.ENTER_LOG_LIMIT_MS - 100 && waitedMs < WAIT_MS, "waited " + waitedMs + " ms");
      assertTrue(!dropped.enterLog(), "the expired commit may no longer enter the log");
      PendingOnePhases.Pending entered = store.pending().register(70, List.of(Mutation.put(key, bytes("soon"))));
      assertTrue(entered.enterLog() && entered.enterLog(), "a marker in the log stays there");
      entered.finish();
    }
  }

  @Test
  void aRestartedStoreSkipsWhatItAppliedAndContinues() {
    long seed = System.nanoTime();
    List<ReplicaCommand> log = randomLog(new Random(seed), 300);
    try (ReplicaStore reference = open("reference")) {
      applyAll(reference, log, 1);
      try (ReplicaStore restarted = open("restarted")) {
        for (int i = 0; i < 150; i++) {
          restarted.apply(1, i + 1, log.get(i));
        }
      }
      try (ReplicaStore restarted = open("restarted")) {
        assertEquals(new ReplicaStore.AppliedIndex(1, 150), restarted.applied());
        for (int i = 0; i < log.size(); i++) {
          byte[] reply = restarted.apply(1, i + 1, log.get(i));
          if (i < 150) {
            assertArrayEquals(ReplicaReply.appliedBefore(), reply, "entry " + i + " was applied before the restart");
          }
        }
        assertSameContents(reference, restarted, log.size(), "seed " + seed);
      }
    }
  }

  @Test
  void aCheckpointRestoresTheSameStore() throws Exception {
    long seed = System.nanoTime();
    List<ReplicaCommand> log = randomLog(new Random(seed), 300);
    ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
    try (ReplicaStore source = open("source")) {
      applyAll(source, log, 1);
      source.writeCheckpoint(checkpoint);
      ReplicaStore.restoreCheckpoint(new ByteArrayInputStream(checkpoint.toByteArray()), directory.resolve("copy"));
      try (ReplicaStore copy = open("copy")) {
        assertEquals(source.applied(), copy.applied());
        assertSameContents(source, copy, log.size(), "seed " + seed);
      }
    }
  }

  @Test
  void readsAndCommandsOutsideTheLogAreRefused() {
    try (ReplicaStore store = open("refusals")) {
      ShardRequest.Read read = new ShardRequest.Read(1, key(1), 5);
      byte[] reply = store.apply(1, 1, new ReplicaCommand.Shard(read));
      assertTrue(reply[0] == ReplicaReply.ERROR, "a read is no log entry");
      ShardRequest.Read elsewhere = new ShardRequest.Read(9, key(1), 5);
      assertTrue(store.read(elsewhere)[0] == ReplicaReply.ERROR, "shard 9 is not in the group");
      ShardRequest.CommitOnePhase untimed = new ShardRequest.CommitOnePhase(1, 5, List.of(Mutation.put(key(1), bytes("x"))));
      assertTrue(store.apply(1, 2, new ReplicaCommand.Shard(untimed))[0] == ReplicaReply.ERROR,
          "a one-phase commit enters the log with its commit timestamp");
      assertEquals(2, store.applied().index(), "refused entries are applied too: every replica refuses them");
    }
  }

  @Test
  void commandsSurviveTheirEncoding() {
    for (ReplicaCommand command : randomLog(new Random(7), 200)) {
      assertArrayEquals(command.encode(), ReplicaCommand.decode(command.encode()).encode(), command.toString());
    }
  }

  private ReplicaStore open(String name) {
    return ReplicaStore.open(directory.resolve(name), SHARDS, Clock.systemUTC(), WAIT_MS);
  }

  private static List<byte[]> applyAll(ReplicaStore store, List<ReplicaCommand> log, long term) {
    List<byte[]> replies = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      replies.add(store.apply(term, i + 1, log.get(i)));
    }
    return replies;
  }

  private static void assertRepliesEqual(List<byte[]> expected, List<byte[]> actual, String context) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), context + ", entry " + i);
    }
  }

  /** Every shard's scan at every timestamp up to the log's last, and its locks, as the read path encodes them. */
  private static void assertSameContents(ReplicaStore expected, ReplicaStore actual, int logSize, String context) {
    long lastTs = 10L * logSize + 10;
    for (int shard : SHARDS) {
      for (long ts = 1; ts <= lastTs; ts += 7) {
        ShardRequest.ScanPage scan = new ShardRequest.ScanPage(
            shard, Keyspaces.prefix(KS), Keyspaces.prefixEnd(KS), ts, 100_000, null);
        assertArrayEquals(expected.read(scan), actual.read(scan), context + ": shard " + shard + " at " + ts);
      }
      ShardRequest.Locks locks = new ShardRequest.Locks(shard);
      assertArrayEquals(expected.read(locks), actual.read(locks), context + ": locks of shard " + shard);
    }
  }

  /**
   * Transactions as a coordinator would send them, timestamps increasing: one-phase commits, two-phase
   * ones committed, rolled back or abandoned and resolved, lock extensions, version collection.
   * Outcomes do not matter here (conflicts included), only that every store reaches the same ones.
   */
  private static List<ReplicaCommand> randomLog(Random random, int transactions) {
    List<ReplicaCommand> log = new ArrayList<>();
    long ts = 1;
    for (int t = 0; t < transactions; t++) {
      int shard = 1 + random.nextInt(2);
      List<Mutation> mutations = new ArrayList<>();
      int keys = 1 + random.nextInt(3);
      for (int k = 0; k < keys; k++) {
        byte[] key = key(random.nextInt(12));
        if (mutations.stream().noneMatch(m -> java.util.Arrays.equals(m.key(), key))) {
          mutations.add(random.nextInt(5) == 0 ? Mutation.delete(key) : Mutation.put(key, bytes("v" + t + "-" + k)));
        }
      }
      long startTs = ts++;
      byte[] primary = mutations.get(0).key();
      List<byte[]> keysWritten = mutations.stream().map(Mutation::key).toList();
      List<byte[]> others = keysWritten.subList(1, keysWritten.size());
      long expiry = 1_000_000 + startTs;
      switch (random.nextInt(5)) {
        case 0, 1 -> log.add(new ReplicaCommand.OnePhaseAt(new ShardRequest.CommitOnePhase(shard, startTs, mutations), ts++));
        case 2 -> {
          log.add(new ReplicaCommand.Shard(new ShardRequest.Prepare(shard, startTs, primary, mutations, expiry)));
          if (random.nextBoolean()) {
            log.add(new ReplicaCommand.Shard(new ShardRequest.ExtendLocks(shard, startTs, keysWritten, expiry + 500)));
          }
          long commitTs = ts++;
          log.add(new ReplicaCommand.Shard(new ShardRequest.CommitPrimary(shard, startTs, commitTs, primary, List.of())));
          log.add(new ReplicaCommand.Shard(new ShardRequest.CommitSecondaries(shard, startTs, commitTs, others)));
        }
        case 3 -> {
          log.add(new ReplicaCommand.Shard(new ShardRequest.Prepare(shard, startTs, primary, mutations, expiry)));
          log.add(new ReplicaCommand.Shard(new ShardRequest.Rollback(shard, startTs, primary, keysWritten)));
        }
        default -> {
          log.add(new ReplicaCommand.Shard(new ShardRequest.Prepare(shard, startTs, primary, mutations, expiry)));
          long nowMs = random.nextBoolean() ? expiry - 1 : expiry + 1; // pending, or expired and rolled back
          log.add(new ReplicaCommand.Shard(new ShardRequest.ResolveStatus(shard, primary, startTs, nowMs)));
        }
      }
      if (random.nextInt(40) == 0 && ts > 20) {
        log.add(new ReplicaCommand.CollectGarbage(ts - 10));
      }
    }
    return log;
  }

  private static byte[] key(int n) {
    byte[] prefix = Keyspaces.prefix(KS);
    byte[] tail = ("key" + n).getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + tail.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(tail, 0, key, prefix.length, tail.length);
    return key;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
