package io.shaledb.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.membership.ShardPlacement;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.txn.ShardRequest;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.TxnStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every request and result survives its wire form; malformed payloads are refused with 08P01, never half-read. */
class RequestsTest {
  private static final byte[] KEY = {0, 0, 4, 0, 1, 2};
  private static final byte[] PRIMARY = {0, 0, 4, 0, 9};
  private static final LockInfo LOCK = new LockInfo(KEY, 77, PRIMARY, 123_456);

  @SuppressWarnings("unchecked")
  private static <R> Request<R> roundTrip(Request<R> request) {
    Request<?> decoded = Requests.decode(request.type(), request.encode());
    assertEquals(request.getClass(), decoded.getClass());
    assertArrayEquals(request.encode(), decoded.encode(), "re-encoding gives the same bytes");
    return (Request<R>) decoded;
  }

  private static <R> R resultRoundTrip(Request<R> request, R result) {
    return request.decodeResult(request.encodeResult(result));
  }

  private static <R> ShardRequest<R> shardRoundTrip(ShardRequest<R> request) {
    return ((ShardCall<R>) roundTrip(new ShardCall<>(request))).request();
  }

  private static <R> R resultRoundTrip(ShardRequest<R> request, R result) {
    return resultRoundTrip(new ShardCall<>(request), result);
  }

  // The message types of shard requests: stable across releases, so pinned here.
  private static final int READ_TYPE = 1;
  private static final int PREPARE_TYPE = 3;
  private static final int COMMIT_SECONDARIES_TYPE = 5;
  private static final int READ_ALL_TYPE = 11;

  @Test
  void shardRequestTypesAreStable() {
    assertEquals(READ_TYPE, new ShardCall<>(new ShardRequest.Read(1, KEY, 5)).type());
    assertEquals(2, new ShardCall<>(new ShardRequest.ScanPage(1, KEY, PRIMARY, 5, 100, null)).type());
    assertEquals(PREPARE_TYPE, new ShardCall<>(new ShardRequest.Prepare(1, 5, PRIMARY, List.of(), 9)).type());
    assertEquals(4, new ShardCall<>(new ShardRequest.CommitPrimary(1, 5, 6, PRIMARY, List.of())).type());
    assertEquals(COMMIT_SECONDARIES_TYPE, new ShardCall<>(new ShardRequest.CommitSecondaries(1, 5, 6, List.of())).type());
    assertEquals(6, new ShardCall<>(new ShardRequest.Rollback(1, 5, PRIMARY, List.of())).type());
    assertEquals(7, new ShardCall<>(new ShardRequest.ResolveStatus(1, PRIMARY, 5, 0)).type());
    assertEquals(8, new ShardCall<>(new ShardRequest.ExtendLocks(1, 5, List.of(), 0)).type());
    assertEquals(9, new ShardCall<>(new ShardRequest.CommitOnePhase(1, 5, List.of())).type());
    assertEquals(10, new ShardCall<>(new ShardRequest.Locks(1)).type());
    assertEquals(READ_ALL_TYPE, new ShardCall<>(new ShardRequest.ReadAll(1, List.of(), 5)).type());
  }

  @Test
  void shardRequestsRoundTrip() {
    ShardRequest.Prepare prepare = (ShardRequest.Prepare) shardRoundTrip(new ShardRequest.Prepare(3, 10, PRIMARY,
        List.of(Mutation.put(KEY, new byte[] {1, 2, 3}), Mutation.delete(PRIMARY)), 99));
    assertEquals(3, prepare.shardId());
    assertEquals(2, prepare.mutations().size());
    assertArrayEquals(new byte[] {1, 2, 3}, prepare.mutations().get(0).value());
    assertNull(prepare.mutations().get(1).value(), "a delete stays a delete");
    shardRoundTrip(new ShardRequest.Read(1, KEY, 5));
    ShardRequest.ReadAll readAll = (ShardRequest.ReadAll) shardRoundTrip(new ShardRequest.ReadAll(2, List.of(KEY, PRIMARY, KEY), 5));
    assertEquals(3, readAll.keys().size());
    assertArrayEquals(PRIMARY, readAll.keys().get(1));
    shardRoundTrip(new ShardRequest.ReadAll(2, List.of(), 5));
    shardRoundTrip(new ShardRequest.ScanPage(1, KEY, PRIMARY, 5, 100, null));
    shardRoundTrip(new ShardRequest.CommitPrimary(1, 5, 6, PRIMARY, List.of(KEY, KEY)));
    shardRoundTrip(new ShardRequest.CommitSecondaries(1, 5, 6, List.of(KEY)));
    shardRoundTrip(new ShardRequest.Rollback(1, 5, PRIMARY, List.of()));
    shardRoundTrip(new ShardRequest.ResolveStatus(1, PRIMARY, 5, 1_000));
    shardRoundTrip(new ShardRequest.ExtendLocks(1, 5, List.of(KEY), 2_000));
    shardRoundTrip(new ShardRequest.CommitOnePhase(1, 5, List.of(Mutation.put(KEY, new byte[0]))));
    shardRoundTrip(new ShardRequest.Locks(4));
  }

  @Test
  void clusterRequestsRoundTrip() {
    roundTrip(new ClusterRequest.NextTimestamps(17));
    roundTrip(new ClusterRequest.Ping());
    roundTrip(new ClusterRequest.Join(new Member(2, "h:7655", "h:8766", "p2", "h:7660")));
    roundTrip(new ClusterRequest.CreateShards(List.of(1, 2, 3)));
    roundTrip(new ClusterRequest.DropShards(List.of(7)));
    roundTrip(new ClusterRequest.OldestActiveSnapshot());
    roundTrip(new ClusterRequest.CatalogChanged());
  }

  @Test
  void resultsRoundTrip() {
    ShardRequest.Read read = new ShardRequest.Read(1, KEY, 5);
    ReadResult.Value value = (ReadResult.Value) resultRoundTrip(read, new ReadResult.Value(new byte[] {4}, 3));
    assertArrayEquals(new byte[] {4}, value.value());
    assertEquals(3, value.commitTs());
    assertInstanceOf(ReadResult.Absent.class, resultRoundTrip(read, ReadResult.ABSENT));
    assertEquals(77, ((ReadResult.Locked) resultRoundTrip(read, new ReadResult.Locked(LOCK))).lock().startTs());

    ShardRequest.ReadAll readAll = new ShardRequest.ReadAll(1, List.of(KEY, PRIMARY, KEY), 5);
    List<ReadResult> results = resultRoundTrip(readAll,
        List.of(new ReadResult.Value(new byte[] {4}, 3), ReadResult.ABSENT, new ReadResult.Locked(LOCK)));
    assertArrayEquals(new byte[] {4}, ((ReadResult.Value) results.get(0)).value());
    assertInstanceOf(ReadResult.Absent.class, results.get(1));
    assertEquals(77, ((ReadResult.Locked) results.get(2)).lock().startTs());

    ShardRequest.Prepare prepare = new ShardRequest.Prepare(1, 5, PRIMARY, List.of(), 9);
    assertInstanceOf(PrepareResult.Prepared.class, resultRoundTrip(prepare, PrepareResult.PREPARED));
    assertEquals(8, ((PrepareResult.WriteConflict) resultRoundTrip(prepare, new PrepareResult.WriteConflict(KEY, 8))).commitTs());
    assertArrayEquals(PRIMARY,
        ((PrepareResult.KeyLocked) resultRoundTrip(prepare, new PrepareResult.KeyLocked(LOCK))).lock().primaryKey());

    ShardRequest.CommitOnePhase onePhase = new ShardRequest.CommitOnePhase(1, 5, List.of());
    assertEquals(11, ((OnePhaseResult.Committed) resultRoundTrip(onePhase, new OnePhaseResult.Committed(11))).commitTs());

    ShardRequest.ResolveStatus status = new ShardRequest.ResolveStatus(1, PRIMARY, 5, 0);
    assertEquals(12, ((TxnStatus.Committed) resultRoundTrip(status, new TxnStatus.Committed(12))).commitTs());
    assertInstanceOf(TxnStatus.RolledBack.class, resultRoundTrip(status, TxnStatus.ROLLED_BACK));
    assertEquals(13, ((TxnStatus.Pending) resultRoundTrip(status, new TxnStatus.Pending(13))).lockExpiresAtMs());

    ShardRequest.ScanPage scan = new ShardRequest.ScanPage(1, KEY, PRIMARY, 5, 10, null);
    ShardRequest.ScanPage.Page page = resultRoundTrip(scan, new ShardRequest.ScanPage.Page(
        List.of(new ScanItem(KEY, new ReadResult.Value(new byte[] {1}, 2)), new ScanItem(PRIMARY, new ReadResult.Locked(LOCK))),
        PRIMARY));
    assertEquals(2, page.items().size());
    assertArrayEquals(PRIMARY, page.resumeKey());
    assertNull(resultRoundTrip(scan, new ShardRequest.ScanPage.Page(List.of(), null)).resumeKey());

    assertArrayEquals(new long[] {1, 2, 3},
        resultRoundTrip(new ClusterRequest.NextTimestamps(3), new long[] {1, 2, 3}));
    Membership members = new Membership(List.of(new Member(3, "c:1", "c:2", "p3", "c:3"), new Member(1, "a:1", "a:2", "p1", "a:3")));
    assertEquals(members, resultRoundTrip(new ClusterRequest.Join(members.members().get(0)), members));
  }

  @Test
  void unknownTypesTruncationTrailingBytesAndForgedLengthsAreRefused() {
    assertProtocolViolation(() -> Requests.decode(999, new byte[0]));
    byte[] prepare = new ShardCall<>(new ShardRequest.Prepare(3, 10, PRIMARY, List.of(Mutation.put(KEY, new byte[] {1})), 99)).encode();
    for (int length = 0; length < prepare.length; length++) {
      byte[] truncated = Arrays.copyOf(prepare, length);
      assertProtocolViolation(() -> Requests.decode(PREPARE_TYPE, truncated));
    }
    byte[] trailing = Arrays.copyOf(prepare, prepare.length + 1);
    assertProtocolViolation(() -> Requests.decode(PREPARE_TYPE, trailing));
    // A count of two billion keys in a few bytes must not allocate two billion slots.
    byte[] forged = new WireOutput().writeInt(1).writeLong(5).writeLong(6).writeInt(Integer.MAX_VALUE).toByteArray();
    assertProtocolViolation(() -> Requests.decode(COMMIT_SECONDARIES_TYPE, forged));
    byte[] readAll = new ShardCall<>(new ShardRequest.ReadAll(2, List.of(KEY, PRIMARY), 5)).encode();
    for (int length = 0; length < readAll.length; length++) {
      byte[] truncated = Arrays.copyOf(readAll, length);
      assertProtocolViolation(() -> Requests.decode(READ_ALL_TYPE, truncated));
    }
    byte[] forgedKeys = new WireOutput().writeInt(2).writeInt(Integer.MAX_VALUE).writeLong(5).toByteArray();
    assertProtocolViolation(() -> Requests.decode(READ_ALL_TYPE, forgedKeys));
    ShardCall<List<ReadResult>> twoKeys = new ShardCall<>(new ShardRequest.ReadAll(2, List.of(KEY, PRIMARY), 5));
    byte[] oneResult = twoKeys.encodeResult(List.of(ReadResult.ABSENT, ReadResult.ABSENT));
    byte[] truncatedResults = Arrays.copyOf(oneResult, oneResult.length - 1);
    assertProtocolViolation(() -> twoKeys.decodeResult(truncatedResults));
    byte[] tooFewResults = new ShardCall<>(new ShardRequest.ReadAll(2, List.of(KEY), 5)).encodeResult(List.of(ReadResult.ABSENT));
    assertProtocolViolation(() -> twoKeys.decodeResult(tooFewResults));
    byte[] forgedResults = new WireOutput().writeInt(Integer.MAX_VALUE).toByteArray();
    assertProtocolViolation(() -> twoKeys.decodeResult(forgedResults));
    byte[] badCount = new WireOutput().writeInt(0).toByteArray();
    assertProtocolViolation(() -> Requests.decode(ClusterRequest.NextTimestamps.TYPE, badCount));
  }

  @Test
  void randomGarbageNeverEscapesAsAnythingButAProtocolViolation() {
    Random random = new Random(42);
    int[] types = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 24, 25, 26, 27};
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[random.nextInt(40)];
      random.nextBytes(garbage);
      int type = types[random.nextInt(types.length)];
      try {
        Requests.decode(type, garbage);
      } catch (ShaleException e) {
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.sqlState(), e.getMessage());
      }
    }
  }

  private static void assertProtocolViolation(org.junit.jupiter.api.function.Executable decode) {
    ShaleException e = assertThrows(ShaleException.class, decode);
    assertEquals(SqlState.PROTOCOL_VIOLATION, e.sqlState(), e.getMessage());
  }
}
