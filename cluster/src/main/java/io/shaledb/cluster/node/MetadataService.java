package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.membership.ShardPlacement;
import io.shaledb.cluster.metadata.MetadataCommand;
import io.shaledb.cluster.metadata.MetadataGroup;
import io.shaledb.cluster.protocol.MetadataWire;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cluster's metadata as every node uses it: read from this node's replica of the metadata
 * Raft group, changed through its leader. Keyspaces are created here, on whichever node runs the
 * DDL: shard ids are reserved in the group (never reused, even if this attempt fails half-way),
 * the shards are created on their nodes (spread evenly over the members; system keyspaces on node
 * {@value ClusterClient#METADATA_NODE_ID}), and only then published in the map, so a published
 * shard always exists. Thread-safe.
 */
final class MetadataService implements MetadataAccess {
  static final int SHARD_COUNT_MAX = 1024;
  private static final System.Logger LOG = System.getLogger(MetadataService.class.getName());

  private final MetadataGroup group;
  private final ShardHosts hosts;

  MetadataService(MetadataGroup group, ShardHosts hosts) {
    this.group = group;
    this.hosts = hosts;
  }

  @Override
  public Membership membership() {
    return group.state().membership();
  }

  @Override
  public ShardMap shardMap() {
    return group.state().shardMap();
  }

  @Override
  public ShardMap latestShardMap() {
    return group.readLatest().shardMap();
  }

  @Override
  public Membership join(Member member) {
    Optional<Member> known = membership().find(member.nodeId());
    if (known.isPresent() && known.get().equals(member)) {
      return membership();
    }
    Membership updated = group.join(member);
    LOG.log(System.Logger.Level.INFO, "node " + member.nodeId() + " joined at " + member.rpcAddress()
        + " (Raft " + member.raftPeerId() + " at " + member.raftAddress() + ")");
    return updated;
  }

  /**
   * Creates a keyspace of {@code shardCount} shards spread over the members; returns the map as it
   * is now. Idempotent for the same shard count.
   *
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if a node that is to hold a shard cannot be reached
   */
  @Override
  public synchronized ShardMap createKeyspace(int keyspaceId, int shardCount) {
    Keyspaces.prefix(keyspaceId); // validates the id
    if (shardCount < 1 || shardCount > SHARD_COUNT_MAX) {
      throw new IllegalArgumentException("shard count must be in [1, " + SHARD_COUNT_MAX + "]: " + shardCount);
    }
    Optional<KeyspacePlacement> existing = latestShardMap().find(keyspaceId);
    if (existing.isPresent()) {
      if (existing.get().shards().size() != shardCount) {
        throw new IllegalStateException("keyspace " + keyspaceId + " already exists with "
            + existing.get().shards().size() + " shards, not " + shardCount);
      }
      return shardMap();
    }
    List<Member> members = membership().members();
    int firstShardId = reserveShardIds(shardCount);
    List<ShardPlacement> shards = new ArrayList<>(shardCount);
    for (int i = 0; i < shardCount; i++) {
      int nodeId = keyspaceId < Keyspaces.FIRST_USER_KEYSPACE
          ? ClusterClient.METADATA_NODE_ID
          : members.get(Math.floorMod(keyspaceId + i, members.size())).nodeId();
      shards.add(new ShardPlacement(firstShardId + i, nodeId));
    }
    awaitAll(byNode(shards), hosts::createShards, "create the shards of keyspace " + keyspaceId);
    KeyspacePlacement ours = new KeyspacePlacement(keyspaceId, shards);
    ShardMap published = decodeMap(group.submit(new MetadataCommand.PublishKeyspace(ours)));
    if (!published.find(keyspaceId).orElseThrow().equals(ours)) {
      // Another node created it first; ours are empty orphans.
      dropQuietly(shards, keyspaceId);
      KeyspacePlacement theirs = published.find(keyspaceId).orElseThrow();
      if (theirs.shards().size() != shardCount) {
        throw new IllegalStateException("keyspace " + keyspaceId + " already exists with "
            + theirs.shards().size() + " shards, not " + shardCount);
      }
    }
    return published;
  }

  /** Reserved in the group before the shards exist anywhere, so an id is never handed out twice. */
  private int reserveShardIds(int count) {
    WireInput in = new WireInput(group.submit(new MetadataCommand.ReserveShardIds(count)));
    int first = in.readInt();
    in.expectEnd();
    return first;
  }

  private static ShardMap decodeMap(byte[] result) {
    WireInput in = new WireInput(result);
    ShardMap map = MetadataWire.readShardMap(in);
    in.expectEnd();
    return map;
  }

  private void dropQuietly(List<ShardPlacement> shards, int keyspaceId) {
    try {
      awaitAll(byNode(shards), hosts::dropShards, "drop the shards of keyspace " + keyspaceId);
    } catch (ShaleException e) {
      // Unreachable nodes keep orphan shards that no map lists; they hold no visible data.
      LOG.log(System.Logger.Level.WARNING, e.getMessage());
    }
  }

  /** Removes a keyspace from the map durably, then drops its shards where they live (best effort). */
  @Override
  public synchronized ShardMap dropKeyspace(int keyspaceId) {
    Optional<KeyspacePlacement> existing = latestShardMap().find(keyspaceId);
    if (existing.isEmpty()) {
      return shardMap();
    }
    ShardMap updated = decodeMap(group.submit(new MetadataCommand.DropKeyspace(keyspaceId)));
    dropQuietly(existing.get().shards(), keyspaceId);
    return updated;
  }

  private static Map<Integer, List<Integer>> byNode(List<ShardPlacement> shards) {
    Map<Integer, List<Integer>> byNode = new LinkedHashMap<>();
    for (ShardPlacement shard : shards) {
      byNode.computeIfAbsent(shard.nodeId(), id -> new ArrayList<>()).add(shard.shardId());
    }
    return byNode;
  }

  private interface HostCall {
    CompletableFuture<Void> apply(int nodeId, List<Integer> shardIds);
  }

  private static void awaitAll(Map<Integer, List<Integer>> byNode, HostCall call, String what) {
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (Map.Entry<Integer, List<Integer>> entry : byNode.entrySet()) {
      calls.add(call.apply(entry.getKey(), entry.getValue()));
    }
    try {
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      Throwable cause = ClusterClient.unwrap(e);
      throw new ShaleException(SqlState.CONNECTION_FAILURE, "could not " + what + ": " + cause.getMessage(), cause);
    }
  }
}
