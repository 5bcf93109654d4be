package io.shaledb.cluster.replication;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.storage.CompactionResult;
import io.shaledb.storage.GcResult;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.ShardRequest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The deterministic heart of a replica: a group's shards in their own MapDB store, changed only by
 * {@link #apply}ing the Raft log's commands in log order. Applying an entry writes its effects and
 * then its index ({@link PersistedNames#REPLICA_APPLIED_META}) to the store, without a sync: the
 * Raft log is the write-ahead log, and the store's own group commit makes both durable later. A
 * MapDB commit never splits one store operation, so after a crash the store holds every entry up to
 * its recorded index, and at most the next one besides; replaying that one has no second effect
 * (every shard operation is idempotent, and a one-phase commit recognises its own versions by its
 * commit timestamp, unique to it), and entries at or below the recorded index are skipped.
 *
 * <p>Threads: {@link #apply} from one thread at a time (Raft's apply order); {@link #read} from
 * any.
 */
final class ReplicaStore implements AutoCloseable {
  /** The checkpoint format's first bytes. */
  private static final int CHECKPOINT_MAGIC = 0x53484331; // "SHC1"
  private static final List<String> STORE_FILES = List.of(PersistedNames.DATA_FILE, PersistedNames.LOG_FILE);
  private static final LongSupplier NO_TIMESTAMPS = () -> {
    throw new IllegalStateException("a replica never takes a timestamp while it applies the log");
  };

  private final Path directory;
  private final NodeStorage storage;
  private final Set<Integer> shardIds;
  private final PendingOnePhases pending;
  private volatile AppliedIndex applied;

  /** The term and index of the last log entry applied to the store; index -1 for none. */
  record AppliedIndex(long term, long index) {
    static final AppliedIndex NONE = new AppliedIndex(0, -1);
  }

  private ReplicaStore(Path directory, NodeStorage storage, Set<Integer> shardIds, long readWaitLimitMs) {
    this.directory = directory;
    this.storage = storage;
    this.shardIds = Set.copyOf(shardIds);
    this.pending = new PendingOnePhases(readWaitLimitMs);
    byte[] recorded = storage.getMeta(PersistedNames.REPLICA_APPLIED_META);
    this.applied = recorded == null
        ? AppliedIndex.NONE
        : new AppliedIndex(ByteBuffer.wrap(recorded).getLong(0), ByteBuffer.wrap(recorded).getLong(8));
  }

  /**
   * Opens (creating) the store in {@code directory} with {@code shardIds}, the group's shards; every
   * replica is opened with the same ones, so creating the missing ones is the same on each.
   */
  static ReplicaStore open(Path directory, Set<Integer> shardIds, Clock clock, long readWaitLimitMs) {
    NodeStorage storage = NodeStorage.open(new StorageConfig(directory, clock));
    try {
      for (int shardId : new TreeSet<>(shardIds)) {
        storage.createShard(shardId);
      }
      return new ReplicaStore(directory, storage, shardIds, readWaitLimitMs);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  AppliedIndex applied() {
    return applied;
  }

  PendingOnePhases pending() {
    return pending;
  }

  Set<Integer> shardIds() {
    return shardIds;
  }

  /**
   * Applies the log entry {@code index} (of {@code term}) holding {@code command} and returns the
   * reply for whoever proposed it. An entry at or below the applied index was applied before a
   * restart: skipped. A command the store refuses deterministically (bad input) gets an error reply,
   * the same on every replica; any other failure propagates, and the replica must stop rather than
   * diverge from its peers.
   */
  byte[] apply(long term, long index, ReplicaCommand command) {
    Objects.requireNonNull(command, "command");
    AppliedIndex before = applied;
    if (index <= before.index()) {
      return ReplicaReply.appliedBefore();
    }
    byte[] reply;
    try {
      reply = execute(command);
    } catch (IllegalArgumentException e) {
      reply = ReplicaReply.error(new ShaleException(SqlState.INVALID_PARAMETER_VALUE, e.getMessage(), e));
    } catch (ShaleException e) {
      if (e.sqlState() == SqlState.INTERNAL_ERROR) {
        throw e; // the storage failed: its state is no longer the log's
      }
      reply = ReplicaReply.error(e);
    }
    recordApplied(term, index);
    return reply;
  }

  /** Records an entry that carries no command (a configuration change, a leader's first entry). */
  void recordApplied(long term, long index) {
    if (index <= applied.index()) {
      return;
    }
    storage.putMeta(PersistedNames.REPLICA_APPLIED_META, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
    applied = new AppliedIndex(term, index);
  }

  private byte[] execute(ReplicaCommand command) {
    if (command instanceof ReplicaCommand.OnePhaseAt onePhase) {
      return ReplicaReply.result(onePhase.commit(), commitOnePhase(onePhase));
    }
    if (command instanceof ReplicaCommand.CollectGarbage gc) {
      GcResult total = GcResult.NONE;
      for (int shardId : new TreeSet<>(shardIds)) {
        total = total.plus(storage.shard(shardId).collectGarbage(gc.safeTs()));
      }
      return ReplicaReply.gcResult(total);
    }
    ShardRequest<?> request = ((ReplicaCommand.Shard) command).request();
    if (!request.changesState() || request instanceof ShardRequest.CommitOnePhase) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION, request.getClass().getSimpleName()
          + " is not a log command (reads are queries; a one-phase commit enters the log with its commit timestamp)");
    }
    return ReplicaReply.result(request, request.applyTo(shard(request.shardId()), NO_TIMESTAMPS));
  }

  /**
   * A conflict with a version at exactly the entry's commit timestamp is the entry itself, applied
   * before a crash that lost its applied index: commit timestamps are unique to a transaction.
   */
  private OnePhaseResult commitOnePhase(ReplicaCommand.OnePhaseAt command) {
    ShardRequest.CommitOnePhase commit = command.commit();
    OnePhaseResult result = shard(commit.shardId()).commitOnePhase(commit.startTs(), commit.mutations(), command::commitTs);
    if (result instanceof OnePhaseResult.WriteConflict conflict && conflict.commitTs() == command.commitTs()) {
      return new OnePhaseResult.Committed(command.commitTs());
    }
    return result;
  }

  /** Serves a read-only request; the caller has made sure the store is as fresh as the read needs. */
  byte[] read(ShardRequest<?> request) {
    if (request.changesState()) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION, request.getClass().getSimpleName() + " changes state: not a query");
    }
    try {
      awaitPendingCommits(request);
      return ReplicaReply.result(request, request.applyTo(shard(request.shardId()), NO_TIMESTAMPS));
    } catch (IllegalArgumentException e) {
      return ReplicaReply.error(new ShaleException(SqlState.INVALID_PARAMETER_VALUE, e.getMessage(), e));
    } catch (PendingOnePhases.LeadershipLostException e) {
      throw e;
    } catch (ShaleException e) {
      return ReplicaReply.error(e);
    }
  }

  private void awaitPendingCommits(ShardRequest<?> request) {
    if (request instanceof ShardRequest.Read read) {
      pending.awaitVisible(read.key(), read.readTs());
    } else if (request instanceof ShardRequest.ReadAll readAll) {
      for (byte[] key : readAll.keys()) {
        pending.awaitVisible(key, readAll.readTs());
      }
    } else if (request instanceof ShardRequest.ScanPage page) {
      pending.awaitVisible(page.startInclusive(), page.endExclusive(), page.readTs());
    }
  }

  private ShardStore shard(int shardId) {
    if (!shardIds.contains(shardId)) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "shard " + shardId + " is not in this replica group " + shardIds);
    }
    return storage.shard(shardId);
  }

  /** Local to this replica: compaction changes no row, so it is no log entry. */
  CompactionResult compactIfWasteful() {
    return storage.compactIfWasteful();
  }

  /**
   * Writes a consistent copy of the store to {@code out}: makes every applied entry durable, then
   * copies the store's files. The caller guarantees that nothing writes meanwhile (no entry is
   * applied, no compaction runs); reads may go on, they write nothing.
   */
  void writeCheckpoint(OutputStream out) throws IOException {
    storage.sync();
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(CHECKPOINT_MAGIC);
    data.writeInt(STORE_FILES.size());
    for (String name : STORE_FILES) {
      Path file = directory.resolve(name);
      data.writeUTF(name);
      data.writeLong(Files.size(file));
      Files.copy(file, data);
    }
    data.flush();
  }

  /** Replaces the store files in {@code directory} (closed) by those of a checkpoint. */
  static void restoreCheckpoint(InputStream in, Path directory) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != CHECKPOINT_MAGIC) {
      throw new IOException("not a replica store checkpoint");
    }
    Files.createDirectories(directory);
    for (String name : List.of(PersistedNames.DATA_FILE, PersistedNames.LOG_FILE,
        PersistedNames.COMPACTING_DATA_FILE, PersistedNames.COMPACTING_LOG_FILE)) {
      Files.deleteIfExists(directory.resolve(name));
    }
    int files = data.readInt();
    for (int i = 0; i < files; i++) {
      String name = data.readUTF();
      if (!STORE_FILES.contains(name)) {
        throw new IOException("unexpected file in a checkpoint: " + name);
      }
      long length = data.readLong();
      try (OutputStream file = Files.newOutputStream(directory.resolve(name))) {
        long left = length;
        byte[] buffer = new byte[1 << 16];
        while (left > 0) {
          int n = data.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new IOException("checkpoint ends inside " + name);
          }
          file.write(buffer, 0, n);
          left -= n;
        }
      }
    }
  }

  /** Makes everything applied durable (a restart then replays less of the log). */
  void sync() {
    storage.sync();
  }

  @Override
  public void close() {
    pending.abandonAll();
    storage.close();
  }
}
