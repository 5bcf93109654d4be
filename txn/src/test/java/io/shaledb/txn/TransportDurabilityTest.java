package io.shaledb.txn;

import static io.shaledb.txn.FirstByteDirectory.key;
import static io.shaledb.txn.TxnRig.bytes;
import static io.shaledb.txn.TxnRig.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import io.shaledb.txn.tso.CountingNodeStorage;
import io.shaledb.txn.tso.ManualClock;
import io.shaledb.txn.tso.TimestampOracle;
import io.shaledb.kv.RowFilter;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durability is the transports' duty: the coordinator asks for no sync, and the number of log
 * forces (syncs asked of a node's storage) per commit is what the protocol needs and no more. One
 * node's sync covers every write made before it, so a prepare that shares its primary's log needs
 * none of its own.
 *
 * <p>Two nodes: the coordinator's node A, whose shards are reached by the local transport, and node
 * B, reached the way a remote node serves requests (cluster's {@code NodeRpcHandler}: apply, then
 * sync before answering whenever the reply must be durable; {@link NodeModel}). Counts before durability moved into the transports
 * (the coordinator called {@code makeDurable} / {@code makePreparedDurable}): one-shard commit 1,
 * multi-shard commit on one node 1, cross-node commit with the primary on A: A 1 and B 1, with the
 * primary on B: A 1 and B 2; the same as asserted here.
 */
class TransportDurabilityTest {
  private static final int LOCAL = 7;
  private static final int SPREAD = 8;

  private final ManualClock clock = new ManualClock(TxnRig.T0);
  private final NodeStorage oracleStorage = NodeStorage.open(new StorageConfig(null, clock));
  private final TimestampOracle oracle = TimestampOracle.openLocal(oracleStorage, clock, 1_000);
  private final NodeStorage storageA = NodeStorage.open(new StorageConfig(null, clock));
  private final NodeStorage storageB = NodeStorage.open(new StorageConfig(null, clock));
  private final CountingNodeStorage nodeA = new CountingNodeStorage(storageA);
  private final CountingNodeStorage nodeB = new CountingNodeStorage(storageB);
  private final FirstByteDirectory directory = new FirstByteDirectory(nodeA, oracle::next);
  private final TransactionCoordinator coordinator =
      new TransactionCoordinator(directory, oracle, TxnRig.CONFIG, clock, new Random(42), new RecordingSleeper());

  TransportDurabilityTest() {
    directory.addKeyspace(LOCAL, 3);
    // SPREAD: even shard bytes on node A, odd ones on node B.
    LocalLog logA = new LocalLog(nodeA, TransportDurabilityTest::onNodeA);
    directory.addKeyspace(SPREAD, List.of(
        ShardParticipant.local(nodeA.createShard(100), oracle::next, logA),
        new NodeModel(nodeB, nodeB.createShard(200))));
  }

  @AfterEach
  void tearDown() {
    storageA.close();
    storageB.close();
    oracleStorage.close();
  }

  @Test
  void oneShardCommitForcesTheLogOnce() {
    assertForces(1, 0, key(LOCAL, 0, "a"), key(LOCAL, 3, "b"));
    assertForces(0, 1, key(SPREAD, 1, "a"), key(SPREAD, 3, "b"));
  }

  @Test
  void multiShardCommitOnOneNodeForcesTheLogOnce() {
    assertForces(1, 0, key(LOCAL, 0, "a"), key(LOCAL, 1, "b"), key(LOCAL, 2, "c"));
  }

  @Test
  void crossNodeCommitWithThePrimaryHereForcesEachLogOnce() {
    // The primary (the smallest key) is on A: A's prepare is covered by A's commit point; B syncs its prepare.
    assertForces(1, 1, key(SPREAD, 0, "a"), key(SPREAD, 1, "b"));
  }

  @Test
  void crossNodeCommitWithThePrimaryElsewhereSyncsThisNodesPrepare() {
    // The primary is on B: A's locks must be durable before B's commit point, which cannot cover them.
    assertForces(1, 2, key(SPREAD, 1, "a"), key(SPREAD, 2, "b"));
  }

  @Test
  void aCommitThatLosesARaceForcesNothing() {
    byte[] k = key(LOCAL, 0, "a");
    try (Transaction loser = coordinator.begin()) {
      commit(k);
      loser.put(k, bytes("lost"));
      int before = nodeA.syncs();
      assertThrows(WriteConflictException.class, loser::commit);
      assertEquals(before, nodeA.syncs());
    }
  }

  @Test
  void aRolledBackVerdictIsDurableBeforeTheReaderGoesOn() {
    byte[] k = key(LOCAL, 0, "a");
    ShardParticipant shard = directory.participantFor(k);
    long abandoned = oracle.next();
    shard.prepare(abandoned, k, List.of(Mutation.put(k, bytes("lost"))), clock.millis() - 1);
    assertEquals(0, nodeA.syncs(), "a prepare on its primary's log waits for the commit point's sync");

    try (Transaction reader = coordinator.begin()) {
      assertEquals(null, text(reader.get(k)));
    }
    assertEquals(1, nodeA.syncs(), "the primary's rolled-back status record, synced before the reader read on");
  }

  /** Commits a value for each key in one transaction and checks the syncs each node was asked for. */
  private void assertForces(int syncsA, int syncsB, byte[]... keys) {
    int beforeA = nodeA.syncs();
    int beforeB = nodeB.syncs();
    commit(keys);
    assertEquals(syncsA, nodeA.syncs() - beforeA, "syncs of node A (the coordinator's)");
    assertEquals(syncsB, nodeB.syncs() - beforeB, "syncs of node B");
    try (Transaction reader = coordinator.begin()) {
      for (byte[] key : keys) {
        assertEquals("v", text(reader.get(key)));
      }
    }
  }

  private void commit(byte[]... keys) {
    try (Transaction txn = coordinator.begin()) {
      for (byte[] key : keys) {
        txn.put(key, bytes("v"));
      }
      txn.commit();
    }
  }

  /** Another node's shard as its RPC handler serves it: applied there, synced there before the reply when it must be durable. */
  private final class NodeModel implements ShardParticipant {
    private final NodeStorage node;
    private final ShardStore store;

    NodeModel(NodeStorage node, ShardStore store) {
      this.node = node;
      this.store = store;
    }

    @Override
    public int shardId() {
      return store.shardId();
    }

    @Override
    public <R> CompletableFuture<R> send(ShardRequest<R> request) {
      R result = request.applyTo(store, oracle::next);
      if (request.durableBeforeReply(result)) {
        node.sync();
      }
      return CompletableFuture.completedFuture(result);
    }

    @Override
    public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs, RowFilter filter) {
      return store.scan(startInclusive, endExclusive, readTs);
    }
  }

  private static boolean onNodeA(byte[] key) {
    return Keyspaces.keyspaceOf(key) == LOCAL || (key.length > Keyspaces.PREFIX_BYTES && key[Keyspaces.PREFIX_BYTES] % 2 == 0);
  }
}
