package io.shaledb.cluster.replication;

import io.shaledb.cluster.protocol.Request;
import io.shaledb.cluster.protocol.Requests;
import io.shaledb.cluster.protocol.ShardCall;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.cluster.protocol.WireOutput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.txn.ShardRequest;
import java.util.Objects;

/**
 * What a replica group's Raft log and read path carry: the shard's own {@link ShardRequest}s, in
 * the encoding of the node protocol ({@code ShardWire}), plus the two commands that exist only
 * here. Every command in the log is applied by every replica to the same result, so nothing in it
 * may depend on the applying replica's clock or state: the leader turns a {@link
 * ShardRequest.CommitOnePhase} (whose commit timestamp the shard's side takes) into a {@link
 * OnePhaseAt} with the timestamp decided before it proposes.
 *
 * <p>Encoding: a kind byte ({@link #kind()}, stable: it is in every log), then the kind's fields.
 */
public sealed interface ReplicaCommand {
  byte KIND_SHARD_REQUEST = 1;
  byte KIND_ONE_PHASE_AT = 2;
  byte KIND_COLLECT_GARBAGE = 3;

  byte kind();

  /** A shard request as the coordinator sent it; a one-phase commit only on its way to the leader. */
  record Shard(ShardRequest<?> request) implements ReplicaCommand {
    public Shard {
      Objects.requireNonNull(request, "request");
    }

    @Override
    public byte kind() {
      return KIND_SHARD_REQUEST;
    }
  }

  /** A one-phase commit with the commit timestamp the leader took before proposing it. */
  record OnePhaseAt(ShardRequest.CommitOnePhase commit, long commitTs) implements ReplicaCommand {
    public OnePhaseAt {
      Objects.requireNonNull(commit, "commit");
      if (commitTs <= commit.startTs()) {
        throw new IllegalArgumentException("commit timestamp " + commitTs + " not after start " + commit.startTs());
      }
    }

    @Override
    public byte kind() {
      return KIND_ONE_PHASE_AT;
    }
  }

  /** Version garbage collection of every shard of the group at {@code safeTs} (see {@code ShardStore.collectGarbage}). */
  record CollectGarbage(long safeTs) implements ReplicaCommand {
    public CollectGarbage {
      if (safeTs < 0) {
        throw new IllegalArgumentException("negative safe timestamp " + safeTs);
      }
    }

    @Override
    public byte kind() {
      return KIND_COLLECT_GARBAGE;
    }
  }

  default byte[] encode() {
    WireOutput out = new WireOutput();
    out.writeByte(kind());
    if (this instanceof Shard shard) {
      writeRequest(out, shard.request());
    } else if (this instanceof OnePhaseAt onePhase) {
      out.writeLong(onePhase.commitTs());
      writeRequest(out, onePhase.commit());
    } else if (this instanceof CollectGarbage gc) {
      out.writeLong(gc.safeTs());
    }
    return out.toByteArray();
  }

  /** @throws ShaleException {@link SqlState#PROTOCOL_VIOLATION} if {@code bytes} is no command */
  static ReplicaCommand decode(byte[] bytes) {
    WireInput in = new WireInput(bytes);
    int kind = in.readByte();
    ReplicaCommand command = switch (kind) {
      case KIND_SHARD_REQUEST -> new Shard(readRequest(in));
      case KIND_ONE_PHASE_AT -> {
        long commitTs = in.readLong();
        if (!(readRequest(in) instanceof ShardRequest.CommitOnePhase commit)) {
          throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "a timed one-phase commit carries another request");
        }
        yield new OnePhaseAt(commit, commitTs);
      }
      case KIND_COLLECT_GARBAGE -> new CollectGarbage(in.readLong());
      default -> throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "unknown replica command kind " + kind);
    };
    in.expectEnd();
    return command;
  }

  private static void writeRequest(WireOutput out, ShardRequest<?> request) {
    ShardCall<?> call = new ShardCall<>(request);
    WireOutput payload = new WireOutput();
    call.writeTo(payload);
    out.writeInt(call.type()).writeBytes(payload.toByteArray());
  }

  private static ShardRequest<?> readRequest(WireInput in) {
    int type = in.readInt();
    Request<?> request = Requests.decode(type, in.readBytes());
    if (!(request instanceof ShardCall<?> call)) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "message type " + type + " is not a shard request");
    }
    return call.request();
  }
}
