package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ShardStore} contract; each storage mode runs it by providing {@link #openStorage}.
 * Timestamps are plain numbers here: the store compares them and never takes them from a clock.
 */
abstract class ShardStoreContract {
  static final long TTL_MS = 5_000;

  protected ManualClock clock;
  protected NodeStorage storage;
  protected ShardStore shard;

  /** Opens a fresh, empty storage using {@code clock}. */
  abstract NodeStorage openStorage(ManualClock clock);

  @BeforeEach
  void setUp() {
    clock = new ManualClock(1_000_000);
    storage = openStorage(clock);
    shard = storage.createShard(7);
  }

  @AfterEach
  void tearDown() {
    storage.close();
  }

  static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  long expiry() {
    return clock.millis() + TTL_MS;
  }

  /** Commits {@code value} (null = delete) at {@code key} in one phase at {@code commitTs}. */
  void commit(byte[] key, byte[] value, long commitTs) {
    OnePhaseResult result = shard.commitOnePhase(commitTs - 1, List.of(new Mutation(key, value)), () -> commitTs);
    assertEquals(new OnePhaseResult.Committed(commitTs), result);
  }

  void assertValue(byte[] expected, long expectedCommitTs, ReadResult actual) {
    ReadResult.Value value = assertInstanceOf(ReadResult.Value.class, actual);
    assertArrayEquals(expected, value.value());
    assertEquals(expectedCommitTs, value.commitTs());
  }

  void assertLockedBy(long startTs, ReadResult actual) {
    ReadResult.Locked locked = assertInstanceOf(ReadResult.Locked.class, actual);
    assertEquals(startTs, locked.lock().startTs());
  }

  // ---- the read rule, case by case ----

  @Test
  void case1_neverWrittenKeyIsAbsent() {
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 100));
  }

  @Test
  void case2_readSeesNewestVersionAtOrBelowItsTimestamp() {
    commit(key("a"), key("v10"), 10);
    commit(key("a"), key("v20"), 20);
    commit(key("a"), key("v30"), 30);
    assertValue(key("v10"), 10, shard.read(key("a"), 10));
    assertValue(key("v10"), 10, shard.read(key("a"), 19));
    assertValue(key("v20"), 20, shard.read(key("a"), 20));
    assertValue(key("v30"), 30, shard.read(key("a"), 31));
    assertValue(key("v30"), 30, shard.read(key("a"), Long.MAX_VALUE));
  }

  @Test
  void case3_versionsAfterTheReadTimestampAreInvisible() {
    commit(key("a"), key("v10"), 10);
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 9));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 0));
  }

  @Test
  void case4_tombstoneHidesOlderVersionsOnlyFromItsTimestampOn() {
    commit(key("a"), key("v10"), 10);
    commit(key("a"), null, 20);
    assertValue(key("v10"), 10, shard.read(key("a"), 19));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 20));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 25));
    commit(key("a"), key("v30"), 30);
    assertValue(key("v30"), 30, shard.read(key("a"), 30));
  }

  @Test
  void case5_lockStartedAtOrBeforeTheReadIsReported() {
    commit(key("a"), key("v10"), 10);
    assertEquals(PrepareResult.PREPARED, shard.prepare(20, key("p"), List.of(Mutation.put(key("a"), key("v"))), expiry()));
    assertLockedBy(20, shard.read(key("a"), 20));
    ReadResult.Locked locked = assertInstanceOf(ReadResult.Locked.class, shard.read(key("a"), 25));
    assertArrayEquals(key("a"), locked.lock().key());
    assertArrayEquals(key("p"), locked.lock().primaryKey());
    assertEquals(expiry(), locked.lock().expiresAtMs());
  }

  @Test
  void case6_lockStartedAfterTheReadIsInvisible() {
    commit(key("a"), key("v10"), 10);
    shard.prepare(20, key("a"), List.of(Mutation.put(key("a"), key("v"))), expiry());
    assertValue(key("v10"), 10, shard.read(key("a"), 19));
    shard.prepare(30, key("b"), List.of(Mutation.put(key("b"), key("v"))), expiry());
    assertEquals(ReadResult.ABSENT, shard.read(key("b"), 29));
  }

  @Test
  void case7_lockOnNeverWrittenKeyIsReportedToLaterReads() {
    shard.prepare(20, key("b"), List.of(Mutation.delete(key("b"))), expiry());
    assertLockedBy(20, shard.read(key("b"), 21));
  }

  @Test
  void case8_keysThatArePrefixesOfEachOtherStayApart() {
    byte[][] keys = {bytes(), bytes(0), bytes(0, 0), bytes(0, 1), bytes(1), bytes(1, 0), bytes(1, 0xFF), bytes(0xFF), bytes(0xFF, 0)};
    for (int i = 0; i < keys.length; i++) {
      commit(keys[i], bytes(i), 10 + i);
    }
    for (int i = 0; i < keys.length; i++) {
      assertValue(bytes(i), 10 + i, shard.read(keys[i], 100));
      assertEquals(ReadResult.ABSENT, shard.read(keys[i], 9 + i));
    }
    List<ScanItem> all = scanAll(bytes(), bytes(0xFF, 0xFF), 100);
    assertEquals(keys.length, all.size());
    for (int i = 0; i < keys.length; i++) {
      assertArrayEquals(keys[i], all.get(i).key());
    }
  }

  // ---- scan ----

  List<ScanItem> scanAll(byte[] start, byte[] end, long readTs) {
    List<ScanItem> items = new ArrayList<>();
    try (ScanIterator scan = shard.scan(start, end, readTs)) {
      scan.forEachRemaining(items::add);
    }
    return items;
  }

  @Test
  void scanReturnsWhatReadsReturnInOrderAndSkipsAbsentKeys() {
    commit(key("a"), key("a10"), 10);
    commit(key("b"), key("b10"), 10);
    commit(key("b"), null, 20);
    commit(key("c"), key("c30"), 30);
    commit(key("d"), key("d10"), 10);
    commit(key("d"), key("d40"), 40);
    shard.prepare(50, key("e"), List.of(Mutation.put(key("e"), key("e"))), expiry());
    shard.prepare(15, key("f"), List.of(Mutation.put(key("f"), key("f"))), expiry());
    shard.prepare(16, key("d"), List.of(Mutation.put(key("g"), key("g"))), expiry());
    commit(key("z"), key("z"), 10);

    List<ScanItem> items = scanAll(key("a"), key("z"), 35);
    assertEquals(List.of("a", "c", "d", "f", "g"), items.stream().map(i -> new String(i.key(), StandardCharsets.UTF_8)).toList());
    assertValue(key("a10"), 10, items.get(0).result());
    assertValue(key("c30"), 30, items.get(1).result());
    assertValue(key("d10"), 10, items.get(2).result());
    assertLockedBy(15, items.get(3).result());
    assertLockedBy(16, items.get(4).result());
    for (ScanItem item : items) {
      ReadResult read = shard.read(item.key(), 35);
      assertEquals(read.getClass(), item.result().getClass());
    }
  }

  @Test
  void scanHonoursBoundsAndEmptyRanges() {
    for (int i = 0; i < 10; i++) {
      commit(bytes(i), bytes(i), 10);
    }
    assertEquals(3, scanAll(bytes(2), bytes(5), 10).size());
    assertArrayEquals(bytes(2), scanAll(bytes(2), bytes(5), 10).get(0).key());
    assertEquals(0, scanAll(bytes(5), bytes(5), 10).size());
    assertEquals(0, scanAll(bytes(6), bytes(5), 10).size());
    assertEquals(0, scanAll(bytes(2), bytes(5), 9).size());
    assertEquals(2, scanAll(bytes(8), bytes(0xFF), 10).size());
  }

  @Test
  void scanStreamsManyLocksAndVersionsInChunks() {
    int count = ShardScanIterator.LOCK_BATCH_MAX * 2 + 37;
    for (int i = 0; i < count; i++) {
      byte[] k = bytes(i >>> 8, i & 0xFF);
      if (i % 3 == 0) {
        shard.prepare(100, k, List.of(Mutation.put(k, k)), expiry());
      } else {
        commit(k, k, 10 + (i % 5));
        if (i % 3 == 2) {
          shard.prepare(200, k, List.of(Mutation.delete(k)), expiry()); // started after the read: invisible
        }
      }
    }
    List<ScanItem> items = scanAll(bytes(), bytes(0xFF), 150);
    assertEquals(count, items.size());
    for (int i = 0; i < count; i++) {
      assertArrayEquals(bytes(i >>> 8, i & 0xFF), items.get(i).key());
      if (i % 3 == 0) {
        assertLockedBy(100, items.get(i).result());
      } else {
        assertValue(items.get(i).key(), 10 + (i % 5), items.get(i).result());
      }
    }
  }

  @Test
  void scanIteratorStopsWhenClosed() {
    commit(key("a"), key("a"), 10);
    commit(key("b"), key("b"), 10);
    ScanIterator scan = shard.scan(key("a"), key("z"), 10);
    assertTrue(scan.hasNext());
    scan.next();
    scan.close();
    assertFalse(scan.hasNext());
  }

  // ---- prepare ----

  @Test
  void prepareConflictsWithVersionsCommittedAfterTheStart() {
    commit(key("a"), key("v"), 20);
    PrepareResult result = shard.prepare(19, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    PrepareResult.WriteConflict conflict = assertInstanceOf(PrepareResult.WriteConflict.class, result);
    assertArrayEquals(key("a"), conflict.key());
    assertEquals(20, conflict.commitTs());
    assertEquals(PrepareResult.PREPARED, shard.prepare(20, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry()));
  }

  @Test
  void prepareConflictsWithTombstonesToo() {
    commit(key("a"), null, 20);
    assertInstanceOf(PrepareResult.WriteConflict.class, shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry()));
  }

  @Test
  void prepareReportsAnotherTransactionsLock() {
    shard.prepare(10, key("p"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    PrepareResult result = shard.prepare(11, key("a"), List.of(Mutation.put(key("a"), key("y"))), expiry());
    PrepareResult.KeyLocked locked = assertInstanceOf(PrepareResult.KeyLocked.class, result);
    assertEquals(10, locked.lock().startTs());
    assertArrayEquals(key("p"), locked.lock().primaryKey());
  }

  @Test
  void prepareIsAllOrNothing() {
    commit(key("c"), key("c"), 30);
    PrepareResult result =
        shard.prepare(20, key("a"), List.of(Mutation.put(key("a"), key("x")), Mutation.put(key("b"), key("x")), Mutation.put(key("c"), key("x"))), expiry());
    assertInstanceOf(PrepareResult.WriteConflict.class, result);
    assertEquals(List.of(), shard.locks());
    shard.prepare(5, key("q"), List.of(Mutation.put(key("q"), key("x"))), expiry());
    result = shard.prepare(20, key("a"), List.of(Mutation.put(key("a"), key("x")), Mutation.put(key("q"), key("x"))), expiry());
    assertInstanceOf(PrepareResult.KeyLocked.class, result);
    assertEquals(1, shard.locks().size());
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 25));
  }

  @Test
  void repeatingASuccessfulPrepareChangesNothing() {
    List<Mutation> mutations = List.of(Mutation.put(key("a"), key("x")), Mutation.delete(key("b")));
    assertEquals(PrepareResult.PREPARED, shard.prepare(10, key("a"), mutations, expiry()));
    assertEquals(PrepareResult.PREPARED, shard.prepare(10, key("a"), mutations, expiry()));
    assertEquals(2, shard.locks().size());
  }

  @Test
  void mutationsMustNameDistinctKeys() {
    List<Mutation> twice = List.of(Mutation.put(key("a"), key("x")), Mutation.delete(key("a")));
    assertThrows(IllegalArgumentException.class, () -> shard.prepare(10, key("a"), twice, expiry()));
    assertThrows(IllegalArgumentException.class, () -> shard.commitOnePhase(10, twice, () -> 11));
    assertEquals(List.of(), shard.locks());
  }

  @Test
  void storedKeysAndValuesAreCopies() {
    byte[] k = key("a");
    byte[] v = key("value");
    shard.prepare(10, k, List.of(Mutation.put(k, v)), expiry());
    k[0] = 'z';
    v[0] = 'Z';
    assertTrue(shard.commitPrimary(10, 11, key("a"), List.of()));
    ReadResult.Value read = assertInstanceOf(ReadResult.Value.class, shard.read(key("a"), 11));
    assertArrayEquals(key("value"), read.value());
    read.value()[0] = 'Q';
    assertValue(key("value"), 11, shard.read(key("a"), 11));
  }

  // ---- commit ----

  @Test
  void commitPrimaryCommitsItsKeysAndRecordsTheOutcome() {
    commit(key("b"), key("old"), 5);
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x")), Mutation.delete(key("b")), Mutation.put(key("c"), key("y"))), expiry());
    assertTrue(shard.commitPrimary(10, 12, key("a"), List.of(key("b"))));
    assertValue(key("x"), 12, shard.read(key("a"), 12));
    assertEquals(ReadResult.ABSENT, shard.read(key("b"), 12));
    assertValue(key("old"), 5, shard.read(key("b"), 11));
    assertLockedBy(10, shard.read(key("c"), 12));
    assertEquals(new TxnStatus.Committed(12), shard.resolveStatus(key("a"), 10, clock.millis()));
    assertTrue(shard.commitPrimary(10, 12, key("a"), List.of(key("b"))), "repeat");
    shard.commitSecondaries(10, 12, List.of(key("c")));
    shard.commitSecondaries(10, 12, List.of(key("c")));
    assertValue(key("y"), 12, shard.read(key("c"), 12));
    assertEquals(List.of(), shard.locks());
  }

  @Test
  void expiredLockStillCommitsWhileNobodyResolvedIt() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    clock.advanceMillis(TTL_MS + 1);
    assertTrue(shard.commitPrimary(10, 11, key("a"), List.of()));
    assertEquals(new TxnStatus.Committed(11), shard.resolveStatus(key("a"), 10, clock.millis()));
  }

  @Test
  void commitPrimaryFailsOnceRolledBackAndChangesNothing() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x")), Mutation.put(key("b"), key("x"))), expiry());
    shard.rollback(10, key("a"), List.of(key("a"), key("b")));
    assertFalse(shard.commitPrimary(10, 11, key("a"), List.of(key("b"))));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 11));
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("a"), 10, clock.millis()));
  }

  @Test
  void commitPrimaryFailsForATransactionThatNeverPrepared() {
    assertFalse(shard.commitPrimary(10, 11, key("a"), List.of()));
    shard.prepare(9, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    assertFalse(shard.commitPrimary(10, 11, key("a"), List.of()), "the lock belongs to another transaction");
    assertLockedBy(9, shard.read(key("a"), 11));
  }

  @Test
  void commitSecondariesLeavesOtherTransactionsLocksAlone() {
    shard.prepare(10, key("p"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    shard.commitSecondaries(11, 12, List.of(key("a"), key("never-locked")));
    assertLockedBy(10, shard.read(key("a"), 12));
    assertEquals(ReadResult.ABSENT, shard.read(key("never-locked"), 12));
  }

  @Test
  void commitTimestampMustFollowStart() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    assertThrows(IllegalArgumentException.class, () -> shard.commitPrimary(10, 10, key("a"), List.of()));
    assertThrows(IllegalArgumentException.class, () -> shard.commitSecondaries(10, 9, List.of(key("a"))));
    assertThrows(IllegalArgumentException.class, () -> shard.commitOnePhase(10, List.of(Mutation.put(key("b"), key("x"))), () -> 10));
    assertThrows(IllegalArgumentException.class, () -> shard.read(key("a"), -1));
    assertLockedBy(10, shard.read(key("a"), 10));
    assertEquals(ReadResult.ABSENT, shard.read(key("b"), 100));
  }

  // ---- rollback ----

  @Test
  void rollbackRemovesOnlyThisTransactionsLocksAndIsIdempotent() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    shard.prepare(11, key("c"), List.of(Mutation.put(key("c"), key("x"))), expiry());
    shard.rollback(10, key("a"), List.of(key("a"), key("c")));
    shard.rollback(10, key("a"), List.of(key("a"), key("c")));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 20));
    assertLockedBy(11, shard.read(key("c"), 20));
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("a"), 10, clock.millis()));
  }

  @Test
  void rollbackOfSecondariesLeavesNoRecord() {
    shard.prepare(10, key("p"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    shard.rollback(10, key("p"), List.of(key("a")));
    assertEquals(List.of(), shard.locks());
    // No record for the primary here: with neither lock nor record, resolving now rolls it back.
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("p"), 10, clock.millis()));
  }

  @Test
  void rollingBackACommittedPrimaryIsRefused() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    shard.commitPrimary(10, 11, key("a"), List.of());
    assertThrows(IllegalStateException.class, () -> shard.rollback(10, key("a"), List.of(key("a"))));
    assertValue(key("x"), 11, shard.read(key("a"), 11));
  }

  // ---- resolveStatus and expiry ----

  @Test
  void unexpiredPrimaryLockIsPending() {
    long expiresAt = expiry();
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiresAt);
    assertEquals(new TxnStatus.Pending(expiresAt), shard.resolveStatus(key("a"), 10, clock.millis()));
    clock.advanceMillis(TTL_MS);
    assertEquals(new TxnStatus.Pending(expiresAt), shard.resolveStatus(key("a"), 10, clock.millis()), "expires only after its instant");
    assertLockedBy(10, shard.read(key("a"), 10));
  }

  @Test
  void expiredPrimaryLockIsRolledBackSoTheTransactionCannotCommit() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry());
    clock.advanceMillis(TTL_MS + 1);
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("a"), 10, clock.millis()));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 20));
    assertFalse(shard.commitPrimary(10, 11, key("a"), List.of()));
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("a"), 10, clock.millis()));
  }

  @Test
  void resolvingAnUnknownTransactionRollsItBackForGood() {
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("a"), 10, clock.millis()));
    assertEquals(PrepareResult.PREPARED, shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x"))), expiry()));
    assertFalse(shard.commitPrimary(10, 11, key("a"), List.of()));
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("a"), 10, clock.millis()));
  }

  @Test
  void extendLocksPostponesExpiry() {
    shard.prepare(10, key("a"), List.of(Mutation.put(key("a"), key("x")), Mutation.put(key("b"), key("y"))), expiry());
    shard.prepare(11, key("c"), List.of(Mutation.put(key("c"), key("z"))), expiry());
    clock.advanceMillis(TTL_MS - 1);
    long extended = expiry();
    shard.extendLocks(10, List.of(key("a"), key("b"), key("c")), extended);
    clock.advanceMillis(TTL_MS - 1);
    assertEquals(new TxnStatus.Pending(extended), shard.resolveStatus(key("a"), 10, clock.millis()));
    assertEquals(TxnStatus.ROLLED_BACK, shard.resolveStatus(key("c"), 11, clock.millis()), "other transaction's lock not extended");
    ReadResult.Locked secondary = assertInstanceOf(ReadResult.Locked.class, shard.read(key("b"), 10));
    assertEquals(extended, secondary.lock().expiresAtMs());
    assertTrue(shard.commitPrimary(10, 12, key("a"), List.of(key("b"))));
    assertValue(key("y"), 12, shard.read(key("b"), 12));
  }

  // ---- one-phase commit ----

  @Test
  void onePhaseCommitWritesEveryKeyAtOneTimestamp() {
    commit(key("b"), key("old"), 5);
    OnePhaseResult result =
        shard.commitOnePhase(10, List.of(Mutation.put(key("a"), key("x")), Mutation.delete(key("b"))), () -> 12);
    assertEquals(new OnePhaseResult.Committed(12), result);
    assertValue(key("x"), 12, shard.read(key("a"), 12));
    assertEquals(ReadResult.ABSENT, shard.read(key("b"), 12));
    assertValue(key("old"), 5, shard.read(key("b"), 11));
  }

  @Test
  void onePhaseCommitChecksBeforeTakingATimestamp() {
    AtomicInteger timestampsTaken = new AtomicInteger();
    LongSupplier timestamps = () -> 100 + timestampsTaken.incrementAndGet();
    commit(key("b"), key("v"), 20);
    shard.prepare(15, key("c"), List.of(Mutation.put(key("c"), key("x"))), expiry());

    OnePhaseResult conflict = shard.commitOnePhase(10, List.of(Mutation.put(key("a"), key("x")), Mutation.put(key("b"), key("x"))), timestamps);
    assertEquals(20, assertInstanceOf(OnePhaseResult.WriteConflict.class, conflict).commitTs());
    OnePhaseResult locked = shard.commitOnePhase(30, List.of(Mutation.put(key("a"), key("x")), Mutation.put(key("c"), key("x"))), timestamps);
    assertEquals(15, assertInstanceOf(OnePhaseResult.KeyLocked.class, locked).lock().startTs());
    assertEquals(0, timestampsTaken.get());
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 1000));
  }

  @Test
  void onePhaseCommitWhoseTimestampFailsWritesNothing() {
    assertThrows(
        IllegalStateException.class,
        () -> shard.commitOnePhase(10, List.of(Mutation.put(key("a"), key("x"))), () -> {
          throw new IllegalStateException("oracle unreachable");
        }));
    assertEquals(ReadResult.ABSENT, shard.read(key("a"), 1000));
    commit(key("a"), key("y"), 11);
    assertValue(key("y"), 11, shard.read(key("a"), 11));
  }

  @Test
  void locksListsEveryHeldLock() {
    shard.prepare(10, key("p"), List.of(Mutation.put(key("a"), key("x")), Mutation.delete(key("b"))), 77);
    List<LockInfo> locks = shard.locks();
    assertEquals(2, locks.size());
    assertArrayEquals(key("a"), locks.get(0).key());
    assertArrayEquals(key("b"), locks.get(1).key());
    for (LockInfo lock : locks) {
      assertEquals(10, lock.startTs());
      assertEquals(77, lock.expiresAtMs());
      assertArrayEquals(key("p"), lock.primaryKey());
    }
  }

  // ---- shards of one storage ----

  @Test
  void shardsAreIndependentAndDroppedShardsRefuseWork() {
    ShardStore other = storage.createShard(8);
    commit(key("a"), key("x"), 10);
    assertEquals(ReadResult.ABSENT, other.read(key("a"), 10));
    assertEquals(8, other.shardId());
    storage.dropShard(8);
    storage.dropShard(8);
    assertThrows(IllegalStateException.class, () -> other.read(key("a"), 10));
    assertThrows(IllegalStateException.class, () -> storage.shard(8));
    ShardStore again = storage.createShard(8);
    assertEquals(ReadResult.ABSENT, again.read(key("a"), 10));
    assertValue(key("x"), 10, shard.read(key("a"), 10));
  }

  @Test
  void droppedShardComesBackEmpty() {
    ShardStore other = storage.createShard(8);
    for (int i = 0; i < 3000; i++) {
      other.commitOnePhase(10, List.of(Mutation.put(bytes(i >>> 8, i), bytes(i))), () -> 11);
    }
    other.prepare(20, key("p"), List.of(Mutation.put(key("p"), key("x"))), expiry());
    storage.dropShard(8);
    ShardStore again = storage.createShard(8);
    assertEquals(List.of(), again.locks());
    try (ScanIterator scan = again.scan(bytes(), bytes(0xFF), 100)) {
      assertFalse(scan.hasNext());
    }
    assertEquals(java.util.Set.of(7, 8), storage.shardIds());
  }

  @Test
  void metaValuesRoundTrip() {
    assertEquals(null, storage.getMeta("tso"));
    storage.putMeta("tso", bytes(1, 2));
    storage.putMeta("tso", bytes(3));
    assertArrayEquals(bytes(3), storage.getMeta("tso"));
  }

  @Test
  void createShardIsIdempotent() {
    assertTrue(storage.createShard(7) == shard);
    assertTrue(storage.shard(7) == shard);
  }
}
