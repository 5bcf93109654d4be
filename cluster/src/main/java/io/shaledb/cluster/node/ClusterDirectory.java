package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.membership.ShardPlacement;
import io.shaledb.txn.LocalLog;
import io.shaledb.txn.ParticipantDirectory;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.NodeStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Routes keys to shards by the cluster's shard map: shards of this node are called directly
 * (made durable through this node's log), others through {@link RemoteShardParticipant}. The map is cached and fetched again from the
 * metadata node when a keyspace is not in it (created on another node since). Thread-safe.
 */
final class ClusterDirectory implements ParticipantDirectory {
  private final int selfNodeId;
  private final LongSupplier timestamps;
  private final NodeStorage storage;
  private final ClusterClient client;
  private final Supplier<ShardMap> latestMap;
  private final int scanPageItems;
  /** This node's log; a prepare shares it with its primary when the primary's shard is stored here. */
  private final LocalLog log;
  private final Map<Integer, ShardParticipant> participantsByShard = new ConcurrentHashMap<>();
  private volatile ShardMap map = ShardMap.EMPTY;

  /** @param latestMap fetches the current map from the metadata node */
  /** @param timestamps the oracle that one-phase commits on this node's shards take their commit timestamp from */
  ClusterDirectory(int selfNodeId, NodeStorage storage, ClusterClient client, Supplier<ShardMap> latestMap, int scanPageItems,
      LongSupplier timestamps) {
    this.timestamps = timestamps;
    this.selfNodeId = selfNodeId;
    this.storage = storage;
    this.client = client;
    this.latestMap = latestMap;
    this.scanPageItems = scanPageItems;
    this.log = new LocalLog(storage, this::storedHere);
  }

  @Override
  public Optional<ShardParticipant> find(byte[] key) {
    return placement(Keyspaces.keyspaceOf(key)).map(placement -> participant(placement.shardFor(key)));
  }

  @Override
  public List<ShardParticipant> participantsOf(int keyspaceId) {
    Optional<KeyspacePlacement> placement = placement(keyspaceId);
    if (placement.isEmpty()) {
      return List.of();
    }
    List<ShardParticipant> participants = new ArrayList<>(placement.get().shards().size());
    for (ShardPlacement shard : placement.get().shards()) {
      participants.add(participant(shard));
    }
    return participants;
  }

  /** The shards of every keyspace that live on this node. */
  List<ShardParticipant> localParticipants() {
    List<ShardParticipant> participants = new ArrayList<>();
    for (KeyspacePlacement placement : map.keyspaces().values()) {
      for (ShardPlacement shard : placement.shards()) {
        if (shard.nodeId() == selfNodeId && storage.shardIds().contains(shard.shardId())) {
          participants.add(participant(shard));
        }
      }
    }
    return participants;
  }

  /** Whether the shard that owns {@code key} is stored on this node (false if its keyspace is unknown). */
  private boolean storedHere(byte[] key) {
    return placement(Keyspaces.keyspaceOf(key)).map(placement -> placement.shardFor(key).nodeId() == selfNodeId).orElse(false);
  }

  Optional<KeyspacePlacement> placement(int keyspaceId) {
    Optional<KeyspacePlacement> placement = map.find(keyspaceId);
    if (placement.isPresent()) {
      return placement;
    }
    refresh();
    return map.find(keyspaceId);
  }

  /** Fetches the map from the metadata node. */
  void refresh() {
    update(latestMap.get());
  }

  /** Adopts {@code newer} unless the cached map is as new; forgets participants of dropped shards. */
  synchronized void update(ShardMap newer) {
    if (newer.version() <= map.version()) {
      return;
    }
    map = newer;
    participantsByShard.keySet().removeIf(shardId -> !listed(newer, shardId));
  }

  ShardMap map() {
    return map;
  }

  private static boolean listed(ShardMap map, int shardId) {
    for (KeyspacePlacement placement : map.keyspaces().values()) {
      for (ShardPlacement shard : placement.shards()) {
        if (shard.shardId() == shardId) {
          return true;
        }
      }
    }
    return false;
  }

  private ShardParticipant participant(ShardPlacement shard) {
    return participantsByShard.computeIfAbsent(shard.shardId(), id -> {
      if (shard.nodeId() != selfNodeId) {
        return new RemoteShardParticipant(shard.nodeId(), id, client, scanPageItems);
      }
      try {
        return ShardParticipant.local(storage.shard(id), timestamps, log);
      } catch (IllegalStateException e) {
        throw new ShaleException(SqlState.UNDEFINED_TABLE, "shard " + id + " is not stored on node " + selfNodeId + " (dropped?)", e);
      }
    });
  }
}
