package io.shaledb.txn;

import io.shaledb.kv.RowFilter;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.TxnStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One shard as the coordinator addresses it: the participant side of two-phase commit. Each
 * operation is one request (phase 1 and phase 2 are separate), with the semantics of the
 * same-named {@link ShardStore} operation, so a remote implementation can send them over RPC.
 * Effects are durable only after {@link ParticipantDirectory#makeDurable}.
 *
 * <p>Thread-safe. Participants are identified by {@link #shardId()}, unique within the cluster.
 */
public interface ShardParticipant {

  int shardId();

  /** See {@link ShardStore#read}. */
  ReadResult read(byte[] key, long readTs);

  /**
   * {@link #read} of each of {@code keys} at {@code readTs}, answered later: element {@code i} of
   * the result is what {@code read(keys.get(i), readTs)} finds, a {@link ReadResult.Locked} included
   * (the caller resolves it). A remote participant sends all keys in one request and returns at
   * once, so a reader can read many shards in parallel. Failures complete the future exceptionally.
   */
  default CompletableFuture<List<ReadResult>> readAllAsync(List<byte[]> keys, long readTs) {
    try {
      List<ReadResult> results = new ArrayList<>(keys.size());
      for (byte[] key : keys) {
        results.add(read(key, readTs));
      }
      return CompletableFuture.completedFuture(results);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** See {@link ShardStore#scan}. */
  ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs);

  /**
   * {@link #scan(byte[], byte[], long)}, where the participant may apply {@code filter} (null for
   * none) to what it returns: one that sends rows over the network drops and trims them there; one
   * in this process need not (the reader applies its whole filter anyway).
   */
  default ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
    return scan(startInclusive, endExclusive, readTs);
  }

  /** Phase 1; see {@link ShardStore#prepare}. */
  PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs);

  /** Phase 2, commit point; see {@link ShardStore#commitPrimary}. */
  boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys);

  /** Phase 2 after the commit point; see {@link ShardStore#commitSecondaries}. */
  void commitSecondaries(long startTs, long commitTs, List<byte[]> keys);

  /** See {@link ShardStore#rollback}. */
  void rollback(long startTs, byte[] primaryKey, List<byte[]> keys);

  /** See {@link ShardStore#resolveStatus}. */
  TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs);

  /** See {@link ShardStore#extendLocks}. */
  void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs);

  /** See {@link ShardStore#commitOnePhase}. */
  OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations, LongSupplier commitTimestamps);

  /**
   * {@link #prepare}, answered later: a remote participant sends the request and returns at once,
   * so a coordinator can prepare many shards in parallel. Failures complete the future exceptionally.
   */
  default CompletableFuture<PrepareResult> prepareAsync(
      long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    try {
      return CompletableFuture.completedFuture(prepare(startTs, primaryKey, mutations, lockExpiresAtMs));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #commitSecondaries}, answered later (see {@link #prepareAsync}). */
  default CompletableFuture<Void> commitSecondariesAsync(long startTs, long commitTs, List<byte[]> keys) {
    try {
      commitSecondaries(startTs, commitTs, keys);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** See {@link ShardStore#locks}. */
  List<LockInfo> locks();

  /** A participant for a shard of this process's storage: every call goes straight to {@code store}. */
  static ShardParticipant local(ShardStore store) {
    return new LocalShardParticipant(store);
  }
}
