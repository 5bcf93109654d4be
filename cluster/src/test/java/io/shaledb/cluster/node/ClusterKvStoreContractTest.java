package io.shaledb.cluster.node;

import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.kv.KvStore;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.KvStoreContract;
import io.shaledb.txn.tso.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link KvStoreContract} of the cluster store: two nodes in this JVM talking RPC on loopback,
 * the store used through the second node, so that the timestamp oracle and the metadata are remote
 * and the shards of every keyspace are spread over both nodes.
 */
class ClusterKvStoreContractTest extends KvStoreContract {
  private static final byte[] SECRET = "kv-contract-cluster-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir Path data;
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final List<ClusterNode> nodes = new ArrayList<>();

  @Override
  protected KvStore open() {
    nodes.add(startNode(1, List.of()));
    nodes.add(startNode(2, List.of(new PeerAddress("127.0.0.1", nodes.get(0).rpcPort()))));
    return nodes.get(1).kv();
  }

  private ClusterNode startNode(int nodeId, List<PeerAddress> join) {
    ClusterConfig config = new ClusterConfig(nodeId, "127.0.0.1", 0, "127.0.0.1", join, SECRET,
        Duration.ofSeconds(20), Duration.ofSeconds(5));
    return ClusterNode.open(config, new StorageConfig(data.resolve("node" + nodeId), clock),
        new SqlEngineConfig(clock, SqlEngineConfig.DEFAULT_SHARD_COUNT), "127.0.0.1:0");
  }

  @Override
  protected long nowMillis() {
    return clock.millis();
  }

  @Override
  protected void advanceClock(long millis) {
    clock.advance(millis);
  }

  @Override
  protected int lockCount() {
    int locks = 0;
    for (ClusterNode node : nodes) {
      for (int shardId : node.storage().shardIds()) {
        locks += node.storage().shard(shardId).locks().size();
      }
    }
    return locks;
  }

  /** The store is the second node's: closing the nodes closes it (again, harmlessly). */
  @Override
  protected void closeRest() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
