package io.shaledb.txn;

import static io.shaledb.txn.FirstByteDirectory.key;
import static io.shaledb.txn.TxnRig.bytes;
import static io.shaledb.txn.TxnRig.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.PrepareResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readers meeting locks of other transactions: roll forward, roll back, wait, give up. */
class LockResolutionTest {
  private static final int KS = 2_000;
  private final byte[] primary = key(KS, 0, "p");
  private final byte[] secondary = key(KS, 1, "s");

  private TxnRig rig;
  private List<ShardParticipant> shards;

  @BeforeEach
  void setUp() {
    rig = new TxnRig();
    shards = rig.directory.addKeyspace(KS, 2);
    rig.commit(primary, "old-p", secondary, "old-s");
  }

  @AfterEach
  void tearDown() {
    rig.close();
  }

  /** Prepares a two-shard transaction directly, as a coordinator that then stops would leave it. */
  private long plantPrepared(long expiresAtMs) {
    long startTs = rig.oracle.next();
    assertEquals(
        PrepareResult.PREPARED,
        shards.get(0).prepare(startTs, primary, List.of(Mutation.put(primary, bytes("new-p"))), expiresAtMs));
    assertEquals(
        PrepareResult.PREPARED,
        shards.get(1).prepare(startTs, primary, List.of(Mutation.put(secondary, bytes("new-s"))), expiresAtMs));
    return startTs;
  }

  private List<String> scanAll(Transaction txn) {
    List<String> values = new ArrayList<>();
    try (KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(KS))) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        values.add(text(entry.value()));
      }
    }
    return values;
  }

  @Test
  void expiredLockIsRolledBackAndItsCoordinatorCanNoLongerCommit() {
    long startTs = plantPrepared(rig.clock.millis() + 500);
    rig.clock.advance(501);

    assertEquals("old-s", rig.read(secondary));
    assertEquals("old-p", rig.read(primary));
    assertEquals(0, rig.lockCount());
    assertTrue(rig.sleeper.pauses().isEmpty(), "an expired lock needs no waiting");
    assertFalse(shards.get(0).commitPrimary(startTs, rig.oracle.next(), primary, List.of()));
    assertEquals("old-p", rig.read(primary));
  }

  @Test
  void committedPrimaryIsRolledForward() {
    long startTs = plantPrepared(rig.clock.millis() + 500);
    assertTrue(shards.get(0).commitPrimary(startTs, rig.oracle.next(), primary, List.of()));

    assertEquals("new-s", rig.read(secondary));
    assertEquals(0, rig.lockCount());
    assertTrue(rig.sleeper.pauses().isEmpty());
  }

  @Test
  void scanRollsForwardAndRollsBackTheLocksItMeets() {
    long committedTs = plantPrepared(rig.clock.millis() + 10_000);
    assertTrue(shards.get(0).commitPrimary(committedTs, rig.oracle.next(), primary, List.of()));
    try (Transaction txn = rig.coordinator.begin()) {
      assertEquals(List.of("new-p", "new-s"), scanAll(txn));
    }
    assertEquals(0, rig.lockCount());

    plantPrepared(rig.clock.millis() + 500);
    rig.clock.advance(501);
    try (Transaction txn = rig.coordinator.begin()) {
      assertEquals(List.of("new-p", "new-s"), scanAll(txn), "the expired transaction is rolled back");
    }
    assertEquals(0, rig.lockCount());
  }

  @Test
  void pendingLockIsWaitedForWithBoundedBackoffThenTheStatementFailsWith40001() {
    plantPrepared(rig.clock.millis() + 10_000);
    try (Transaction reader = rig.coordinator.begin()) {
      ShaleException failure = assertThrows(ShaleException.class, () -> reader.get(secondary));
      assertEquals(SqlState.SERIALIZATION_FAILURE, failure.sqlState());
      assertTrue(failure.sqlState().isRetryable());
      assertTrue(failure.getMessage().contains("lock wait timeout"), failure.getMessage());
    }
    List<Long> pauses = rig.sleeper.pauses();
    assertEquals(TxnRig.CONFIG.lockWaitMaxMs(), rig.sleeper.totalMs(), "the wait budget is used up exactly: " + pauses);
    long cap = TxnRig.CONFIG.backoffInitialMs();
    for (long pause : pauses) {
      assertTrue(pause >= 1 && pause <= cap, pause + " outside (0, " + cap + "] in " + pauses);
      cap = Math.min(cap * 2, TxnRig.CONFIG.backoffMaxMs());
    }
    assertTrue(pauses.size() > 10, "backs off many times before giving up: " + pauses);
    assertEquals(2, rig.lockCount(), "a pending transaction is left alone");
  }

  @Test
  void pendingLockIsWaitedForUntilItExpires() {
    plantPrepared(rig.clock.millis() + 150);
    rig.sleeper.onPause(rig.clock::advance);
    try (Transaction reader = rig.coordinator.begin()) {
      assertEquals("old-s", text(reader.get(secondary)));
    }
    assertFalse(rig.sleeper.pauses().isEmpty());
    assertTrue(rig.sleeper.totalMs() >= 150 && rig.sleeper.totalMs() <= 170, rig.sleeper.pauses().toString());
    assertEquals(0, rig.lockCount());
  }

  @Test
  void lockCommittedWhileWaitingIsRolledForwardButStaysInvisibleToTheOlderSnapshot() {
    long startTs = plantPrepared(rig.clock.millis() + 10_000);
    try (Transaction reader = rig.coordinator.begin()) {
      rig.sleeper.onPause(
          millis -> {
            if (rig.lockCount() == 2) {
              assertTrue(shards.get(0).commitPrimary(startTs, rig.oracle.next(), primary, List.of()));
            }
          });
      assertEquals("old-s", text(reader.get(secondary)), "committed after the reader started");
    }
    assertEquals(1, rig.sleeper.pauses().size());
    assertEquals(0, rig.lockCount());
    assertEquals("new-s", rig.read(secondary));
  }

  @Test
  void lockOfATransactionStartedAfterTheReaderIsInvisible() {
    try (Transaction reader = rig.coordinator.begin()) {
      plantPrepared(rig.clock.millis() + 10_000);
      assertEquals("old-s", text(reader.get(secondary)));
      assertEquals(List.of("old-p", "old-s"), scanAll(reader));
    }
    assertTrue(rig.sleeper.pauses().isEmpty());
  }

  @Test
  void recoveryRollsEveryLockForwardOrBack() {
    long committed = plantPrepared(rig.clock.millis() + 10_000);
    assertTrue(shards.get(0).commitPrimary(committed, rig.oracle.next(), primary, List.of()));
    byte[] other = key(KS, 0, "q");
    byte[] otherSecondary = key(KS, 1, "t");
    long abandoned = rig.oracle.next();
    shards.get(0).prepare(abandoned, other, List.of(Mutation.put(other, bytes("lost"))), rig.clock.millis() + 10_000);
    shards.get(1).prepare(abandoned, other, List.of(Mutation.put(otherSecondary, bytes("lost"))), rig.clock.millis() + 10_000);

    int syncsBefore = rig.shardStorage.syncs();
    assertEquals(3, rig.coordinator.resolveLocksOfDeadCoordinators(shards));
    assertTrue(rig.shardStorage.syncs() > syncsBefore);
    assertEquals(0, rig.lockCount());
    assertEquals("new-s", rig.read(secondary));
    assertEquals(null, rig.read(other));
    assertEquals(null, rig.read(otherSecondary));
  }
}
