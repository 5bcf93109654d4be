package io.shaledb.cluster.replication;

import io.shaledb.cluster.protocol.ShardCall;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.cluster.protocol.WireOutput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.storage.GcResult;
import io.shaledb.txn.ShardRequest;

/**
 * A replica's answer to a command, as the Raft reply carries it: a status byte (stable), then the
 * request's result in the node protocol's encoding, or the error a replica applying the command
 * deterministically met (the same on every replica), or nothing for an entry that was applied
 * before a restart (its result went to whoever waited then; a late retry of it learns only that).
 */
final class ReplicaReply {
  static final byte RESULT = 0;
  static final byte ERROR = 1;
  static final byte APPLIED_BEFORE = 2;
  static final byte NOT_LEADER = 3;

  private ReplicaReply() {}

  @SuppressWarnings("unchecked")
  static <R> byte[] result(ShardRequest<R> request, Object result) {
    WireOutput out = new WireOutput().writeByte(RESULT);
    new ShardCall<>(request).writeResult((R) result, out);
    return out.toByteArray();
  }

  static byte[] gcResult(GcResult result) {
    return new WireOutput().writeByte(RESULT).writeLong(result.versionsKept()).writeLong(result.versionsRemoved())
        .writeLong(result.tombstonesRemoved()).writeLong(result.txnRecordsKept()).writeLong(result.txnRecordsRemoved())
        .toByteArray();
  }

  static byte[] error(ShaleException e) {
    return new WireOutput().writeByte(ERROR).writeString(e.sqlState().code()).writeString(String.valueOf(e.getMessage()))
        .toByteArray();
  }

  /** A read sent to a replica that does not lead; {@code leaderId} is the leader it knows, or empty. */
  static byte[] notLeader(String leaderId) {
    return new WireOutput().writeByte(NOT_LEADER).writeString(leaderId).toByteArray();
  }

  static byte[] appliedBefore() {
    return new byte[] {APPLIED_BEFORE};
  }

  /**
   * The result of {@code request} in {@code reply}.
   *
   * @throws ShaleException the replica's error, or {@link AppliedBeforeException} for a replayed entry
   */
  static <R> R readResult(ShardRequest<R> request, byte[] reply) {
    WireInput in = open(reply);
    R result = new ShardCall<>(request).readResult(in);
    in.expectEnd();
    return result;
  }

  static GcResult readGcResult(byte[] reply) {
    WireInput in = open(reply);
    GcResult result = new GcResult(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    in.expectEnd();
    return result;
  }

  private static WireInput open(byte[] reply) {
    WireInput in = new WireInput(reply);
    int status = in.readByte();
    switch (status) {
      case RESULT:
        return in;
      case ERROR:
        throw new ShaleException(sqlState(in.readString()), in.readString());
      case APPLIED_BEFORE:
        throw new AppliedBeforeException();
      case NOT_LEADER:
        throw new NotLeaderException(in.readString());
      default:
        throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "unknown replica reply status " + status);
    }
  }

  private static SqlState sqlState(String code) {
    for (SqlState state : SqlState.values()) {
      if (state.code().equals(code)) {
        return state;
      }
    }
    return SqlState.INTERNAL_ERROR;
  }

  /**
   * Only the leader serves reads: Raft's read index would let a follower answer, but only the leader
   * knows the one-phase commits whose timestamps it handed out and whose entries are not applied yet.
   */
  static final class NotLeaderException extends ShaleException {
    private static final long serialVersionUID = 1L;
    private final String leaderHint;

    NotLeaderException(String leaderHint) {
      super(SqlState.CONNECTION_FAILURE, "the replica does not lead its group" + (leaderHint.isEmpty() ? "" : "; " + leaderHint + " does"));
      this.leaderHint = leaderHint;
    }

    String leaderHint() {
      return leaderHint;
    }
  }

  /** The command's log entry was applied before the replica restarted: its result is gone. */
  static final class AppliedBeforeException extends ShaleException {
    private static final long serialVersionUID = 1L;

    AppliedBeforeException() {
      super(SqlState.CONNECTION_FAILURE, "the command was applied before the replica restarted; its result is not known");
    }
  }
}
