package io.shaledb.txn;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import java.util.List;
import java.util.Optional;

/**
 * Where keys live: the shard routing the coordinator uses. Implementations are thread-safe and
 * reflect keyspace creation and removal immediately. Durability is not the directory's business:
 * each participant's transport makes a request durable before its reply when the request says so.
 */
public interface ParticipantDirectory {

  /**
   * The participant of the shard that owns {@code key}, or empty if the key's keyspace does not
   * exist.
   *
   * @throws IllegalArgumentException if the key is shorter than a keyspace prefix
   */
  Optional<ShardParticipant> find(byte[] key);

  /** The participants of every shard of a keyspace, in shard order; empty if it does not exist. */
  List<ShardParticipant> participantsOf(int keyspaceId);

  /**
   * The participant that owns {@code key}.
   *
   * @throws ShaleException {@link SqlState#UNDEFINED_TABLE} if the key's keyspace does not exist
   */
  default ShardParticipant participantFor(byte[] key) {
    return find(key)
        .orElseThrow(
            () ->
                new ShaleException(
                    SqlState.UNDEFINED_TABLE,
                    "keyspace " + Keyspaces.keyspaceOf(key) + " does not exist (dropped concurrently?)"));
  }
}
