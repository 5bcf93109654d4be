package io.shaledb.cluster.node;

import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.ShardParticipantContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ShardParticipantContract} of a shard on a node reached over RPC (loopback): every
 * call is a request the node decodes, applies to its store and answers.
 */
class RemoteShardParticipantTest extends ShardParticipantContract {
  private static final byte[] SECRET = "participant-contract-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir Path data;
  private ClusterNode node;

  @Override
  protected ShardParticipant open() {
    Clock clock = Clock.systemUTC();
    node = ClusterNode.open(
        new ClusterConfig(1, "127.0.0.1", 0, "127.0.0.1", List.of(), SECRET, Duration.ofSeconds(20), Duration.ofSeconds(5)),
        new StorageConfig(data, clock), new SqlEngineConfig(clock, SqlEngineConfig.DEFAULT_SHARD_COUNT), "127.0.0.1:0");
    Set<Integer> before = new HashSet<>(node.storage().shardIds());
    node.kv().createKeyspace(KS, 1);
    Set<Integer> created = new HashSet<>(node.storage().shardIds());
    created.removeAll(before);
    int shardId = created.iterator().next();
    return new RemoteShardParticipant(node.nodeId(), shardId, node.client(), 2);
  }

  @Override
  protected long nextTimestamp() {
    return node.kv().currentTimestamp();
  }

  @Override
  protected void close() {
    node.close();
  }
}
