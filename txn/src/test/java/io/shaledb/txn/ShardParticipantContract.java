package io.shaledb.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.TxnStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link ShardParticipant} does, whatever carries its requests: the shard in this process
 * (txn) and a shard on a node reached over RPC (cluster) run these same tests. Timestamps come from
 * {@link #nextTimestamp}, the oracle the participant's one-phase commits use too.
 */
public abstract class ShardParticipantContract {
  private static final long TTL_MS = 60_000;
  /** Keys of a user keyspace: the participant's shard must accept them. */
  protected static final int KS = Keyspaces.FIRST_USER_KEYSPACE + 200;

  protected ShardParticipant participant;

  /** A participant for a new, empty shard. */
  protected abstract ShardParticipant open();

  /** A fresh timestamp, above every earlier one and every commit timestamp handed out so far. */
  protected abstract long nextTimestamp();

  /** Closes what {@link #open} opened. */
  protected abstract void close();

  @BeforeEach
  void openParticipant() {
    participant = open();
  }

  @AfterEach
  void closeParticipant() {
    close();
  }

  protected static byte[] key(String suffix) {
    byte[] prefix = Keyspaces.prefix(KS);
    byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + tail.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(tail, 0, key, prefix.length, tail.length);
    return key;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long expiry() {
    return System.currentTimeMillis() + TTL_MS;
  }

  /** Commits {@code value} at {@code suffix} in one phase; returns the commit timestamp. */
  private long commit(String suffix, String value) {
    long startTs = nextTimestamp();
    OnePhaseResult result =
        participant.commitOnePhase(startTs, List.of(Mutation.put(key(suffix), bytes(value))));
    long commitTs = assertInstanceOf(OnePhaseResult.Committed.class, result).commitTs();
    assertTrue(commitTs > startTs, "commit " + commitTs + " after start " + startTs);
    return commitTs;
  }

  private static void assertValue(String expected, ReadResult result) {
    assertArrayEquals(bytes(expected), assertInstanceOf(ReadResult.Value.class, result).value());
  }

  @Test
  void readsSeeTheNewestVersionAtOrBelowTheirTimestamp() {
    long before = nextTimestamp();
    long first = commit("a", "1");
    long second = commit("a", "2");
    assertInstanceOf(ReadResult.Absent.class, participant.read(key("a"), before));
    assertValue("1", participant.read(key("a"), first));
    assertValue("1", participant.read(key("a"), second - 1));
    ReadResult latest = participant.read(key("a"), nextTimestamp());
    assertValue("2", latest);
    assertEquals(second, ((ReadResult.Value) latest).commitTs());
    assertInstanceOf(ReadResult.Absent.class, participant.read(key("never"), nextTimestamp()));
  }

  @Test
  void aPreparedWriteIsALockForReadersAtOrAfterItsStart() {
    commit("a", "old");
    long earlier = nextTimestamp();
    long startTs = nextTimestamp();
    assertInstanceOf(PrepareResult.Prepared.class,
        participant.prepare(startTs, key("a"), List.of(Mutation.put(key("a"), bytes("new"))), expiry()));
    assertValue("old", participant.read(key("a"), earlier));
    LockInfo lock = assertInstanceOf(ReadResult.Locked.class, participant.read(key("a"), nextTimestamp())).lock();
    assertEquals(startTs, lock.startTs());
    assertArrayEquals(key("a"), lock.primaryKey());
    List<LockInfo> locks = participant.locks();
    assertEquals(1, locks.size());
    assertEquals(startTs, locks.get(0).startTs());
  }

  @Test
  void committingThePrimaryAndTheSecondariesMakesTheWritesVisibleAtTheCommitTimestamp() {
    long startTs = nextTimestamp();
    List<Mutation> writes = List.of(Mutation.put(key("p"), bytes("1")), Mutation.put(key("s"), bytes("2")));
    assertInstanceOf(PrepareResult.Prepared.class, participant.prepare(startTs, key("p"), writes, expiry()));
    long commitTs = nextTimestamp();
    assertTrue(participant.commitPrimary(startTs, commitTs, key("p"), List.of()));
    assertTrue(participant.commitPrimary(startTs, commitTs, key("p"), List.of()), "repeating the commit point is harmless");
    assertEquals(new TxnStatus.Committed(commitTs), participant.resolveStatus(key("p"), startTs, System.currentTimeMillis()));
    assertInstanceOf(ReadResult.Locked.class, participant.read(key("s"), nextTimestamp()));
    participant.commitSecondaries(startTs, commitTs, List.of(key("s")));
    assertValue("1", participant.read(key("p"), commitTs));
    assertValue("2", participant.read(key("s"), commitTs));
    assertInstanceOf(ReadResult.Absent.class, participant.read(key("s"), commitTs - 1));
    assertEquals(List.of(), participant.locks());
  }

  @Test
  void prepareReportsLaterCommitsAndOtherTransactionsLocks() {
    long startTs = nextTimestamp();
    long committed = commit("a", "x");
    PrepareResult conflict = participant.prepare(startTs, key("a"), List.of(Mutation.put(key("a"), bytes("y"))), expiry());
    assertEquals(committed, assertInstanceOf(PrepareResult.WriteConflict.class, conflict).commitTs());

    long holder = nextTimestamp();
    participant.prepare(holder, key("b"), List.of(Mutation.put(key("b"), bytes("h"))), expiry());
    PrepareResult locked =
        participant.prepare(nextTimestamp(), key("b"), List.of(Mutation.put(key("b"), bytes("z"))), expiry());
    assertEquals(holder, assertInstanceOf(PrepareResult.KeyLocked.class, locked).lock().startTs());
    OnePhaseResult onePhase =
        participant.commitOnePhase(nextTimestamp(), List.of(Mutation.put(key("b"), bytes("z"))));
    assertEquals(holder, assertInstanceOf(OnePhaseResult.KeyLocked.class, onePhase).lock().startTs());
  }

  @Test
  void aRolledBackTransactionCannotCommit() {
    long startTs = nextTimestamp();
    participant.prepare(startTs, key("p"), List.of(Mutation.put(key("p"), bytes("1"))), expiry());
    participant.rollback(startTs, key("p"), List.of(key("p")));
    participant.rollback(startTs, key("p"), List.of(key("p"))); // idempotent
    assertFalse(participant.commitPrimary(startTs, nextTimestamp(), key("p"), List.of()));
    assertInstanceOf(ReadResult.Absent.class, participant.read(key("p"), nextTimestamp()));
    assertEquals(new TxnStatus.RolledBack(), participant.resolveStatus(key("p"), startTs, System.currentTimeMillis()));
  }

  @Test
  void anExpiredPrimaryIsRolledBackByItsResolverAndExtendingPostponesThat() {
    long startTs = nextTimestamp();
    long expiresAt = System.currentTimeMillis() + TTL_MS;
    participant.prepare(startTs, key("p"), List.of(Mutation.put(key("p"), bytes("1"))), expiresAt);
    assertInstanceOf(TxnStatus.Pending.class, participant.resolveStatus(key("p"), startTs, expiresAt - 1));
    participant.extendLocks(startTs, List.of(key("p")), expiresAt + TTL_MS);
    assertInstanceOf(TxnStatus.Pending.class, participant.resolveStatus(key("p"), startTs, expiresAt + 1));
    assertEquals(new TxnStatus.RolledBack(), participant.resolveStatus(key("p"), startTs, expiresAt + TTL_MS + 1));
    assertFalse(participant.commitPrimary(startTs, nextTimestamp(), key("p"), List.of()));
    assertEquals(List.of(), participant.locks());
  }

  @Test
  void scansReturnKeysInOrderWithWhatAReadWouldFind() {
    commit("c", "3");
    commit("a", "1");
    commit("b", "2");
    long lockStart = nextTimestamp();
    participant.prepare(lockStart, key("d"), List.of(Mutation.put(key("d"), bytes("4"))), expiry());
    List<String> seen = new ArrayList<>();
    try (ScanIterator scan = participant.scan(key("a"), key("z"), nextTimestamp())) {
      while (scan.hasNext()) {
        ScanItem item = scan.next();
        String suffix = new String(item.key(), Keyspaces.PREFIX_BYTES, item.key().length - Keyspaces.PREFIX_BYTES,
            StandardCharsets.UTF_8);
        seen.add(suffix + ":" + item.result().getClass().getSimpleName());
      }
    }
    assertEquals(List.of("a:Value", "b:Value", "c:Value", "d:Locked"), seen);
    try (ScanIterator scan = participant.scan(key("b"), key("c"), nextTimestamp(), null)) {
      assertTrue(scan.hasNext());
      assertArrayEquals(key("b"), scan.next().key());
      assertFalse(scan.hasNext());
    }
  }

  @Test
  void theAsynchronousCallsDoWhatTheirSynchronousTwinsDo() {
    commit("a", "1");
    long startTs = nextTimestamp();
    List<ReadResult> reads = participant.readAllAsync(List.of(key("a"), key("none")), startTs).join();
    assertValue("1", reads.get(0));
    assertInstanceOf(ReadResult.Absent.class, reads.get(1));
    List<Mutation> writes = List.of(Mutation.put(key("p"), bytes("1")), Mutation.put(key("s"), bytes("2")));
    assertInstanceOf(PrepareResult.Prepared.class, participant.prepareAsync(startTs, key("p"), writes, expiry()).join());
    long commitTs = nextTimestamp();
    assertTrue(participant.commitPrimary(startTs, commitTs, key("p"), List.of()));
    participant.commitSecondariesAsync(startTs, commitTs, List.of(key("s"))).join();
    assertValue("2", participant.read(key("s"), commitTs));
    assertEquals(List.of(), participant.locks());
  }
}
