package io.shaledb.txn.local;

import io.shaledb.txn.LocalLog;
import io.shaledb.txn.ParticipantDirectory;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.NodeStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Routes keys to the shards of one node's storage, as the {@link KeyspaceRegistry} lays them out. Thread-safe. */
final class LocalParticipantDirectory implements ParticipantDirectory {
  private final NodeStorage storage;
  private final KeyspaceRegistry registry;
  private final LongSupplier timestamps;
  /** Every shard is in this node's storage: every prepare shares its primary's log. */
  private final LocalLog log;
  private final Map<Integer, ShardParticipant> participantsByShard = new ConcurrentHashMap<>();

  /** @param timestamps the oracle one-phase commits take their commit timestamp from */
  LocalParticipantDirectory(NodeStorage storage, KeyspaceRegistry registry, LongSupplier timestamps) {
    this.storage = storage;
    this.registry = registry;
    this.timestamps = timestamps;
    this.log = LocalLog.holdingEveryKey(storage);
  }

  @Override
  public Optional<ShardParticipant> find(byte[] key) {
    int keyspaceId = Keyspaces.keyspaceOf(key);
    return registry.find(keyspaceId).map(layout -> participant(layout.shardIdFor(key)));
  }

  @Override
  public List<ShardParticipant> participantsOf(int keyspaceId) {
    Optional<KeyspaceLayout> layout = registry.find(keyspaceId);
    if (layout.isEmpty()) {
      return List.of();
    }
    List<ShardParticipant> participants = new ArrayList<>(layout.get().shardCount());
    for (int shardId : layout.get().shardIds()) {
      participants.add(participant(shardId));
    }
    return participants;
  }

  /** Every shard of every keyspace. */
  List<ShardParticipant> allParticipants() {
    List<ShardParticipant> participants = new ArrayList<>();
    for (KeyspaceLayout layout : registry.all()) {
      participants.addAll(participantsOf(layout.keyspaceId()));
    }
    return participants;
  }

  /** Forgets the participants of dropped shards. */
  void forget(List<Integer> shardIds) {
    shardIds.forEach(participantsByShard::remove);
  }

  private ShardParticipant participant(int shardId) {
    return participantsByShard.computeIfAbsent(shardId, id -> ShardParticipant.local(storage.shard(id), timestamps, log));
  }
}
