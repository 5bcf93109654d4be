package io.shaledb.cluster.protocol;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.RowFilter;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.TxnStatus;
import io.shaledb.txn.ShardRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The wire encoding of every {@link ShardRequest} and its result: one {@link Codec} per request
 * record, with the record's stable message type. Adding a shard operation adds its codec here.
 */
final class ShardWire {

  /** How one request record and its result cross the wire. */
  record Codec<Q extends ShardRequest<R>, R>(
      int type,
      Class<Q> requestClass,
      Function<WireInput, Q> read,
      BiConsumer<Q, WireOutput> write,
      BiConsumer<R, WireOutput> writeResult,
      BiFunction<Q, WireInput, R> readResult) {}

  private static final List<Codec<?, ?>> CODECS = List.of(
      new Codec<ShardRequest.Read, ReadResult>(1, ShardRequest.Read.class,
          in -> new ShardRequest.Read(in.readInt(), in.readBytes(), in.readLong()),
          (q, out) -> out.writeInt(q.shardId()).writeBytes(q.key()).writeLong(q.readTs()),
          (r, out) -> StorageWire.writeReadResult(out, r),
          (q, in) -> StorageWire.readReadResult(in)),
      new Codec<ShardRequest.ScanPage, ShardRequest.ScanPage.Page>(2, ShardRequest.ScanPage.class,
          ShardWire::readScanPage,
          (q, out) -> out.writeInt(q.shardId()).writeBytes(q.startInclusive()).writeBytes(q.endExclusive())
              .writeLong(q.readTs()).writeInt(q.maxItems()).writeBytes(q.filter() == null ? null : q.filter().encode()),
          (page, out) -> {
            StorageWire.writeScanItems(out, page.items());
            out.writeBytes(page.resumeKey());
          },
          (q, in) -> new ShardRequest.ScanPage.Page(StorageWire.readScanItems(in), in.readNullableBytes())),
      new Codec<ShardRequest.Prepare, PrepareResult>(3, ShardRequest.Prepare.class,
          in -> new ShardRequest.Prepare(in.readInt(), in.readLong(), in.readBytes(), StorageWire.readMutations(in), in.readLong()),
          (q, out) -> {
            out.writeInt(q.shardId()).writeLong(q.startTs()).writeBytes(q.primaryKey());
            StorageWire.writeMutations(out, q.mutations());
            out.writeLong(q.lockExpiresAtMs());
          },
          (r, out) -> StorageWire.writePrepareResult(out, r),
          (q, in) -> StorageWire.readPrepareResult(in)),
      new Codec<ShardRequest.CommitPrimary, Boolean>(4, ShardRequest.CommitPrimary.class,
          in -> new ShardRequest.CommitPrimary(in.readInt(), in.readLong(), in.readLong(), in.readBytes(), in.readByteArrays()),
          (q, out) -> out.writeInt(q.shardId()).writeLong(q.startTs()).writeLong(q.commitTs()).writeBytes(q.primaryKey())
              .writeByteArrays(q.otherKeys()),
          (r, out) -> out.writeBoolean(r),
          (q, in) -> in.readBoolean()),
      new Codec<ShardRequest.CommitSecondaries, Void>(5, ShardRequest.CommitSecondaries.class,
          in -> new ShardRequest.CommitSecondaries(in.readInt(), in.readLong(), in.readLong(), in.readByteArrays()),
          (q, out) -> out.writeInt(q.shardId()).writeLong(q.startTs()).writeLong(q.commitTs()).writeByteArrays(q.keys()),
          (r, out) -> {},
          (q, in) -> null),
      new Codec<ShardRequest.Rollback, Void>(6, ShardRequest.Rollback.class,
          in -> new ShardRequest.Rollback(in.readInt(), in.readLong(), in.readBytes(), in.readByteArrays()),
          (q, out) -> out.writeInt(q.shardId()).writeLong(q.startTs()).writeBytes(q.primaryKey()).writeByteArrays(q.keys()),
          (r, out) -> {},
          (q, in) -> null),
      new Codec<ShardRequest.ResolveStatus, TxnStatus>(7, ShardRequest.ResolveStatus.class,
          in -> new ShardRequest.ResolveStatus(in.readInt(), in.readBytes(), in.readLong(), in.readLong()),
          (q, out) -> out.writeInt(q.shardId()).writeBytes(q.primaryKey()).writeLong(q.startTs()).writeLong(q.nowMs()),
          (r, out) -> StorageWire.writeTxnStatus(out, r),
          (q, in) -> StorageWire.readTxnStatus(in)),
      new Codec<ShardRequest.ExtendLocks, Void>(8, ShardRequest.ExtendLocks.class,
          in -> new ShardRequest.ExtendLocks(in.readInt(), in.readLong(), in.readByteArrays(), in.readLong()),
          (q, out) -> out.writeInt(q.shardId()).writeLong(q.startTs()).writeByteArrays(q.keys()).writeLong(q.lockExpiresAtMs()),
          (r, out) -> {},
          (q, in) -> null),
      new Codec<ShardRequest.CommitOnePhase, OnePhaseResult>(9, ShardRequest.CommitOnePhase.class,
          in -> new ShardRequest.CommitOnePhase(in.readInt(), in.readLong(), StorageWire.readMutations(in)),
          (q, out) -> {
            out.writeInt(q.shardId()).writeLong(q.startTs());
            StorageWire.writeMutations(out, q.mutations());
          },
          (r, out) -> StorageWire.writeOnePhaseResult(out, r),
          (q, in) -> StorageWire.readOnePhaseResult(in)),
      new Codec<ShardRequest.Locks, List<LockInfo>>(10, ShardRequest.Locks.class,
          in -> new ShardRequest.Locks(in.readInt()),
          (q, out) -> out.writeInt(q.shardId()),
          (r, out) -> StorageWire.writeLocks(out, r),
          (q, in) -> StorageWire.readLocks(in)),
      new Codec<ShardRequest.ReadAll, List<ReadResult>>(11, ShardRequest.ReadAll.class,
          in -> new ShardRequest.ReadAll(in.readInt(), in.readByteArrays(), in.readLong()),
          (q, out) -> out.writeInt(q.shardId()).writeByteArrays(q.keys()).writeLong(q.readTs()),
          (r, out) -> StorageWire.writeReadResults(out, r),
          ShardWire::readReadAllResults));

  private static final Map<Integer, Codec<?, ?>> BY_TYPE = new HashMap<>();
  private static final Map<Class<?>, Codec<?, ?>> BY_CLASS = new HashMap<>();

  static {
    for (Codec<?, ?> codec : CODECS) {
      if (BY_TYPE.put(codec.type(), codec) != null || BY_CLASS.put(codec.requestClass(), codec) != null) {
        throw new IllegalStateException("two codecs for message type " + codec.type() + " or " + codec.requestClass());
      }
    }
  }

  private ShardWire() {}

  /** Whether {@code type} is the message type of a shard request. */
  static boolean isShardType(int type) {
    return BY_TYPE.containsKey(type);
  }

  /** The message type of {@code request}'s record. */
  static int type(ShardRequest<?> request) {
    return codecOf(request).type();
  }

  /** The codec of {@code request}'s record. */
  @SuppressWarnings("unchecked")
  static <R> Codec<ShardRequest<R>, R> codecOf(ShardRequest<R> request) {
    Codec<?, ?> codec = BY_CLASS.get(request.getClass());
    if (codec == null) {
      throw new IllegalStateException("no wire encoding for " + request.getClass().getName());
    }
    return (Codec<ShardRequest<R>, R>) codec;
  }

  static ShardRequest<?> read(int type, WireInput in) {
    return BY_TYPE.get(type).read().apply(in);
  }

  private static ShardRequest.ScanPage readScanPage(WireInput in) {
    int shardId = in.readInt();
    byte[] start = in.readBytes();
    byte[] end = in.readBytes();
    long readTs = in.readLong();
    int maxItems = in.readInt();
    byte[] filter = in.readNullableBytes();
    return new ShardRequest.ScanPage(shardId, start, end, readTs, maxItems, filter == null ? null : RowFilter.decode(filter));
  }

  /** @throws ShaleException {@link SqlState#PROTOCOL_VIOLATION} unless there is one result per key */
  private static List<ReadResult> readReadAllResults(ShardRequest.ReadAll request, WireInput in) {
    List<ReadResult> results = StorageWire.readReadResults(in);
    if (results.size() != request.keys().size()) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION,
          "malformed message: " + results.size() + " read results for " + request.keys().size() + " keys");
    }
    return results;
  }
}
