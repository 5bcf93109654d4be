package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.node.ClusterConfig;
import io.shaledb.cluster.rpc.PeerAddress;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster options of {@code shaledb start}: what a node gets from them, and clear refusals. */
class ServerConfigTest {
  private static final Map<String, String> SECRET = Map.of(ServerConfig.CLUSTER_SECRET_VARIABLE, "0123456789abcdef-secret");

  @Test
  void withoutClusterOptionsTheServerIsASingleNode() throws IOException {
    assertNull(ServerConfig.parse(List.of("--port", "9000"), SECRET).cluster());
  }

  @Test
  void clusterOptionsMakeANodeWithTheSecretFromTheEnvironment() throws IOException {
    ServerConfig config = ServerConfig.parse(
        List.of("--node-id", "2", "--host", "127.0.0.1", "--rpc-port", "7655", "--join", "a:7654, b:7654"), SECRET);
    ClusterConfig cluster = config.cluster();
    assertEquals(2, cluster.nodeId());
    assertEquals(7655, cluster.rpcPort());
    assertEquals("127.0.0.1", cluster.rpcHost());
    assertEquals("127.0.0.1", cluster.advertisedHost());
    assertEquals(List.of(new PeerAddress("a", 7654), new PeerAddress("b", 7654)), cluster.join());
    assertTrue(!cluster.toString().contains("0123456789abcdef"), "the secret is never shown");
  }

  @Test
  void theOptionWinsOverTheEnvironment() throws IOException {
    ServerConfig config = ServerConfig.parse(List.of("--node-id", "1", "--cluster-secret", "another-secret-of-16+"), SECRET);
    assertEquals("another-secret-of-16+", new String(config.cluster().clusterSecret(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(ServerConfig.DEFAULT_RPC_PORT, config.cluster().rpcPort());
  }

  @Test
  void incompleteOrBadClusterOptionsAreRefusedWithTheReason() {
    assertRefused("needs the cluster secret", List.of("--node-id", "1"), Map.of());
    assertRefused("at least 16 bytes", List.of("--node-id", "1", "--cluster-secret", "short"), Map.of());
    assertRefused("needs --node-id", List.of("--join", "a:7654"), SECRET);
    assertRefused("needs --join", List.of("--node-id", "2"), SECRET);
    assertRefused("node-id must be a number", List.of("--node-id", "two"), SECRET);
    assertRefused("node-id must be at least 1", List.of("--node-id", "0"), SECRET);
    assertRefused("rpc-port must be between", List.of("--node-id", "1", "--rpc-port", "70000"), SECRET);
    assertRefused("--advertise-host needs --node-id", List.of("--advertise-host", "h"), SECRET);
    assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.parse(List.of("--node-id", "2", "--join", "no-port"), SECRET));
  }

  @Test
  void theTestClockOffsetFileIsAcceptedButNotAdvertised() throws IOException {
    ServerConfig config = ServerConfig.parse(List.of("--test-clock-offset-file", "/tmp/offset"), SECRET);
    assertEquals(java.nio.file.Path.of("/tmp/offset"), config.testClockOffsetFile());
    assertNull(ServerConfig.parse(List.of(), SECRET).testClockOffsetFile());
    assertTrue(!ServerConfig.OPTIONS.containsKey(ServerConfig.TEST_CLOCK_OFFSET_FILE), "listed in the usage");
  }

  private static void assertRefused(String reason, List<String> args, Map<String, String> environment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse(args, environment));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
