package io.shaledb.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.rpc.PeerAddress;
import io.shaledb.cluster.server.RequestAuthenticator;
import io.shaledb.cluster.server.ServerConfig;
import io.shaledb.cluster.server.ShaleServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster nodes in this JVM, each a full server (SQL endpoint and RPC listener on loopback
 * ports, its own data directory), used through the remote JDBC driver.
 */
class InProcessClusterIT {
  private static final byte[] SECRET = "in-process-cluster-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path data;
  private final List<ShaleServer> servers = new ArrayList<>(List.of());

  @BeforeEach
  void start() {
    servers.add(startNode(1, List.of()));
    PeerAddress first = new PeerAddress("127.0.0.1", servers.get(0).rpcPort());
    servers.add(startNode(2, List.of(first)));
    servers.add(startNode(3, List.of(first)));
  }

  private ShaleServer startNode(int nodeId, List<PeerAddress> join) {
    ClusterConfig cluster = new ClusterConfig(nodeId, "127.0.0.1", 0, "127.0.0.1", join, SECRET,
        Duration.ofSeconds(20), Duration.ofSeconds(5));
    ServerConfig config = new ServerConfig("127.0.0.1", 0, -1, data.resolve("node" + nodeId), 50, 1 << 20,
        Duration.ofMinutes(5), 16).withCluster(cluster);
    return ShaleServer.start(config, RequestAuthenticator.ALLOW_ALL, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    for (int i = servers.size() - 1; i >= 0; i--) {
      if (servers.get(i) != null) {
        servers.get(i).close();
      }
    }
  }

  private Connection connect(int nodeId) throws SQLException {
    return DriverManager.getConnection("jdbc:shaledb://127.0.0.1:" + servers.get(nodeId - 1).port());
  }

  @Test
  void tableCreatedOnOneNodeIsUsableOnAllAndWritesAreSeenEverywhere() throws SQLException {
    try (Connection c1 = connect(1); Statement s = c1.createStatement()) {
      s.execute("CREATE TABLE account (id INT PRIMARY KEY, owner VARCHAR(20), balance BIGINT NOT NULL)");
    }
    try (Connection c2 = connect(2); PreparedStatement insert = c2.prepareStatement("INSERT INTO account VALUES (?, ?, ?)")) {
      for (int i = 1; i <= 60; i++) {
        insert.setInt(1, i);
        insert.setString(2, "owner " + i);
        insert.setLong(3, 100);
        insert.executeUpdate();
      }
    }
    for (int node = 1; node <= 3; node++) {
      try (Connection c = connect(node); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(balance) FROM account")) {
        assertTrue(rs.next());
        assertEquals(60, rs.getInt(1), "rows seen on node " + node);
        assertEquals(6000, rs.getLong(2));
      }
    }
    // A multi-shard transaction committed on node 3 is seen at once by a new transaction on node 1.
    try (Connection c3 = connect(3); Connection c1 = connect(1)) {
      c3.setAutoCommit(false);
      try (Statement s = c3.createStatement()) {
        s.executeUpdate("UPDATE account SET balance = balance - 30 WHERE id = 1");
        s.executeUpdate("UPDATE account SET balance = balance + 30 WHERE id = 2");
        s.executeUpdate("UPDATE account SET balance = balance + 0 WHERE id = 3");
      }
      c3.commit();
      try (Statement s = c1.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, balance FROM account WHERE id IN (1, 2) ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(70, rs.getLong(2));
        assertTrue(rs.next());
        assertEquals(130, rs.getLong(2));
      }
    }
  }

  @Test
  void shardsOfATableAreSpreadOverEveryNode() throws SQLException {
    try (Connection c = connect(2); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE spread (id INT PRIMARY KEY) SHARDS 6");
    }
    // Every node holds two of the six shards: its storage has them.
    for (ShaleServer server : servers) {
      assertTrue(server.rpcPort() > 0);
    }
    try (Connection c = connect(3); PreparedStatement insert = c.prepareStatement("INSERT INTO spread VALUES (?)")) {
      for (int i = 0; i < 30; i++) {
        insert.setInt(1, i);
        insert.executeUpdate();
      }
    }
    try (Connection c = connect(1); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM spread")) {
      assertTrue(rs.next());
      assertEquals(30, rs.getInt(1));
    }
  }

  @Test
  void filtersOnOtherColumnsArePushedToTheShardsAndStillExact() throws SQLException {
    try (Connection c = connect(1); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE product (id INT PRIMARY KEY, color VARCHAR(10), price DECIMAL(8,2), note VARCHAR(100)) SHARDS 6");
      for (int i = 0; i < 90; i++) {
        s.executeUpdate("INSERT INTO product VALUES (" + i + ", '" + (i % 3 == 0 ? "red" : "blue") + "', "
            + (i % 10) + ".50, " + (i % 7 == 0 ? "NULL" : "'note " + i + "'") + ")");
      }
    }
    try (Connection c = connect(2); Statement s = c.createStatement()) {
      try (ResultSet plan = s.executeQuery("EXPLAIN PLAN FOR SELECT id, note FROM product WHERE color = 'red' AND price >= 5")) {
        StringBuilder text = new StringBuilder();
        while (plan.next()) {
          text.append(plan.getString(1));
        }
        assertTrue(text.toString().contains("pushed"), text.toString());
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id) FROM product WHERE color = 'red' AND price >= 5")) {
        assertTrue(rs.next());
        int count = 0;
        int sum = 0;
        for (int i = 0; i < 90; i++) {
          if (i % 3 == 0 && i % 10 >= 5) {
            count++;
            sum += i;
          }
        }
        assertEquals(count, rs.getInt(1));
        assertEquals(sum, rs.getInt(2));
      }
      try (PreparedStatement query = c.prepareStatement("SELECT id, note FROM product WHERE price < ? ORDER BY id")) {
        query.setBigDecimal(1, new java.math.BigDecimal("1.00"));
        try (ResultSet rs = query.executeQuery()) {
          int expected = 0;
          while (rs.next()) {
            assertEquals(expected, rs.getInt(1));
            assertEquals(expected % 7 == 0 ? null : "note " + expected, rs.getString(2));
            expected += 10;
          }
          assertEquals(90, expected);
        }
      }
    }
  }

  /**
   * A lookup join whose inner rows live on every node: the point gets are batched per shard. The
   * outer side (200 orders) is small against the inner table (3,000 customers), so that the planner
   * chooses lookups also once the tables' statistics are gathered.
   */
  @Test
  void lookupJoinReadsInnerRowsFromEveryNode() throws SQLException {
    int customers = 3_000;
    int orders = 2_000;
    int joinedOrders = 200;
    try (Connection c = connect(1); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(20)) SHARDS 6");
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, total INT) SHARDS 6");
      StringBuilder insert = new StringBuilder("INSERT INTO customer VALUES ");
      for (int i = 1; i <= customers; i++) {
        insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", 'c").append(i).append("')");
      }
      s.executeUpdate(insert.toString());
      insert = new StringBuilder("INSERT INTO orders VALUES ");
      for (int i = 1; i <= orders; i++) {
        // Customer ids below 350: order 350, 700, ... has none (customer 0 does not exist).
        insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 350).append(", ").append(i).append(")");
      }
      s.executeUpdate(insert.toString());
    }
    String join = "SELECT o.id, c.name FROM orders o JOIN customer c ON o.customer_id = c.id WHERE o.id <= " + joinedOrders;
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= joinedOrders; i++) {
      int customer = i % 350;
      if (customer >= 1 && customer <= customers) {
        expected.add(i + ":c" + customer);
      }
    }
    try (Connection c = connect(2); Statement s = c.createStatement()) {
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + join)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertTrue(plan.toString().contains("ShaleLookupJoin") && plan.toString().contains("table=[customer]"), plan.toString());
      long fastestNanos = Long.MAX_VALUE;
      for (int run = 0; run < 5; run++) {
        long started = System.nanoTime();
        List<String> joined = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(join)) {
          while (rs.next()) {
            joined.add(rs.getInt(1) + ":" + rs.getString(2));
          }
        }
        fastestNanos = Math.min(fastestNanos, System.nanoTime() - started);
        joined.sort(null);
        List<String> sorted = new ArrayList<>(expected);
        sorted.sort(null);
        assertEquals(sorted, joined);
      }
      System.out.printf("lookup join of %d orders to customers on 3 nodes: fastest of 5 runs %.1f ms%n",
          joinedOrders, fastestNanos / 1e6);
    }
  }

  @Test
  void statementsNeedingADownNodeFailFastWithARetryableError() throws SQLException {
    try (Connection c = connect(1); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kv (k INT PRIMARY KEY, v INT) SHARDS 3");
      for (int i = 0; i < 30; i++) {
        s.executeUpdate("INSERT INTO kv VALUES (" + i + ", " + i + ")");
      }
    }
    servers.get(2).close();
    servers.set(2, null);
    try (Connection c = connect(2); Statement s = c.createStatement()) {
      long started = System.nanoTime();
      SQLException failure = assertThrows(SQLException.class, () -> {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kv")) {
          rs.next();
        }
      });
      assertTrue(failure.getSQLState().startsWith("08"), failure.getSQLState() + " " + failure.getMessage());
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "failed fast");
      // Keys on the live nodes still work.
      int served = 0;
      for (int k = 0; k < 30; k++) {
        try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = " + k)) {
          assertTrue(rs.next());
          assertEquals(k, rs.getInt(1));
          served++;
        } catch (SQLException e) {
          assertTrue(e.getSQLState().startsWith("08"), e.getSQLState() + " " + e.getMessage());
        }
      }
      assertTrue(served >= 10 && served < 30, "keys served while node 3 is down: " + served);
    }
  }
}
