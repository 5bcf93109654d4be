package io.shaledb.txn;

import io.shaledb.kv.Keyspaces;
import io.shaledb.storage.NodeStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * A {@link ParticipantDirectory} for tests: keyspace {@code k} with {@code n} shards puts a key in
 * shard {@code key[4] mod n} (shard 0 for a bare prefix), so tests choose shards by the first byte
 * after the prefix. Participants can be wrapped to inject behaviour between phases.
 */
final class FirstByteDirectory implements ParticipantDirectory {
  private final NodeStorage storage;
  private final LongSupplier timestamps;
  private final Map<Integer, List<ShardParticipant>> keyspaces = new HashMap<>();
  private int nextShardId;

  private final LocalLog log;

  /** Every shard is created in {@code storage}, so every prepare shares its primary's log. */
  FirstByteDirectory(NodeStorage storage, LongSupplier timestamps) {
    this.storage = storage;
    this.timestamps = timestamps;
    this.log = LocalLog.holdingEveryKey(storage);
  }

  /** Adds a keyspace whose shards are wrapped by {@code wrapper}; returns their participants. */
  List<ShardParticipant> addKeyspace(int keyspaceId, int shardCount, UnaryOperator<ShardParticipant> wrapper) {
    List<ShardParticipant> participants = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      participants.add(wrapper.apply(ShardParticipant.local(storage.createShard(nextShardId++), timestamps, log)));
    }
    keyspaces.put(keyspaceId, List.copyOf(participants));
    return participants;
  }

  List<ShardParticipant> addKeyspace(int keyspaceId, int shardCount) {
    return addKeyspace(keyspaceId, shardCount, UnaryOperator.identity());
  }

  /** Adds a keyspace of the given participants (built by the test, on whatever storage and transport). */
  void addKeyspace(int keyspaceId, List<ShardParticipant> participants) {
    keyspaces.put(keyspaceId, List.copyOf(participants));
  }

  @Override
  public Optional<ShardParticipant> find(byte[] key) {
    List<ShardParticipant> shards = keyspaces.get(Keyspaces.keyspaceOf(key));
    if (shards == null) {
      return Optional.empty();
    }
    int index = key.length > Keyspaces.PREFIX_BYTES ? (key[Keyspaces.PREFIX_BYTES] & 0xff) % shards.size() : 0;
    return Optional.of(shards.get(index));
  }

  @Override
  public List<ShardParticipant> participantsOf(int keyspaceId) {
    return keyspaces.getOrDefault(keyspaceId, List.of());
  }

  /** Key in {@code keyspaceId} that lives in shard {@code shard} (mod the shard count), then {@code suffix}. */
  static byte[] key(int keyspaceId, int shard, String suffix) {
    byte[] prefix = Keyspaces.prefix(keyspaceId);
    byte[] tail = suffix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + 1 + tail.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    key[prefix.length] = (byte) shard;
    System.arraycopy(tail, 0, key, prefix.length + 1, tail.length);
    return key;
  }
}
