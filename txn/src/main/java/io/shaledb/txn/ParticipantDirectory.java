package io.shaledb.txn;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where keys live: the shard routing the coordinator uses. Implementations are thread-safe and
 * reflect keyspace creation and removal immediately.
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
   * Durability barrier: returns once every effect of every call made to {@code participants}
   * before this call is durable.
   */
  void makeDurable(Collection<ShardParticipant> participants);

  /**
   * The barrier of two-phase commit between prepare and commit point: returns once the locks
   * prepared in {@code prepared} survive a crash whenever {@code primary}'s commit record, made
   * durable later, does. By default a full {@link #makeDurable}; a directory whose participants
   * share the primary's log may skip it, since the sync that covers the commit record covers every
   * write before it.
   */
  default void makePreparedDurable(Collection<ShardParticipant> prepared, ShardParticipant primary) {
    makeDurable(prepared);
  }

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
