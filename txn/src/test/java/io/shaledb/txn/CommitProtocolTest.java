package io.shaledb.txn;

import static io.shaledb.txn.FirstByteDirectory.key;
import static io.shaledb.txn.TxnRig.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.TxnStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commit: one phase, two phases, conflicts, lock waits, lease renewal. */
class CommitProtocolTest {
  private static final int KS = 3_000;
  private final byte[] k0 = key(KS, 0, "a");
  private final byte[] k1 = key(KS, 1, "b");
  private final byte[] k2 = key(KS, 2, "c");

  private TxnRig rig;

  @BeforeEach
  void setUp() {
    rig = new TxnRig();
  }

  @AfterEach
  void tearDown() {
    rig.close();
  }

  @Test
  void onePhaseCommitIsDurableBeforeItReturns() {
    rig.directory.addKeyspace(KS, 3);
    int syncs = rig.shardStorage.syncs();
    rig.commit(k0, "v0", key(KS, 3, "same shard as k0"), "v3");
    assertEquals(syncs + 1, rig.shardStorage.syncs());
    assertEquals("v0", rig.read(k0));
  }

  @Test
  void twoPhaseCommitOnOneLogIsDurableWithTheCommitPointsSync() {
    rig.directory.addKeyspace(KS, 3);
    int syncs = rig.shardStorage.syncs();
    rig.commit(k0, "v0", k1, "v1", k2, "v2", key(KS, 4, "d"), "v4");
    assertEquals(syncs + 1, rig.shardStorage.syncs(), "the commit point's sync covers the locks prepared in the same log");
    assertEquals("v0", rig.read(k0));
    assertEquals("v1", rig.read(k1));
    assertEquals("v2", rig.read(k2));
    assertEquals("v4", rig.read(key(KS, 4, "d")));
    assertEquals(0, rig.lockCount());
  }

  @Test
  void conflictOnASecondaryShardRollsBackEveryShard() {
    rig.directory.addKeyspace(KS, 3);
    rig.commit(k0, "old0", k1, "old1", k2, "old2");
    Transaction loser = rig.coordinator.begin();
    rig.commit(k2, "winner");
    loser.put(k0, bytes("lost0"));
    loser.put(k1, bytes("lost1"));
    loser.put(k2, bytes("lost2"));

    WriteConflictException conflict = assertThrows(WriteConflictException.class, loser::commit);
    assertEquals(SqlState.SERIALIZATION_FAILURE, conflict.sqlState());
    assertFalse(loser.isActive());
    assertThrows(IllegalStateException.class, loser::commit);
    loser.rollback(); // allowed after a failed commit
    assertEquals(0, rig.lockCount());
    assertEquals("old0", rig.read(k0));
    assertEquals("old1", rig.read(k1));
    assertEquals("winner", rig.read(k2));
  }

  @Test
  void onePhaseConflictLeavesNothing() {
    rig.directory.addKeyspace(KS, 1);
    Transaction loser = rig.coordinator.begin();
    rig.commit(k1, "winner");
    loser.put(k0, bytes("lost"));
    loser.put(k1, bytes("lost"));
    assertThrows(WriteConflictException.class, loser::commit);
    assertNull(rig.read(k0));
    assertEquals("winner", rig.read(k1));
    assertEquals(0, rig.lockCount());
  }

  @Test
  void commitFailsIfAResolverRolledBackItsExpiredLocksBeforeTheCommitPoint() {
    AtomicBoolean stall = new AtomicBoolean();
    List<ShardParticipant> shards = new ArrayList<>();
    shards.addAll(
        rig.directory.addKeyspace(
            KS,
            2,
            participant ->
                new ForwardingParticipant(participant) {
                  @Override
                  public PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long expiresAtMs) {
                    PrepareResult result = super.prepare(startTs, primaryKey, mutations, expiresAtMs);
                    if (stall.get() && shardId() == shards.get(1).shardId()) {
                      // The coordinator stalls past its TTL; someone else rolls its primary back.
                      rig.clock.advance(2 * TxnRig.CONFIG.lockTtlMs());
                      TxnStatus status = shards.get(0).resolveStatus(primaryKey, startTs, rig.clock.millis());
                      assertInstanceOf(TxnStatus.RolledBack.class, status);
                    }
                    return result;
                  }
                }));
    rig.commit(k0, "old0", k1, "old1");
    stall.set(true);

    Transaction txn = rig.coordinator.begin();
    txn.put(k0, bytes("new0"));
    txn.put(k1, bytes("new1"));
    WriteConflictException conflict = assertThrows(WriteConflictException.class, txn::commit);
    assertTrue(conflict.getMessage().contains("rolled it back"), conflict.getMessage());
    assertEquals(0, rig.lockCount());
    assertEquals("old0", rig.read(k0));
    assertEquals("old1", rig.read(k1));
  }

  @Test
  void liveCoordinatorRenewsItsLocksWhileACommitTakesLong() {
    AtomicInteger extensions = new AtomicInteger();
    List<ShardParticipant> shards = new ArrayList<>();
    List<TxnStatus> primaryStatusDuringLastPrepare = new ArrayList<>();
    shards.addAll(
        rig.directory.addKeyspace(
            KS,
            3,
            participant ->
                new ForwardingParticipant(participant) {
                  @Override
                  public PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long expiresAtMs) {
                    PrepareResult result = super.prepare(startTs, primaryKey, mutations, expiresAtMs);
                    rig.clock.advance(TxnRig.CONFIG.lockTtlMs() * 6 / 10);
                    if (shardId() == shards.get(2).shardId()) {
                      primaryStatusDuringLastPrepare.add(
                          shards.get(0).resolveStatus(primaryKey, startTs, rig.clock.millis()));
                    }
                    return result;
                  }

                  @Override
                  public void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs) {
                    extensions.incrementAndGet();
                    super.extendLocks(startTs, keys, lockExpiresAtMs);
                  }
                }));

    // Three prepares take 1.8 TTLs in all.
    rig.commit(k0, "v0", k1, "v1", k2, "v2");
    assertEquals(1, primaryStatusDuringLastPrepare.size());
    assertInstanceOf(TxnStatus.Pending.class, primaryStatusDuringLastPrepare.get(0), "renewed, not expired");
    assertTrue(extensions.get() >= 2, "extensions: " + extensions.get());
    assertEquals("v2", rig.read(k2));
    assertEquals(0, rig.lockCount());
  }

  /** A lock of a transaction started at {@code startTs} on {@code key}, primary itself, expiring far ahead. */
  private void plantLock(List<ShardParticipant> shards, int shard, byte[] key, long startTs) {
    assertEquals(
        PrepareResult.PREPARED,
        shards.get(shard).prepare(startTs, key, List.of(Mutation.put(key, bytes("held"))), rig.clock.millis() + 60_000));
  }

  @Test
  void transactionHoldingLocksDiesInsteadOfWaitingForAnOlderOne() {
    List<ShardParticipant> shards = rig.directory.addKeyspace(KS, 2);
    long olderTs = rig.oracle.next();
    Transaction younger = rig.coordinator.begin();
    plantLock(shards, 1, k1, olderTs);
    younger.put(k0, bytes("y0"));
    younger.put(k1, bytes("y1"));

    WriteConflictException conflict = assertThrows(WriteConflictException.class, younger::commit);
    assertTrue(conflict.getMessage().contains("older transaction"), conflict.getMessage());
    assertTrue(rig.sleeper.pauses().isEmpty(), "died without waiting");
    assertEquals(List.of(), shards.get(0).locks(), "its primary lock was rolled back");
    assertEquals(1, shards.get(1).locks().size());
  }

  @Test
  void olderTransactionWaitsForAYoungerOneAndProceedsWhenItRollsBack() {
    List<ShardParticipant> shards = rig.directory.addKeyspace(KS, 2);
    Transaction older = rig.coordinator.begin();
    long youngerTs = rig.oracle.next();
    plantLock(shards, 1, k1, youngerTs);
    rig.sleeper.onPause(
        millis -> {
          if (rig.sleeper.pauses().size() == 3) {
            shards.get(1).rollback(youngerTs, k1, List.of(k1));
          }
        });
    older.put(k0, bytes("o0"));
    older.put(k1, bytes("o1"));
    older.commit();
    assertEquals(3, rig.sleeper.pauses().size());
    assertEquals("o1", rig.read(k1));
    assertEquals(0, rig.lockCount());
  }

  @Test
  void olderTransactionGivesUpAfterTheLockWaitBound() {
    List<ShardParticipant> shards = rig.directory.addKeyspace(KS, 2);
    Transaction older = rig.coordinator.begin();
    long youngerTs = rig.oracle.next();
    plantLock(shards, 1, k1, youngerTs);
    older.put(k0, bytes("o0"));
    older.put(k1, bytes("o1"));
    ShaleException failure = assertThrows(ShaleException.class, older::commit);
    assertEquals(SqlState.SERIALIZATION_FAILURE, failure.sqlState());
    assertEquals(TxnRig.CONFIG.lockWaitMaxMs(), rig.sleeper.totalMs());
    assertEquals(List.of(), shards.get(0).locks(), "its prepared primary was rolled back");
    assertNull(rig.read(k0));
  }

  @Test
  void onePhaseCommitWaitsForALockWithoutDying() {
    List<ShardParticipant> shards = rig.directory.addKeyspace(KS, 1);
    long olderTs = rig.oracle.next();
    Transaction txn = rig.coordinator.begin();
    plantLock(shards, 0, k1, olderTs);
    rig.sleeper.onPause(millis -> shards.get(0).rollback(olderTs, k1, List.of(k1)));
    txn.put(k1, bytes("mine"));
    txn.commit();
    assertEquals(1, rig.sleeper.pauses().size());
    assertEquals("mine", rig.read(k1));
  }

  @Test
  void writesToAMissingKeyspaceFailAtOnce() {
    try (Transaction txn = rig.coordinator.begin()) {
      ShaleException failure = assertThrows(ShaleException.class, () -> txn.put(k0, bytes("x")));
      assertEquals(SqlState.UNDEFINED_TABLE, failure.sqlState());
      assertThrows(IllegalArgumentException.class, () -> txn.get(new byte[] {1, 2}));
    }
  }
}
