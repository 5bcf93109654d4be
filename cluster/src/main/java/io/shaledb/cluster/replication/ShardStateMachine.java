package io.shaledb.cluster.replication;

import io.shaledb.storage.CompactionResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Raft state machine of a replica group: one or more shards in a MapDB store of their own
 * ({@link ReplicaStore}), changed only by log entries, read only on the leader after Raft's read
 * index (the server must run with {@code raft.server.read.option=LINEARIZABLE}, as {@link
 * ReplicationConfig#serverProperties} sets).
 *
 * <p>The leader decides what depends on time before it proposes: {@link #startTransaction} turns a
 * one-phase commit into a {@link ReplicaCommand.OnePhaseAt} with a commit timestamp from {@code
 * timestamps} (the cluster's oracle), after marking its keys pending so that a read at or above that
 * timestamp waits for the entry instead of missing it. Lock expiry times and the resolver's "now"
 * already travel in the requests, set by the coordinator.
 *
 * <p>Snapshots: the store is the state; a snapshot ({@link #takeSnapshot}) makes it durable and
 * copies its files into one snapshot file in Ratis's state machine directory, which the leader
 * sends to a replica that is new, wiped or behind its purged log. The copy is taken between two
 * applies (Raft takes snapshots on the apply thread), so it is consistent; applies wait for it.
 * A replica restarted with a store behind its newest snapshot (an install that crashed halfway)
 * restores the snapshot first.
 *
 * <p>Hosting (one {@code RaftServer} per node, one division per group the node replicates):
 * <pre>{@code
 * RaftServer server = RaftServer.newBuilder()
 *     .setServerId(RaftPeerId.valueOf("node" + nodeId))               // a new id after a wiped data directory
 *     .setProperties(config.serverProperties(data.resolve("raft"), raftPort))
 *     .setStateMachineRegistry(groupId -> new ShardStateMachine(
 *         data.resolve("replicas").resolve(groupId.getUuid().toString()), shardsOf(groupId), oracle::next, clock))
 *     .setOption(RaftStorage.StartupOption.RECOVER)
 *     .build();
 * server.start();
 * // creating a group: on each member, RaftClient...getGroupManagementApi(peerId).add(group);
 * // a node's shards: ReplicaGroupClient.open(group, config).participant(shardId)
 * }</pre>
 * {@code timestamps} is called on the leader inside {@link #startTransaction}, on Ratis's request
 * thread: it must not wait for this same group (an oracle whose high-water mark is an entry of
 * another group is fine).
 */
public final class ShardStateMachine extends BaseStateMachine {
  private static final System.Logger LOG = System.getLogger(ShardStateMachine.class.getName());

  private final Path storeDirectory;
  private final Set<Integer> shardIds;
  private final LongSupplier timestamps;
  private final Clock clock;
  private final long readWaitLimitMs;
  private final SimpleStateMachineStorage snapshots = new SimpleStateMachineStorage();
  /** Serves queries off Ratis's threads: a read may wait for a pending one-phase commit's entry. */
  private final ExecutorService reads;
  /** Snapshots and compaction both rewrite or copy the store files: one at a time. */
  private final Object storeFiles = new Object();
  private volatile ReplicaStore store;

  /**
   * @param storeDirectory where this replica's MapDB store lives: outside Ratis's storage directory,
   *     whose state machine directory a snapshot installation replaces
   * @param shardIds the group's shards; the same on every replica
   * @param timestamps the cluster's timestamp oracle, used by the leader for one-phase commits
   * @param clock the storage's clock (lock expiry is decided by the requests, not by it)
   */
  public ShardStateMachine(Path storeDirectory, Set<Integer> shardIds, LongSupplier timestamps, Clock clock) {
    this.storeDirectory = Objects.requireNonNull(storeDirectory, "storeDirectory");
    this.shardIds = Set.copyOf(shardIds);
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readWaitLimitMs = 30_000;
    this.reads = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "shaledb-replica-reads");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    snapshots.init(raftStorage);
    getLifeCycle().startAndTransition(() -> openStore());
  }

  /** Opens the store, first restoring the newest snapshot if the store is behind it (or absent). */
  private void openStore() throws IOException {
    SingleFileSnapshotInfo snapshot = snapshots.loadLatestSnapshot();
    ReplicaStore opened = ReplicaStore.open(storeDirectory, shardIds, clock, readWaitLimitMs);
    if (snapshot != null && opened.applied().index() < snapshot.getIndex()) {
      LOG.log(System.Logger.Level.INFO, "replica store at {0} is behind snapshot {1}: restoring it",
          opened.applied(), snapshot.getTermIndex());
      opened.close();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(snapshot.getFile().getPath()))) {
        ReplicaStore.restoreCheckpoint(in, storeDirectory);
      }
      opened = ReplicaStore.open(storeDirectory, shardIds, clock, readWaitLimitMs);
      if (opened.applied().index() != snapshot.getIndex()) {
        opened.close();
        throw new IOException("snapshot " + snapshot.getTermIndex() + " restored a store at " + opened.applied());
      }
    }
    store = opened;
    ReplicaStore.AppliedIndex applied = opened.applied();
    if (applied.index() >= 0) {
      setLastAppliedTermIndex(TermIndex.valueOf(applied.term(), applied.index()));
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  /** Leader side, before the entry is in the log: decide what the replicas must not decide themselves. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ReplicaCommand command = ReplicaCommand.decode(request.getMessage().getContent().toByteArray());
    PendingOnePhases.Pending pending = null;
    if (command instanceof ReplicaCommand.Shard shard
        && shard.request() instanceof io.shaledb.txn.ShardRequest.CommitOnePhase commit) {
      pending = store.pending().register(commit.startTs(), commit.mutations());
      try {
        long commitTs = timestamps.getAsLong();
        pending.commitTimestampTaken(commitTs);
        command = new ReplicaCommand.OnePhaseAt(commit, commitTs);
      } catch (RuntimeException e) {
        pending.finish();
        throw e;
      }
    }
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(ByteString.copyFrom(command.encode()))
        .setStateMachineContext(pending)
        .build();
  }

  /** Serially, just before the entry gets its index: a one-phase commit whose marker expired meanwhile is refused. */
  @Override
  public TransactionContext preAppendTransaction(TransactionContext trx) throws IOException {
    if (trx.getStateMachineContext() instanceof PendingOnePhases.Pending pending && !pending.enterLog()) {
      throw new org.apache.ratis.protocol.exceptions.StateMachineException(
          "the one-phase commit took over " + PendingOnePhases.ENTER_LOG_LIMIT_MS + " ms to reach the log and was dropped", false);
    }
    return trx;
  }

  @Override
  public TransactionContext cancelTransaction(TransactionContext trx) throws IOException {
    finishPending(trx);
    return trx;
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    pendingEntries.forEach(ShardStateMachine::finishPending);
    ReplicaStore current = store;
    if (current != null) {
      current.pending().abandonAll(); // reads no longer come here
    }
  }

  private static void finishPending(TransactionContext trx) {
    if (trx.getStateMachineContext() instanceof PendingOnePhases.Pending pending) {
      pending.finish();
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    try {
      ReplicaCommand command = ReplicaCommand.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
      byte[] reply = store.apply(entry.getTerm(), entry.getIndex(), command);
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
    } finally {
      finishPending(trx);
    }
  }

  /** Entries without a command (configuration, a new leader's first entry) advance the store's applied index too. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    ReplicaStore current = store;
    if (current != null) {
      current.recordApplied(term, index);
    }
    super.notifyTermIndexUpdated(term, index);
  }

  /**
   * Served only by the leader, after Raft's read index (a majority confirmed its leadership and it
   * applied everything committed before the read arrived). A follower refuses with the leader it
   * knows: it cannot see the one-phase commits the leader timed but has not applied yet.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ReplicaStore current = store;
    return CompletableFuture.supplyAsync(() -> {
      ReplicaCommand command = ReplicaCommand.decode(request.getContent().toByteArray());
      if (!(command instanceof ReplicaCommand.Shard shard)) {
        throw new IllegalArgumentException("not a query: " + command.getClass().getSimpleName());
      }
      byte[] reply;
      if (!leads()) {
        reply = ReplicaReply.notLeader(leaderId());
      } else {
        try {
          reply = current.read(shard.request());
        } catch (PendingOnePhases.LeadershipLostException e) {
          reply = ReplicaReply.notLeader(leaderId());
        }
      }
      return Message.valueOf(ByteString.copyFrom(reply));
    }, reads);
  }

  private boolean leads() {
    try {
      return getServer().get().getDivision(getGroupId()).getInfo().isLeader();
    } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }

  private String leaderId() {
    try {
      org.apache.ratis.protocol.RaftPeerId leader = getServer().get().getDivision(getGroupId()).getInfo().getLeaderId();
      return leader == null ? "" : leader.toString();
    } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return "";
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    synchronized (storeFiles) {
      ReplicaStore current = store;
      current.recordApplied(last.getTerm(), last.getIndex());
      File file = snapshots.getSnapshotFile(last.getTerm(), last.getIndex());
      Path partial = file.toPath().resolveSibling(file.getName() + ".partial");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
        current.writeCheckpoint(out);
      }
      try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
      var digest = MD5FileUtil.computeAndSaveMd5ForFile(file);
      snapshots.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), digest), last));
    }
    return last.getIndex();
  }

  /** Snapshot installation calls it before every chunk: the store is outside the replaced directory and stays open. */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** After a snapshot was installed: the store becomes the snapshot's. */
  @Override
  public void reinitialize() throws IOException {
    synchronized (storeFiles) {
      store.close();
      getLifeCycle().transition(LifeCycle.State.STARTING);
      openStore();
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  /** Gives back the space of collected versions on this replica (see {@code NodeStorage.compactIfWasteful}). */
  public CompactionResult compactIfWasteful() {
    synchronized (storeFiles) {
      return store.compactIfWasteful();
    }
  }

  @Override
  public void close() throws IOException {
    reads.shutdownNow();
    ReplicaStore current = store;
    if (current != null) {
      current.close();
    }
    super.close();
  }
}
