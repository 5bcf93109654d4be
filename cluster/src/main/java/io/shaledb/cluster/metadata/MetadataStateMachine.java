package io.shaledb.cluster.metadata;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The metadata group's state machine: applies {@link MetadataCommand}s to a {@link MetadataState}
 * in log order, answers reads with the whole state, and snapshots it to one file (with its MD5)
 * named by the term and index it covers, after which Ratis purges the log before it.
 *
 * <p>A command that cannot be decoded or applied stops this replica (the apply fails and Ratis
 * shuts the division down): every replica applies the same log, so a replica that skipped an entry
 * would diverge silently.
 */
public final class MetadataStateMachine extends BaseStateMachine {
  private static final System.Logger LOG = System.getLogger(MetadataStateMachine.class.getName());
  /** The only query: the whole state. */
  static final Message READ_STATE = Message.valueOf(ByteString.copyFrom(new byte[] {1}));

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final MetadataEvents events;
  private volatile MetadataState state = MetadataState.EMPTY;

  public MetadataStateMachine(MetadataEvents events) {
    this.events = events;
  }

  /** The state as of the last entry this replica applied. */
  public MetadataState state() {
    return state;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    loadLatestSnapshot();
  }

  @Override
  public void reinitialize() throws IOException {
    loadLatestSnapshot();
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto entry = transaction.getLogEntry();
    MetadataCommand command = MetadataCommand.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    MetadataState.Applied applied;
    synchronized (this) {
      applied = state.apply(command);
      state = applied.state();
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    events.applied(command, applied.state());
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(applied.result())));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(state.encode())));
  }

  @Override
  public long takeSnapshot() throws IOException {
    MetadataState snapshotState;
    TermIndex last;
    synchronized (this) {
      snapshotState = state;
      last = getLastAppliedTermIndex();
    }
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    File temporary = new File(file.getParentFile(), file.getName() + ".tmp");
    Files.write(temporary.toPath(), snapshotState.encode());
    Files.move(temporary.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash digest = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(
        new org.apache.ratis.server.storage.FileInfo(file.toPath(), digest), last));
    return last.getIndex();
  }

  @Override
  public void notifyLeaderReady() {
    events.leaderReady();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    events.leaderChanged(newLeaderId);
  }

  @Override
  public void notifyConfigurationChanged(long term, long index,
      org.apache.ratis.proto.RaftProtos.RaftConfigurationProto configuration) {
    events.configurationChanged();
  }

  private void loadLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash stored = MD5FileUtil.readStoredMd5ForFile(file);
    MD5Hash computed = MD5FileUtil.computeMd5ForFile(file);
    if (stored != null && !stored.equals(computed)) {
      throw new IOException("metadata snapshot " + file + " is corrupt: MD5 " + computed + " instead of " + stored);
    }
    synchronized (this) {
      state = MetadataState.decode(Files.readAllBytes(file.toPath()));
      setLastAppliedTermIndex(snapshot.getTermIndex());
    }
    LOG.log(System.Logger.Level.INFO, "metadata state loaded from snapshot " + snapshot.getTermIndex());
    events.applied(null, state);
  }
}
