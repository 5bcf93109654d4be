package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.membership.ShardPlacement;
import io.shaledb.cluster.protocol.MetadataWire;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.cluster.protocol.WireOutput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.PersistedNames;
import io.shaledb.storage.NodeStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The cluster's metadata, kept by the metadata node in its storage: the members and the shard map.
 * Keyspaces are created here: their shards are spread evenly over the members (system keyspaces
 * stay on this node), created on their nodes, and only then published in the map, so a published
 * shard always exists. Shard ids are never reused. Changes are serialized and durable before they
 * are answered. Thread-safe.
 */
final class MetadataService {
  static final String MEMBERS_META = PersistedNames.MEMBERS_META;
  static final String SHARD_MAP_META = PersistedNames.SHARD_MAP_META;
  static final String NEXT_SHARD_ID_META = PersistedNames.NEXT_SHARD_ID_META;
  static final int SHARD_COUNT_MAX = 1024;
  private static final System.Logger LOG = System.getLogger(MetadataService.class.getName());

  private final NodeStorage storage;
  private final ShardHosts hosts;
  private final Consumer<Membership> membershipListener;
  private volatile Membership membership;
  private volatile ShardMap shardMap;
  /** Guarded by {@code this}. */
  private int nextShardId;

  private MetadataService(NodeStorage storage, ShardHosts hosts, Consumer<Membership> membershipListener,
      Membership membership, ShardMap shardMap, int nextShardId) {
    this.storage = storage;
    this.hosts = hosts;
    this.membershipListener = membershipListener;
    this.membership = membership;
    this.shardMap = shardMap;
    this.nextShardId = nextShardId;
  }

  /**
   * Loads the metadata from {@code storage} and records {@code self} (the metadata node) as a member.
   *
   * @param membershipListener told the membership now and after every change
   */
  static MetadataService load(NodeStorage storage, Member self, ShardHosts hosts, Consumer<Membership> membershipListener) {
    byte[] members = storage.getMeta(MEMBERS_META);
    byte[] map = storage.getMeta(SHARD_MAP_META);
    byte[] next = storage.getMeta(NEXT_SHARD_ID_META);
    Membership membership = members == null ? new Membership(List.of()) : decode(members, MetadataWire::readMembership);
    ShardMap shardMap = map == null ? ShardMap.EMPTY : decode(map, MetadataWire::readShardMap);
    int nextShardId = Math.max(next == null ? 0 : ByteBuffer.wrap(next).getInt(), shardMap.maxShardId() + 1);
    MetadataService service = new MetadataService(storage, hosts, membershipListener, membership, shardMap, nextShardId);
    membershipListener.accept(membership);
    service.join(self);
    return service;
  }

  Membership membership() {
    return membership;
  }

  ShardMap shardMap() {
    return shardMap;
  }

  /** Adds or updates a member, durably. */
  synchronized Membership join(Member member) {
    Optional<Member> known = membership.find(member.nodeId());
    if (known.isPresent() && known.get().equals(member)) {
      return membership;
    }
    Membership updated = membership.with(member);
    WireOutput out = new WireOutput();
    MetadataWire.writeMembership(out, updated);
    storage.putMeta(MEMBERS_META, out.toByteArray());
    storage.sync();
    membership = updated;
    membershipListener.accept(updated);
    LOG.log(System.Logger.Level.INFO, "node " + member.nodeId() + " joined at " + member.rpcAddress());
    return updated;
  }

  /**
   * Creates a keyspace of {@code shardCount} shards spread over the members; returns the map as it
   * is now. Idempotent for the same shard count.
   *
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if a node that is to hold a shard cannot be reached
   */
  synchronized ShardMap createKeyspace(int keyspaceId, int shardCount) {
    Keyspaces.prefix(keyspaceId); // validates the id
    if (shardCount < 1 || shardCount > SHARD_COUNT_MAX) {
      throw new IllegalArgumentException("shard count must be in [1, " + SHARD_COUNT_MAX + "]: " + shardCount);
    }
    Optional<KeyspacePlacement> existing = shardMap.find(keyspaceId);
    if (existing.isPresent()) {
      if (existing.get().shards().size() != shardCount) {
        throw new IllegalStateException("keyspace " + keyspaceId + " already exists with "
            + existing.get().shards().size() + " shards, not " + shardCount);
      }
      return shardMap;
    }
    List<Member> members = membership.members();
    List<ShardPlacement> shards = new ArrayList<>(shardCount);
    for (int i = 0; i < shardCount; i++) {
      int nodeId = keyspaceId < Keyspaces.FIRST_USER_KEYSPACE
          ? ClusterClient.METADATA_NODE_ID
          : members.get(Math.floorMod(keyspaceId + i, members.size())).nodeId();
      shards.add(new ShardPlacement(nextShardId + i, nodeId));
    }
    // Reserved before the shards exist anywhere, so an id is never handed out twice, even if
    // this attempt fails half-way and leaves empty shards behind.
    nextShardId += shardCount;
    storage.putMeta(NEXT_SHARD_ID_META, ByteBuffer.allocate(Integer.BYTES).putInt(nextShardId).array());
    storage.sync();
    awaitAll(byNode(shards), hosts::createShards, "create the shards of keyspace " + keyspaceId);
    publish(shardMap.with(new KeyspacePlacement(keyspaceId, shards)));
    return shardMap;
  }

  /** Removes a keyspace from the map durably, then drops its shards where they live (best effort). */
  synchronized ShardMap dropKeyspace(int keyspaceId) {
    Optional<KeyspacePlacement> existing = shardMap.find(keyspaceId);
    if (existing.isEmpty()) {
      return shardMap;
    }
    publish(shardMap.without(keyspaceId));
    try {
      awaitAll(byNode(existing.get().shards()), hosts::dropShards, "drop the shards of keyspace " + keyspaceId);
    } catch (ShaleException e) {
      // Unreachable nodes keep orphan shards that no map lists; they hold no visible data.
      LOG.log(System.Logger.Level.WARNING, e.getMessage());
    }
    return shardMap;
  }

  private void publish(ShardMap updated) {
    WireOutput out = new WireOutput();
    MetadataWire.writeShardMap(out, updated);
    storage.putMeta(SHARD_MAP_META, out.toByteArray());
    storage.sync();
    shardMap = updated;
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

  private interface Decoder<T> {
    T read(WireInput in);
  }

  private static <T> T decode(byte[] stored, Decoder<T> decoder) {
    WireInput in = new WireInput(stored);
    T value = decoder.read(in);
    in.expectEnd();
    return value;
  }
}
