package io.shaledb.cluster.node;

import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.storage.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures how long one timestamp request takes on each node of a three-node cluster in this JVM
 * (sequential requests, so no batching helps): p50 and p99 per node. Not a test; run with
 * {@code java -cp <cluster test classpath> io.shaledb.cluster.node.TimestampLatency [requests]}.
 */
public final class TimestampLatency {
  private TimestampLatency() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    byte[] secret = "timestamp-latency-secret".getBytes(StandardCharsets.UTF_8);
    Path base = Files.createTempDirectory("shaledb-tso-latency");
    Clock clock = Clock.systemUTC();
    List<ClusterNode> nodes = new ArrayList<>();
    try {
      for (int nodeId = 1; nodeId <= 3; nodeId++) {
        List<PeerAddress> join = nodeId == 1 ? List.of() : List.of(new PeerAddress("127.0.0.1", nodes.get(0).rpcPort()));
        nodes.add(ClusterNode.open(new ClusterConfig(nodeId, "127.0.0.1", 0, "127.0.0.1", join, secret,
                Duration.ofSeconds(60), Duration.ofSeconds(5)),
            new StorageConfig(base.resolve("node" + nodeId), clock), new SqlEngineConfig(clock, 3), "127.0.0.1:0"));
      }
      Thread.sleep(5000); // let the group settle (voters added)
      for (ClusterNode node : nodes) {
        for (int i = 0; i < 500; i++) {
          node.kv().currentTimestamp(); // warm-up
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
          long start = System.nanoTime();
          node.kv().currentTimestamp();
          nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("node %d: %d sequential timestamp requests: p50 %.3f ms, p99 %.3f ms%n", node.nodeId(), requests,
            nanos[requests / 2] / 1e6, nanos[(int) (requests * 0.99)] / 1e6);
      }
    } finally {
      for (ClusterNode node : nodes) {
        node.close();
      }
    }
  }
}
