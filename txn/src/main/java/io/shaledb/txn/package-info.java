/**
 * The transactional key-value layer: Percolator-style snapshot-isolation transactions over the
 * MVCC shards of {@code storage-engine}, behind the {@link io.shaledb.kv.KvStore} / {@link
 * io.shaledb.kv.Transaction} interfaces the SQL layer programs against. This page is the protocol
 * in one place; the classes named here keep it, and the invariants it states are checked with
 * {@code assert} where they are kept (tests run with {@code -ea}).
 *
 * <h2>Parts</h2>
 *
 * <pre>
 *   SQL layer ──&gt; KvStore / Transaction                      (common: io.shaledb.kv)
 *                   │
 *                   ▼
 *   TransactionCoordinator ── PercolatorTransaction (buffers writes, reads at startTs)
 *        │          │                 │
 *        │          │                 └─&gt; MergedScanCursor (scans the shards of a key range)
 *        │          ├─&gt; CommitProtocol (1PC / 2PC)  ─┐
 *        │          ├─&gt; LockResolver (locks met)     ├─&gt; ParticipantDirectory ─&gt; ShardParticipant
 *        │          └─&gt; ActiveSnapshots (GC floor)  ─┘     (key → shard)          local: LocalShardParticipant
 *        └─&gt; tso.TimestampOracle                                                   remote: cluster's RemoteShardParticipant
 *
 *   Every shard operation is a ShardRequest record given to ShardParticipant.send (scans: a stream
 *   of ScanPage requests); the local participant applies it to the store, the remote one ships it.
 *
 *   local.LocalKvStore = coordinator + LocalParticipantDirectory + local oracle + VersionCollector
 *   (the single-node store; cluster's ClusterKvStore wires the same coordinator to remote shards)
 * </pre>
 *
 * <h2>Timestamps</h2>
 *
 * One {@link io.shaledb.txn.tso.TimestampOracle} hands out strictly increasing timestamps, across
 * restarts too (the local oracle persists an upper bound and starts above it). A transaction takes
 * {@code startTs} when it begins and, if it writes, a {@code commitTs} after its locks are in
 * place, so {@code commitTs > startTs}.
 *
 * <h2>The read rule</h2>
 *
 * A read at {@code startTs} sees the newest version with {@code commitTs <= startTs} (see {@link
 * io.shaledb.storage.ShardStore}). A lock of a transaction with {@code startTs' <= startTs} hides
 * the key: that transaction may still commit below the reader, so the reader resolves the lock
 * (below) and reads again. Locks of younger transactions are invisible. Hence a read never misses a
 * version that commits at or below its timestamp later. A transaction's own writes are buffered in
 * the transaction and read back from there.
 *
 * <h2>Locks and the primary's status record</h2>
 *
 * At commit one written key, the smallest, is the <em>primary</em>. Every written key gets a lock
 * naming the transaction's {@code startTs}, the primary key, an expiry (wall-clock ms) and the
 * value. The primary's shard keeps the transaction's status record (committed at {@code commitTs},
 * or rolled back): that one record decides the fate of every other lock of the transaction.
 *
 * <h2>One-phase and two-phase commit</h2>
 *
 * {@link io.shaledb.txn.CommitProtocol}: writes that all fall on one shard commit in one request
 * ({@code commitOnePhase}: conflict checks, a commit timestamp, the versions; all or nothing). Writes
 * on several shards: <ol>
 *   <li>prepare every shard at once: fail on a version committed after {@code startTs}
 *       (write-write conflict, SQLSTATE 40001) or on another transaction's lock (resolve or wait,
 *       below); otherwise lock every key with its value;
 *   <li>durability point 1: every shard's locks are durable, or will be with the commit point
 *       (below);
 *   <li>take {@code commitTs}; commit the primary ({@code commitPrimary}): its lock becomes a version
 *       and the status record says committed. This is the commit point;
 *   <li>durability point 2: the commit point is durable before its reply; only then is the commit
 *       acknowledged;
 *   <li>commit the secondaries (in parallel). A failure here does not fail the commit: whoever
 *       meets a left-over lock rolls it forward.
 * </ol>
 * A one-phase commit is durable before its reply as well. If the primary's lock was rolled back
 * meanwhile (it expired and a reader resolved it), {@code commitPrimary} refuses and the
 * transaction fails with 40001, leaving nothing. If the commit point request fails without an
 * answer, the outcome is unknown (SQLSTATE 08007): the locks decide it.
 *
 * <h2>Durability points: the transport's duty</h2>
 *
 * The coordinator never asks for a sync. Each {@link io.shaledb.txn.ShardRequest} declares whether
 * its effects must survive a crash once its reply arrives ({@code durableBeforeReply}: prepare,
 * commit point, one-phase commit, status resolution), and may waive it for a result that wrote
 * nothing the caller relies on (a conflict, a lock met, a refused commit point, a pending status).
 * Every transport honours it: a remote node syncs its storage before it answers; the local
 * transport ({@link io.shaledb.txn.LocalShardParticipant}) syncs through the node's group commit
 * ({@link io.shaledb.txn.LocalLog}: one MapDB database and one redo log for every shard of the
 * node; a sync covers every write made before it, and concurrent requests share one log force).
 *
 * <p>One exception keeps a commit on one node at one log force: <em>a prepare on a shard that
 * shares its primary's log is made durable by the commit point's sync</em>, so the local transport
 * replies to it without a sync of its own. Sound because the commit point is applied to that same
 * log after the locks (the coordinator sends it only once every prepare has replied), it is durable
 * before its reply, and a log sync covers every earlier write; before the commit point nothing
 * relies on the locks (a crash then loses a transaction nobody was told committed). The local
 * transport asserts that a commit point it applies is in its own log. A prepare whose primary is on
 * another node is synced before its reply. Log forces per commit: one shard, 1; several shards of
 * one node, 1; across nodes, 1 for the commit point plus 1 per prepared shard that does not share
 * the primary's log, and 1 per shard prepared through a remote node (a node serving requests over
 * RPC syncs every durable reply, its primary's prepares too). {@code TransportDurabilityTest} counts
 * them.
 *
 * <h2>Lock resolution and TTL</h2>
 *
 * {@link io.shaledb.txn.LockResolver}: a reader or writer that meets a lock asks the primary's
 * shard for the transaction's status ({@code resolveStatus}; a verdict is durable before its reply).
 * Committed: the lock is rolled forward at that {@code commitTs}. Rolled back, or the primary's lock expired (its TTL passed; the status
 * request then records a rollback, so a late commit fails): the lock is removed. Otherwise the
 * transaction may still commit: wait with bounded, jittered back-off and ask again. A live
 * coordinator extends its locks' expiry while it works (the lock lease), so only a dead one's locks
 * expire; a crashed coordinator therefore never blocks others for longer than the TTL.
 *
 * <h2>Wait-die</h2>
 *
 * A transaction that already holds locks and meets the lock of an <em>older</em> transaction does
 * not wait: it fails with 40001 (and rolls back). It waits only for younger ones, so waits never
 * form a cycle and there is no deadlock. One-phase commit holds no lock while it waits.
 *
 * <h2>The GC floor and open snapshots</h2>
 *
 * {@link io.shaledb.txn.ActiveSnapshots} counts the open snapshots per read timestamp. Version
 * collection ({@link io.shaledb.txn.local.VersionCollector}) may remove what no read at or after a
 * safe timestamp needs; {@code advanceFloor} picks that timestamp at or below every open snapshot
 * and below every later oracle timestamp, and raises the readable floor to it (it never goes down;
 * it is persisted, so a restart keeps it). A snapshot opened later lies at or above the floor:
 * fresh ones come from the oracle under the same monitor, and a time-travel read below the floor is
 * refused with SQLSTATE 72000 (snapshot too old).
 */
package io.shaledb.txn;
