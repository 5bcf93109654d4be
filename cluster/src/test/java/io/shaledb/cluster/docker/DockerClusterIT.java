package io.shaledb.cluster.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image of {@code docker/Dockerfile} as the compose file runs it: three node containers on one
 * network, reaching each other by name, and a transaction that spans shards on several nodes,
 * written through one node and read through the others over JDBC. Skipped where no Docker engine
 * runs; the process-level tests ({@code ClusterBankIT}, {@code ClusterReadAfterWriteIT}) prove the
 * same behaviour without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerClusterIT {
  private static final String SECRET = "docker-cluster-test-secret";
  private static final String ADMIN_PASSWORD = "docker-test-admin";
  private static final int SQL_PORT = 8765;
  private static final int RPC_PORT = 7654;

  private static final Network NETWORK = Network.newNetwork();
  private static final ImageFromDockerfile IMAGE = image(repositoryRoot());

  @Container
  private static final GenericContainer<?> NODE1 = node(1);
  @Container
  private static final GenericContainer<?> NODE2 = node(2).dependsOn(NODE1);
  @Container
  private static final GenericContainer<?> NODE3 = node(3).dependsOn(NODE1);

  /** The tests run in the cluster module; the Dockerfile builds from the repository root. */
  private static Path repositoryRoot() {
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    if (!Files.exists(root.resolve("docker").resolve("Dockerfile"))) {
      throw new IllegalStateException("no docker/Dockerfile under " + root);
    }
    return root;
  }

  /**
   * The build context holds what the Maven build needs (root pom, wrapper, every module's pom and
   * sources, as the root pom lists them) and not the local build output.
   */
  private static ImageFromDockerfile image(Path root) {
    ImageFromDockerfile image = new ImageFromDockerfile("shaledb-docker-it", true)
        .withFileFromPath("Dockerfile", root.resolve("docker").resolve("Dockerfile"))
        .withFileFromPath("pom.xml", root.resolve("pom.xml"))
        .withFileFromPath("mvnw", root.resolve("mvnw"))
        .withFileFromPath(".mvn", root.resolve(".mvn"));
    String rootPom;
    try {
      rootPom = Files.readString(root.resolve("pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
    while (modules.find()) {
      String module = modules.group(1).trim();
      image.withFileFromPath(module + "/pom.xml", root.resolve(module).resolve("pom.xml"));
      if (Files.isDirectory(root.resolve(module).resolve("src"))) {
        image.withFileFromPath(module + "/src", root.resolve(module).resolve("src"));
      }
    }
    return image;
  }

  private static GenericContainer<?> node(int nodeId) {
    List<String> command = new ArrayList<>(List.of("start", "--node-id", Integer.toString(nodeId), "--host", "0.0.0.0",
        "--advertise-host", "node" + nodeId, "--port", Integer.toString(SQL_PORT), "--rpc-port",
        Integer.toString(RPC_PORT), "--data", "/data"));
    if (nodeId != 1) {
      command.addAll(List.of("--join", "node1:" + RPC_PORT));
    }
    return new GenericContainer<>(IMAGE)
        .withNetwork(NETWORK)
        .withNetworkAliases("node" + nodeId)
        .withEnv("SHALEDB_CLUSTER_SECRET", SECRET)
        .withEnv("SHALEDB_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .withCommand(command.toArray(String[]::new))
        .withExposedPorts(SQL_PORT)
        // The JDBC port opens once the node has joined the cluster.
        .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(3)));
  }

  private static Connection connect(GenericContainer<?> node) throws SQLException {
    return DriverManager.getConnection("jdbc:shaledb://" + node.getHost() + ":" + node.getMappedPort(SQL_PORT),
        "admin", ADMIN_PASSWORD);
  }

  @Test
  void aTransactionAcrossNodesCommitsAndIsSeenOnEveryNode() throws SQLException {
    try (Connection c = connect(NODE1); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL) SHARDS 6");
    }
    // Thirty rows over six shards, two per node: one two-phase commit through node 2.
    try (Connection c = connect(NODE2); PreparedStatement insert = c.prepareStatement("INSERT INTO account VALUES (?, ?)")) {
      c.setAutoCommit(false);
      for (int id = 0; id < 30; id++) {
        insert.setInt(1, id);
        insert.setLong(2, 100);
        insert.executeUpdate();
      }
      c.commit();
    }
    try (Connection c = connect(NODE3); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE account SET balance = balance - 40 WHERE id = 1");
      s.executeUpdate("UPDATE account SET balance = balance + 40 WHERE id = 2");
      c.commit();
    }
    for (GenericContainer<?> node : List.of(NODE1, NODE2, NODE3)) {
      try (Connection c = connect(node); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(balance), MIN(balance), MAX(balance) FROM account")) {
        assertTrue(rs.next());
        assertEquals(30, rs.getInt(1), "rows seen through " + node.getNetworkAliases());
        assertEquals(3_000, rs.getLong(2));
        assertEquals(60, rs.getLong(3));
        assertEquals(140, rs.getLong(4));
      }
    }
  }
}
