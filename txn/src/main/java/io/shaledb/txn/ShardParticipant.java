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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One shard as the coordinator addresses it: the participant side of two-phase commit. Every
 * operation is a {@link ShardRequest} given to {@link #send}; a participant is a transport of those
 * requests to the shard's store: {@link #local} applies them in this process, cluster's remote
 * participant sends them to the shard's node. The named methods below are the requests spelled as
 * calls. Scans are streams of {@link ShardRequest.ScanPage}s and have their own method, so a
 * transport can stream them its own way.
 *
 * <p>Durability is the transport's duty, not the caller's: when {@link
 * ShardRequest#durableBeforeReply(Object)} says so, the request's effects survive a crash once its
 * reply arrives. A remote node syncs before it answers; the local transport syncs through the node's
 * group commit, except for a prepare whose primary key shares the shard's log, which the commit
 * point's sync covers (see the protocol page, {@code package-info}).
 *
 * <p>Thread-safe. Participants are identified by {@link #shardId()}, unique within the cluster.
 */
public interface ShardParticipant {

  int shardId();

  /**
   * Applies {@code request} (addressed to this shard) to the shard; the future completes with its
   * result, or exceptionally with the failure. A participant in this process answers at once.
   */
  <R> CompletableFuture<R> send(ShardRequest<R> request);

  /**
   * A scan of {@code [startInclusive, endExclusive)} at {@code readTs} (see {@link ShardStore#scan}),
   * where the participant may apply {@code filter} (null for none) to what it returns: one that sends
   * rows over the network drops and trims them there; one in this process need not (the reader
   * applies its whole filter anyway).
   */
  ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter);

  /** See {@link ShardStore#scan}. */
  default ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs) {
    return scan(startInclusive, endExclusive, readTs, null);
  }

  /** {@link #send} and wait, with a failure rethrown as the exception that caused it. */
  default <R> R call(ShardRequest<R> request) {
    try {
      return send(request).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** See {@link ShardStore#read}. */
  default ReadResult read(byte[] key, long readTs) {
    return call(new ShardRequest.Read(shardId(), key, readTs));
  }

  /**
   * {@link #read} of each of {@code keys} at {@code readTs}, answered later: element {@code i} of
   * the result is what {@code read(keys.get(i), readTs)} finds, a {@link ReadResult.Locked} included
   * (the caller resolves it). One request for all keys, so a reader can read many shards in parallel.
   */
  default CompletableFuture<List<ReadResult>> readAllAsync(List<byte[]> keys, long readTs) {
    return send(new ShardRequest.ReadAll(shardId(), keys, readTs));
  }

  /** Phase 1; see {@link ShardStore#prepare}. */
  default PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    return call(new ShardRequest.Prepare(shardId(), startTs, primaryKey, mutations, lockExpiresAtMs));
  }

  /** {@link #prepare}, answered later, so a coordinator can prepare many shards in parallel. */
  default CompletableFuture<PrepareResult> prepareAsync(
      long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    return send(new ShardRequest.Prepare(shardId(), startTs, primaryKey, mutations, lockExpiresAtMs));
  }

  /** Phase 2, commit point; see {@link ShardStore#commitPrimary}. */
  default boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys) {
    return call(new ShardRequest.CommitPrimary(shardId(), startTs, commitTs, primaryKey, otherKeys));
  }

  /** Phase 2 after the commit point; see {@link ShardStore#commitSecondaries}. */
  default void commitSecondaries(long startTs, long commitTs, List<byte[]> keys) {
    call(new ShardRequest.CommitSecondaries(shardId(), startTs, commitTs, keys));
  }

  /** {@link #commitSecondaries}, answered later (see {@link #prepareAsync}). */
  default CompletableFuture<Void> commitSecondariesAsync(long startTs, long commitTs, List<byte[]> keys) {
    return send(new ShardRequest.CommitSecondaries(shardId(), startTs, commitTs, keys));
  }

  /** See {@link ShardStore#rollback}. */
  default void rollback(long startTs, byte[] primaryKey, List<byte[]> keys) {
    call(new ShardRequest.Rollback(shardId(), startTs, primaryKey, keys));
  }

  /** See {@link ShardStore#resolveStatus}. */
  default TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs) {
    return call(new ShardRequest.ResolveStatus(shardId(), primaryKey, startTs, nowMs));
  }

  /** See {@link ShardStore#extendLocks}. */
  default void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs) {
    call(new ShardRequest.ExtendLocks(shardId(), startTs, keys, lockExpiresAtMs));
  }

  /**
   * See {@link ShardStore#commitOnePhase}; the commit timestamp comes from the oracle of the
   * transport (the coordinator's in this process, the shard node's over the network).
   */
  default OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations) {
    return call(new ShardRequest.CommitOnePhase(shardId(), startTs, mutations));
  }

  /** See {@link ShardStore#locks}. */
  default List<LockInfo> locks() {
    return call(new ShardRequest.Locks(shardId()));
  }

  /**
   * A participant for a shard of this process's storage: every request is applied straight to
   * {@code store}, one-phase commits taking their timestamp from {@code timestamps}, and made durable
   * through {@code log} (the storage that holds {@code store}) where the request requires it.
   */
  static ShardParticipant local(ShardStore store, java.util.function.LongSupplier timestamps, LocalLog log) {
    return new LocalShardParticipant(store, timestamps, log);
  }
}
