package io.shaledb.txn;

import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.WriteConflictException;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The coordinator's side of commit (Percolator): one-phase commit when a transaction touches one
 * shard, otherwise prepare every shard at once (the locks durable), commit the primary key (the
 * commit point, durable before the commit is acknowledged), then commit the secondaries. Each
 * phase step is a separate {@link ShardParticipant} call, and durability is the participants'
 * transports' duty (see {@link ShardRequest#durableBeforeReply(Object)}). Thread-safe (stateless
 * between calls).
 */
final class CommitProtocol {
  /** Locks resolved in a row by one statement before it gives up (each resolution is progress, but not forever). */
  static final int RESOLVE_ATTEMPTS_MAX = 100;

  private static final System.Logger LOG = System.getLogger(CommitProtocol.class.getName());

  private final ParticipantDirectory directory;
  private final TimestampOracle oracle;
  private final LockResolver resolver;
  private final TxnConfig config;
  private final Clock clock;

  CommitProtocol(
      ParticipantDirectory directory, TimestampOracle oracle, LockResolver resolver, TxnConfig config, Clock clock) {
    this.directory = directory;
    this.oracle = oracle;
    this.resolver = resolver;
    this.config = config;
    this.clock = clock;
  }

  /** One shard's part of a transaction's writes, in key order. */
  record ShardWrites(ShardParticipant participant, List<Mutation> mutations) {
    List<byte[]> keys() {
      List<byte[]> keys = new ArrayList<>(mutations.size());
      for (Mutation mutation : mutations) {
        keys.add(mutation.key());
      }
      return keys;
    }
  }

  /**
   * Commits {@code writes} (non-empty, ordered by key) of the transaction started at {@code
   * startTs} durably and atomically.
   *
   * @return the commit timestamp
   * @throws WriteConflictException if the transaction lost a write-write race; nothing of it remains
   * @throws ShaleException {@link SqlState#SERIALIZATION_FAILURE} if it waited too long for locks
   *     (nothing of it remains), or {@link SqlState#INTERNAL_ERROR} if storage failed at the commit
   *     point (then its locks decide the outcome)
   */
  long commit(long startTs, NavigableMap<byte[], Mutation> writes) {
    if (writes.isEmpty()) {
      throw new IllegalArgumentException("nothing to commit");
    }
    List<ShardWrites> shards = groupByShard(writes);
    // The primary (the smallest key) is on the first shard: its status record decides the rest.
    assert ByteArrays.compare(shards.get(0).mutations().get(0).key(), writes.firstKey()) == 0
        : "the primary key is not the first shard's first key";
    if (shards.size() == 1) {
      return commitOnePhase(startTs, shards.get(0));
    }
    return commitTwoPhase(startTs, writes.firstKey(), shards);
  }

  /** Groups in order of their smallest key, so the first group holds the smallest key. */
  private List<ShardWrites> groupByShard(NavigableMap<byte[], Mutation> writes) {
    Map<Integer, ShardWrites> byShard = new LinkedHashMap<>();
    for (Mutation mutation : writes.values()) {
      ShardParticipant participant = directory.participantFor(mutation.key());
      byShard
          .computeIfAbsent(participant.shardId(), id -> new ShardWrites(participant, new ArrayList<>()))
          .mutations()
          .add(mutation);
    }
    return List.copyOf(byShard.values());
  }

  private long commitOnePhase(long startTs, ShardWrites shard) {
    LockResolver.LockWait wait = null;
    int resolved = 0;
    while (true) {
      OnePhaseResult result = shard.participant().commitOnePhase(startTs, shard.mutations());
      if (result instanceof OnePhaseResult.Committed committed) {
        // Durable already: the transport syncs a committed one-phase commit before its reply.
        assert committed.commitTs() > startTs : "commit timestamp " + committed.commitTs() + " not above start " + startTs;
        return committed.commitTs();
      }
      if (result instanceof OnePhaseResult.WriteConflict conflict) {
        throw writeConflict(conflict.key(), conflict.commitTs(), startTs);
      }
      LockInfo lock = ((OnePhaseResult.KeyLocked) result).lock();
      checkForeign(lock, startTs);
      // One-phase commit holds no lock while it waits, so waiting cannot deadlock.
      if (resolver.resolveNow(lock)) {
        if (++resolved >= RESOLVE_ATTEMPTS_MAX) {
          throw LockResolver.tooManyLocks(lock);
        }
      } else {
        if (wait == null) {
          wait = resolver.newWait();
        }
        wait.backOff(lock);
      }
    }
  }

  private long commitTwoPhase(long startTs, byte[] primaryKey, List<ShardWrites> shards) {
    ShardWrites primaryShard = shards.get(0);
    LockLease lease = new LockLease(startTs, clock, config.lockTtlMs());
    List<ShardWrites> prepared = new ArrayList<>(shards.size());
    try {
      // All shards at once. A reader may meet a secondary's lock before the primary's exists: it
      // then records the transaction as rolled back at the primary, and commitPrimary below
      // refuses (returns false), so the early reader never sees a write that later commits.
      // Each prepared shard's locks are durable, or (sharing the primary's log) will be with the
      // commit point: the transports see to it before they reply.
      prepareAll(startTs, primaryKey, shards, lease, prepared);
      lease.renewIfDue(prepared);
    } catch (RuntimeException e) {
      rollBack(startTs, primaryKey, prepared, e);
      throw e;
    }

    long commitTs;
    try {
      commitTs = oracle.next();
      // Taken after every lock is in place: a reader at or above commitTs meets the locks.
      assert commitTs > startTs : "commit timestamp " + commitTs + " not above start " + startTs;
    } catch (RuntimeException e) {
      rollBack(startTs, primaryKey, prepared, e);
      throw e;
    }
    boolean committed;
    try {
      // The commit point, durable before its reply (the transport syncs a committed one).
      committed =
          primaryShard.participant().commitPrimary(startTs, commitTs, primaryKey, otherKeys(primaryShard, primaryKey));
    } catch (ShaleException e) {
      if (e.sqlState() == SqlState.CONNECTION_FAILURE) {
        // The request never reached the primary's node: nothing committed. Its lock there expires
        // and is rolled back by whoever meets it.
        rollBack(startTs, primaryKey, prepared, e);
        throw e;
      }
      throw outcomeUnknown(startTs, e);
    } catch (RuntimeException e) {
      throw outcomeUnknown(startTs, e);
    }
    if (!committed) {
      WriteConflictException conflict =
          new WriteConflictException(
              "the transaction started at "
                  + startTs
                  + " held its locks past their expiry and another transaction rolled it back");
      // The primary's own lock is gone; its other keys and the other shards' locks are not.
      rollBack(startTs, primaryKey, prepared, conflict);
      throw conflict;
    }

    // Committed and acknowledged from here on: a secondary left locked is rolled forward by
    // whoever meets it (or by recovery), so failures here must not fail the commit.
    List<CompletableFuture<Void>> secondaryCommits = new ArrayList<>(shards.size() - 1);
    for (ShardWrites secondary : shards.subList(1, shards.size())) {
      secondaryCommits.add(
          secondary.participant().commitSecondariesAsync(startTs, commitTs, secondary.keys())
              .exceptionally(e -> {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "committing secondaries of transaction " + startTs + " on " + secondary.participant()
                        + " failed; readers will roll them forward",
                    e);
                return null;
              }));
    }
    // Waiting keeps this session's next statement from meeting its own transaction's locks.
    CompletableFuture.allOf(secondaryCommits.toArray(new CompletableFuture<?>[0])).join();
    return commitTs;
  }

  /**
   * Prepares every shard at once (in parallel when they are remote), then settles the ones that
   * met a lock one by one. Every shard that prepared is added to {@code prepared}, also when
   * another failed, so that a rollback covers it.
   */
  private void prepareAll(
      long startTs, byte[] primaryKey, List<ShardWrites> shards, LockLease lease, List<ShardWrites> prepared) {
    List<CompletableFuture<PrepareResult>> results = new ArrayList<>(shards.size());
    for (ShardWrites shard : shards) {
      // Local shards answer at once, one after the other: keep their locks alive meanwhile.
      lease.renewIfDue(alreadyPrepared(shards, results));
      results.add(shard.participant().prepareAsync(startTs, primaryKey, shard.mutations(), lease.expiresAtMs()));
    }
    RuntimeException failure = null;
    List<ShardWrites> locked = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      ShardWrites shard = shards.get(i);
      PrepareResult result;
      try {
        result = join(results.get(i));
      } catch (RuntimeException e) {
        // The request may have been applied before the failure: roll this shard back too.
        prepared.add(shard);
        failure = first(failure, e);
        continue;
      }
      if (result instanceof PrepareResult.Prepared) {
        prepared.add(shard);
      } else if (result instanceof PrepareResult.WriteConflict conflict) {
        failure = first(failure, writeConflict(conflict.key(), conflict.commitTs(), startTs));
      } else {
        locked.add(shard);
      }
    }
    if (failure != null) {
      throw failure;
    }
    for (ShardWrites shard : locked) {
      prepare(startTs, primaryKey, shard, lease, prepared);
      prepared.add(shard);
    }
  }

  /** The shards whose prepare already succeeded, of the first {@code results.size()}. */
  private static List<ShardWrites> alreadyPrepared(List<ShardWrites> shards, List<CompletableFuture<PrepareResult>> results) {
    List<ShardWrites> done = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      CompletableFuture<PrepareResult> result = results.get(i);
      if (result.isDone() && !result.isCompletedExceptionally() && result.join() instanceof PrepareResult.Prepared) {
        done.add(shards.get(i));
      }
    }
    return done;
  }

  /** Whether the commit point was reached is unknown: the locks stay for resolvers to decide. */
  private static ShaleException outcomeUnknown(long startTs, RuntimeException e) {
    if (e instanceof ShaleException shale && shale.sqlState() == SqlState.TRANSACTION_RESOLUTION_UNKNOWN) {
      return shale; // the participant already said so
    }
    return new ShaleException(
        SqlState.TRANSACTION_RESOLUTION_UNKNOWN,
        "the outcome of committing the transaction started at " + startTs + " is unknown: " + e.getMessage(),
        e);
  }

  private static RuntimeException first(RuntimeException earlier, RuntimeException next) {
    if (earlier == null) {
      return next;
    }
    earlier.addSuppressed(next);
    return earlier;
  }

  /** The result of {@code future}, with a failure rethrown as the exception that caused it. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void prepare(long startTs, byte[] primaryKey, ShardWrites shard, LockLease lease, List<ShardWrites> held) {
    LockResolver.LockWait wait = null;
    int resolved = 0;
    while (true) {
      lease.renewIfDue(held);
      PrepareResult result =
          shard.participant().prepare(startTs, primaryKey, shard.mutations(), lease.expiresAtMs());
      if (result instanceof PrepareResult.Prepared) {
        return;
      }
      if (result instanceof PrepareResult.WriteConflict conflict) {
        throw writeConflict(conflict.key(), conflict.commitTs(), startTs);
      }
      LockInfo lock = ((PrepareResult.KeyLocked) result).lock();
      checkForeign(lock, startTs);
      if (resolver.resolveNow(lock)) {
        if (++resolved >= RESOLVE_ATTEMPTS_MAX) {
          throw LockResolver.tooManyLocks(lock);
        }
        continue;
      }
      if (!held.isEmpty() && lock.startTs() < startTs) {
        // Wait-die: a transaction holding locks waits only for younger ones, so waits never form a cycle.
        throw new WriteConflictException(
            Keys.describe(lock.key())
                + " is locked by the older transaction started at "
                + lock.startTs()
                + " while this one (started at "
                + startTs
                + ") holds locks");
      }
      if (wait == null) {
        wait = resolver.newWait();
      }
      wait.backOff(lock);
    }
  }

  private static void rollBack(long startTs, byte[] primaryKey, List<ShardWrites> prepared, RuntimeException cause) {
    for (ShardWrites shard : prepared) {
      try {
        shard.participant().rollback(startTs, primaryKey, shard.keys());
      } catch (RuntimeException e) {
        // Left-over locks are harmless: resolvers roll them back via the primary.
        cause.addSuppressed(e);
      }
    }
  }

  private static List<byte[]> otherKeys(ShardWrites shard, byte[] primaryKey) {
    List<byte[]> others = new ArrayList<>(shard.mutations().size() - 1);
    for (Mutation mutation : shard.mutations()) {
      if (ByteArrays.compare(mutation.key(), primaryKey) != 0) {
        others.add(mutation.key());
      }
    }
    return others;
  }

  private static void checkForeign(LockInfo lock, long startTs) {
    if (lock.startTs() == startTs) {
      throw new IllegalStateException(
          "storage reported the committing transaction's own lock on " + Keys.describe(lock.key()));
    }
  }

  private static WriteConflictException writeConflict(byte[] key, long conflictCommitTs, long startTs) {
    return new WriteConflictException(
        "write-write conflict on "
            + Keys.describe(key)
            + ": another transaction committed it at "
            + conflictCommitTs
            + ", after this transaction started at "
            + startTs);
  }

  /**
   * The expiry of a committing transaction's locks, renewed at phase boundaries once half of the
   * TTL has passed, so a live coordinator's locks are not rolled back by others while a commit
   * that takes long (many shards, lock waits, slow syncs) is in progress.
   */
  private static final class LockLease {
    private final long startTs;
    private final Clock clock;
    private final long ttlMs;
    private long expiresAtMs;

    LockLease(long startTs, Clock clock, long ttlMs) {
      this.startTs = startTs;
      this.clock = clock;
      this.ttlMs = ttlMs;
      this.expiresAtMs = clock.millis() + ttlMs;
    }

    long expiresAtMs() {
      return expiresAtMs;
    }

    /** Extends the locks of {@code held} (primary's first) if half the TTL has passed. */
    void renewIfDue(List<ShardWrites> held) {
      long nowMs = clock.millis();
      if (nowMs < expiresAtMs - ttlMs / 2) {
        return;
      }
      long renewedMs = nowMs + ttlMs;
      for (ShardWrites shard : held) {
        shard.participant().extendLocks(startTs, shard.keys(), renewedMs);
      }
      expiresAtMs = renewedMs;
    }
  }
}
