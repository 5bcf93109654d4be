package io.shaledb.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.cluster.fault.ClusterProcesses;
import io.shaledb.txn.tso.HybridTimestamps;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyDecoder;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that died between prepare and commit, made deterministic: with the three node
 * JVMs stopped, two transactions' locks are written straight into the data directories of nodes 2
 * and 3, as a coordinator that crashed at that point leaves them. Transaction "undecided" prepared
 * its primary key on node 2 and a secondary on node 3 and never committed (its lock TTL has
 * passed); transaction "committed" did the same and committed its primary, but its secondary on
 * node 3 was never told. After the restart node 3 finds both locks in its storage, and a read on
 * node 1 settles them through the primaries on node 2: the committed deletion is rolled forward,
 * the undecided one rolled back, identically on every node, and no lock remains.
 */
class ClusterRecoveryIT {
  private static final int ROWS = 60;

  @TempDir
  Path base;
  private ClusterProcesses cluster;

  @AfterEach
  void stop() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void locksOfACrashedCoordinatorAreSettledThroughTheirPrimaryAfterRestart() throws Exception {
    cluster = ClusterProcesses.create(base, 3);
    cluster.startAll();
    try {
      try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kv (k INT PRIMARY KEY, v INT NOT NULL) SHARDS 6");
        c.setAutoCommit(false);
        for (int k = 0; k < ROWS; k++) {
          s.executeUpdate("INSERT INTO kv VALUES (" + k + ", " + k + ")");
        }
        c.commit();
      }
      cluster.stopAll();

      // Nodes 2 and 3 hold only shards of kv (system tables live on node 1).
      long startTs = HybridTimestamps.firstOf(System.currentTimeMillis());
      long commitTs = startTs + 2;
      int[] ks;
      try (NodeStorage node2 = NodeStorage.open(StorageConfig.file(cluster.node(2).dataDirectory()));
          NodeStorage node3 = NodeStorage.open(StorageConfig.file(cluster.node(3).dataDirectory()))) {
        List<Row> rows2 = rows(node2, startTs);
        List<Row> rows3 = rows(node3, startTs);
        assertTrue(rows2.size() >= 2 && rows3.size() >= 2, "rows on node 2: " + rows2.size() + ", node 3: " + rows3.size());
        Row undecidedPrimary = rows2.get(0);
        Row undecidedSecondary = rows3.get(0);
        Row committedPrimary = rows2.get(1);
        Row committedSecondary = rows3.get(1);
        long expiredMs = System.currentTimeMillis() - 1;
        // Each deletes one row on node 2 (its primary) and one on node 3.
        prepareDelete(undecidedPrimary, undecidedPrimary, startTs, expiredMs);
        prepareDelete(undecidedSecondary, undecidedPrimary, startTs, expiredMs);
        prepareDelete(committedPrimary, committedPrimary, startTs + 1, expiredMs);
        prepareDelete(committedSecondary, committedPrimary, startTs + 1, expiredMs);
        assertTrue(committedPrimary.shard().commitPrimary(startTs + 1, commitTs, committedPrimary.key(), List.of()));
        node2.sync();
        node3.sync();
        ks = new int[] {undecidedPrimary.k(), undecidedSecondary.k(), committedPrimary.k(), committedSecondary.k()};
      }

      cluster.startAll();
      TreeSet<Integer> expected = new TreeSet<>();
      for (int k = 0; k < ROWS; k++) {
        expected.add(k);
      }
      expected.remove(ks[2]);
      expected.remove(ks[3]);
      for (int nodeId = 1; nodeId <= cluster.size(); nodeId++) {
        assertEquals(expected, keys(nodeId), "rows seen through node " + nodeId + " (undecided: " + ks[0] + ", " + ks[1]
            + " stay; committed: " + ks[2] + ", " + ks[3] + " go)");
      }
      cluster.stopAll();
      assertEquals(Map.of(), cluster.locksInStorage(), "locks left");
      System.out.printf("recovery: undecided deletion of %d (node 2, primary) and %d (node 3) rolled back, committed "
          + "deletion of %d (node 2, primary) and %d (node 3) rolled forward%n", ks[0], ks[1], ks[2], ks[3]);
    } catch (AssertionError | Exception e) {
      System.out.println(cluster.logTails());
      throw e;
    }
  }

  private record Row(ShardStore shard, byte[] key, int k) {}

  /** The committed rows of every shard of {@code storage}, each checked to be older than {@code beforeTs}. */
  private static List<Row> rows(NodeStorage storage, long beforeTs) {
    List<Row> rows = new ArrayList<>();
    for (int shardId : storage.shardIds()) {
      ShardStore shard = storage.shard(shardId);
      // Every key of the shard: keys start with a four-byte keyspace id, far below 0xffffffff.
      byte[] end = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
      try (ScanIterator scan = shard.scan(new byte[0], end, Long.MAX_VALUE)) {
        while (scan.hasNext()) {
          ScanItem item = scan.next();
          ReadResult.Value value = assertInstanceOf(ReadResult.Value.class, item.result());
          assertTrue(value.commitTs() < beforeTs, "a commit at " + value.commitTs() + " is not older than " + beforeTs);
          int k = (Integer) new KeyDecoder(item.key()).read(ColumnType.INTEGER);
          rows.add(new Row(shard, item.key(), k));
        }
      }
    }
    return rows;
  }

  private static void prepareDelete(Row row, Row primary, long startTs, long lockExpiresAtMs) {
    PrepareResult result = row.shard().prepare(startTs, primary.key(), List.of(Mutation.delete(row.key())), lockExpiresAtMs);
    assertInstanceOf(PrepareResult.Prepared.class, result);
  }

  private TreeSet<Integer> keys(int nodeId) throws Exception {
    TreeSet<Integer> keys = new TreeSet<>();
    try (Connection c = cluster.connect(nodeId); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT k, v FROM kv")) {
      while (rs.next()) {
        assertEquals(rs.getInt(1), rs.getInt(2));
        keys.add(rs.getInt(1));
      }
    }
    return keys;
  }
}
