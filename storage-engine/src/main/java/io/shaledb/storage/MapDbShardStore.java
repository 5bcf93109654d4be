package io.shaledb.storage;

import io.shaledb.kv.ByteArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * A shard as three MapDB B-trees of the node's database: versions ({@link KeyCodec version keys} to
 * {@link VersionValue}s), locks (key to {@link LockRecord}) and transaction records ({@link
 * KeyCodec#txnKey} to {@link TxnRecord}).
 *
 * <p>Concurrency: every check-then-write section holds the {@link KeyLatches} of its keys; readers
 * take no latch. Writers make each change visible in an order readers can rely on, and readers
 * look in the reverse order: a commit writes the version before it removes the lock, and a reader
 * looks at the lock before the versions. A one-phase commit puts a {@link PendingOnePhase} marker on
 * its keys before taking its commit timestamp and removes it after writing the versions; readers
 * look at markers first. So a reader whose timestamp is at or above a commit's timestamp either
 * sees the version or sees the lock or marker that precedes it.
 */
// "try": latches are scoped by try-with-resources blocks that never touch the Held value.
@SuppressWarnings("try")
final class MapDbShardStore implements ShardStore {
  private static final int LATCH_STRIPES = 1024;
  private static final long ONE_PHASE_WAIT_LIMIT_MS = 30_000;
  /** Map entries a garbage collection batch looks at before it writes its removals and starts the next. */
  static final int GC_BATCH_ENTRIES_MAX = 1024;

  private final int shardId;
  private final StoreMap<byte[], byte[]> versions;
  private final StoreMap<byte[], byte[]> locks;
  private final StoreMap<byte[], byte[]> txns;
  private final CommitGate gate;
  private final KeyLatches latches = new KeyLatches(LATCH_STRIPES);
  private final ConcurrentSkipListMap<byte[], PendingOnePhase> pendingOnePhase = new ConcurrentSkipListMap<>(ByteArrays.UNSIGNED);
  private volatile boolean dropped;

  MapDbShardStore(
      int shardId, StoreMap<byte[], byte[]> versions, StoreMap<byte[], byte[]> locks, StoreMap<byte[], byte[]> txns, CommitGate gate) {
    this.shardId = shardId;
    this.versions = versions;
    this.locks = locks;
    this.txns = txns;
    this.gate = gate;
  }

  @Override
  public int shardId() {
    return shardId;
  }

  @Override
  public ReadResult read(byte[] key, long readTs) {
    Objects.requireNonNull(key, "key");
    requireTimestamp(readTs, "readTs");
    checkUsable();
    awaitOnePhaseCommit(key, readTs);
    LockRecord lock = lockOf(key);
    if (lock != null && lock.startTs() <= readTs) {
      return new ReadResult.Locked(lock.info(key));
    }
    byte[] seek = KeyCodec.versionKey(key, readTs);
    Map.Entry<byte[], byte[]> version = versions.ceilingEntry(seek);
    if (version == null || !KeyCodec.isVersionOf(version.getKey(), seek)) {
      return ReadResult.ABSENT;
    }
    return toReadResult(version);
  }

  @Override
  public ScanIterator scan(byte[] startInclusive, byte[] endExclusive, long readTs) {
    Objects.requireNonNull(startInclusive, "startInclusive");
    Objects.requireNonNull(endExclusive, "endExclusive");
    requireTimestamp(readTs, "readTs");
    checkUsable();
    return new ShardScanIterator(this, startInclusive, endExclusive, readTs);
  }

  @Override
  public PrepareResult prepare(long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs) {
    requireTimestamp(startTs, "startTs");
    Objects.requireNonNull(primaryKey, "primaryKey");
    List<byte[]> keys = distinctKeys(mutations);
    try (KeyLatches.Held held = latches.lockAll(keys)) {
      checkUsable();
      List<Mutation> toLock = new ArrayList<>(mutations.size());
      for (Mutation mutation : mutations) {
        LockRecord existing = lockOf(mutation.key());
        if (existing != null) {
          if (existing.startTs() == startTs) {
            continue; // this transaction's earlier prepare of the key
          }
          return new PrepareResult.KeyLocked(existing.info(mutation.key()));
        }
        long newestCommitTs = newestCommitTs(mutation.key());
        if (newestCommitTs > startTs) {
          return new PrepareResult.WriteConflict(mutation.key().clone(), newestCommitTs);
        }
        toLock.add(mutation);
      }
      if (!toLock.isEmpty()) {
        byte[] primary = primaryKey.clone();
        gate.write(
            () -> {
              for (Mutation mutation : toLock) {
                byte[] key = mutation.key().clone();
                byte[] value = mutation.isDelete() ? null : mutation.value().clone();
                locks.put(key, new LockRecord(startTs, primary, lockExpiresAtMs, value).encode(key));
              }
            });
      }
      return PrepareResult.PREPARED;
    }
  }

  @Override
  public boolean commitPrimary(long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys) {
    requireCommitAfterStart(startTs, commitTs);
    Objects.requireNonNull(primaryKey, "primaryKey");
    List<byte[]> keys = new ArrayList<>(otherKeys.size() + 1);
    keys.add(primaryKey);
    keys.addAll(otherKeys);
    try (KeyLatches.Held held = latches.lockAll(keys)) {
      checkUsable();
      byte[] txnKey = KeyCodec.txnKey(primaryKey, startTs);
      byte[] record = txns.get(txnKey);
      if (record != null) {
        return TxnRecord.decode(record) instanceof TxnStatus.Committed;
      }
      LockRecord primaryLock = lockOf(primaryKey);
      if (primaryLock == null || primaryLock.startTs() != startTs) {
        return false;
      }
      List<byte[]> lockedKeys = ownLockedKeys(startTs, distinct(keys));
      List<LockRecord> lockRecords = new ArrayList<>(lockedKeys.size());
      for (byte[] key : lockedKeys) {
        lockRecords.add(lockOf(key));
      }
      gate.write(
          () -> {
            for (int i = 0; i < lockedKeys.size(); i++) {
              versions.put(KeyCodec.versionKey(lockedKeys.get(i), commitTs), VersionValue.encode(lockRecords.get(i).value()));
            }
            txns.put(txnKey, TxnRecord.committed(commitTs));
            for (byte[] key : lockedKeys) {
              locks.remove(key);
            }
          });
      return true;
    }
  }

  @Override
  public void commitSecondaries(long startTs, long commitTs, List<byte[]> keys) {
    requireCommitAfterStart(startTs, commitTs);
    try (KeyLatches.Held held = latches.lockAll(keys)) {
      checkUsable();
      List<byte[]> lockedKeys = ownLockedKeys(startTs, distinct(keys));
      if (lockedKeys.isEmpty()) {
        return;
      }
      List<LockRecord> lockRecords = new ArrayList<>(lockedKeys.size());
      for (byte[] key : lockedKeys) {
        lockRecords.add(lockOf(key));
      }
      gate.write(
          () -> {
            for (int i = 0; i < lockedKeys.size(); i++) {
              versions.put(KeyCodec.versionKey(lockedKeys.get(i), commitTs), VersionValue.encode(lockRecords.get(i).value()));
            }
            for (byte[] key : lockedKeys) {
              locks.remove(key);
            }
          });
    }
  }

  @Override
  public void rollback(long startTs, byte[] primaryKey, List<byte[]> keys) {
    requireTimestamp(startTs, "startTs");
    Objects.requireNonNull(primaryKey, "primaryKey");
    try (KeyLatches.Held held = latches.lockAll(keys)) {
      checkUsable();
      List<byte[]> distinctKeys = distinct(keys);
      boolean includesPrimary = distinctKeys.stream().anyMatch(key -> Arrays.equals(key, primaryKey));
      byte[] txnKey = KeyCodec.txnKey(primaryKey, startTs);
      boolean recordRollback = false;
      if (includesPrimary) {
        byte[] record = txns.get(txnKey);
        if (record != null && TxnRecord.decode(record) instanceof TxnStatus.Committed committed) {
          throw new IllegalStateException("transaction " + startTs + " already committed at " + committed.commitTs() + "; it cannot roll back");
        }
        recordRollback = record == null;
      }
      List<byte[]> lockedKeys = ownLockedKeys(startTs, distinctKeys);
      if (lockedKeys.isEmpty() && !recordRollback) {
        return;
      }
      boolean writeRecord = recordRollback;
      gate.write(
          () -> {
            if (writeRecord) {
              txns.put(txnKey, TxnRecord.rolledBack());
            }
            for (byte[] key : lockedKeys) {
              locks.remove(key);
            }
          });
    }
  }

  @Override
  public TxnStatus resolveStatus(byte[] primaryKey, long startTs, long nowMs) {
    Objects.requireNonNull(primaryKey, "primaryKey");
    requireTimestamp(startTs, "startTs");
    try (KeyLatches.Held held = latches.lock(primaryKey)) {
      checkUsable();
      byte[] txnKey = KeyCodec.txnKey(primaryKey, startTs);
      byte[] record = txns.get(txnKey);
      if (record != null) {
        return TxnRecord.decode(record);
      }
      LockRecord lock = lockOf(primaryKey);
      boolean locked = lock != null && lock.startTs() == startTs;
      if (locked && lock.expiresAtMs() >= nowMs) {
        return new TxnStatus.Pending(lock.expiresAtMs());
      }
      gate.write(
          () -> {
            txns.put(txnKey, TxnRecord.rolledBack());
            if (locked) {
              locks.remove(primaryKey);
            }
          });
      return TxnStatus.ROLLED_BACK;
    }
  }

  @Override
  public void extendLocks(long startTs, List<byte[]> keys, long lockExpiresAtMs) {
    requireTimestamp(startTs, "startTs");
    try (KeyLatches.Held held = latches.lockAll(keys)) {
      checkUsable();
      List<byte[]> lockedKeys = ownLockedKeys(startTs, distinct(keys));
      if (lockedKeys.isEmpty()) {
        return;
      }
      List<LockRecord> extended = new ArrayList<>(lockedKeys.size());
      for (byte[] key : lockedKeys) {
        extended.add(lockOf(key).withExpiry(lockExpiresAtMs));
      }
      gate.write(
          () -> {
            for (int i = 0; i < lockedKeys.size(); i++) {
              byte[] key = lockedKeys.get(i);
              locks.put(key, extended.get(i).encode(key));
            }
          });
    }
  }

  @Override
  public OnePhaseResult commitOnePhase(long startTs, List<Mutation> mutations, LongSupplier commitTimestamps) {
    requireTimestamp(startTs, "startTs");
    Objects.requireNonNull(commitTimestamps, "commitTimestamps");
    List<byte[]> keys = distinctKeys(mutations);
    try (KeyLatches.Held held = latches.lockAll(keys)) {
      checkUsable();
      for (Mutation mutation : mutations) {
        LockRecord existing = lockOf(mutation.key());
        if (existing != null) {
          return new OnePhaseResult.KeyLocked(existing.info(mutation.key()));
        }
        long newestCommitTs = newestCommitTs(mutation.key());
        if (newestCommitTs > startTs) {
          return new OnePhaseResult.WriteConflict(mutation.key().clone(), newestCommitTs);
        }
      }
      List<byte[]> ownKeys = new ArrayList<>(keys.size());
      List<byte[]> encodedValues = new ArrayList<>(keys.size());
      for (Mutation mutation : mutations) {
        ownKeys.add(mutation.key().clone());
        encodedValues.add(VersionValue.encode(mutation.value()));
      }
      PendingOnePhase pending = new PendingOnePhase(startTs);
      for (byte[] key : ownKeys) {
        pendingOnePhase.put(key, pending);
      }
      try {
        long commitTs = commitTimestamps.getAsLong();
        requireCommitAfterStart(startTs, commitTs);
        pending.commitTimestampTaken(commitTs);
        gate.write(
            () -> {
              for (int i = 0; i < ownKeys.size(); i++) {
                versions.put(KeyCodec.versionKey(ownKeys.get(i), commitTs), encodedValues.get(i));
              }
            });
        return new OnePhaseResult.Committed(commitTs);
      } finally {
        for (byte[] key : ownKeys) {
          pendingOnePhase.remove(key, pending);
        }
        pending.finish();
      }
    }
  }

  @Override
  public List<LockInfo> locks() {
    checkUsable();
    List<LockInfo> result = new ArrayList<>();
    Iterator<Map.Entry<byte[], byte[]>> entries = locks.entryIterator();
    while (entries.hasNext()) {
      Map.Entry<byte[], byte[]> entry = entries.next();
      result.add(LockRecord.decode(entry.getKey(), entry.getValue()).info(entry.getKey()));
    }
    return result;
  }

  @Override
  public GcResult collectGarbage(long safeTs) {
    requireTimestamp(safeTs, "safeTs");
    checkUsable();
    // No latches: removals only touch versions no read at or after safeTs looks at, and no
    // check-then-write section decides differently without them (a prepare's conflict check asks
    // whether a version is newer than its start, which is at or above safeTs).
    long[] versionCounts = collectVersions(safeTs);
    long[] txnCounts = collectTxnRecords(safeTs);
    return new GcResult(versionCounts[0], versionCounts[1], versionCounts[2], txnCounts[0], txnCounts[1]);
  }

  /** Returns {kept, removed, tombstones removed}. */
  private long[] collectVersions(long safeTs) {
    long examined = 0;
    long removed = 0;
    long tombstones = 0;
    byte[] resumeAfter = null;
    byte[] currentKey = null; // a version key of the user key being swept
    boolean boundaryPassed = false; // the current key's version visible at safeTs was seen
    byte[] pendingTombstone = null; // that version, when it is a tombstone: removed after every older one
    while (true) {
      checkUsable();
      Iterator<Map.Entry<byte[], byte[]>> entries =
          versions.entryIterator(resumeAfter, false, null, false);
      List<byte[]> batch = new ArrayList<>();
      int looked = 0;
      while (looked < GC_BATCH_ENTRIES_MAX && entries.hasNext()) {
        Map.Entry<byte[], byte[]> entry = entries.next();
        byte[] versionKey = entry.getKey();
        looked++;
        resumeAfter = versionKey;
        if (currentKey == null || !KeyCodec.isVersionOf(versionKey, currentKey)) {
          if (pendingTombstone != null) {
            batch.add(pendingTombstone);
            tombstones++;
          }
          currentKey = versionKey;
          boundaryPassed = false;
          pendingTombstone = null;
        }
        if (boundaryPassed) {
          batch.add(versionKey);
        } else if (KeyCodec.commitTsOf(versionKey) <= safeTs) {
          boundaryPassed = true;
          if (VersionValue.isTombstone(entry.getValue())) {
            pendingTombstone = versionKey;
          }
        }
      }
      examined += looked;
      boolean finished = !entries.hasNext();
      if (finished && pendingTombstone != null) {
        batch.add(pendingTombstone);
        tombstones++;
        pendingTombstone = null;
      }
      if (!batch.isEmpty()) {
        // In key order, so a tombstone goes after the older versions it hides: a concurrent reader
        // never finds an older version of a key whose tombstone is already gone.
        gate.write(() -> batch.forEach(versions::remove));
        removed += batch.size();
      }
      if (finished) {
        return new long[] {examined - removed, removed, tombstones};
      }
    }
  }

  /** Returns {kept, removed}. */
  private long[] collectTxnRecords(long safeTs) {
    long examined = 0;
    long removed = 0;
    byte[] resumeAfter = null;
    while (true) {
      checkUsable();
      Iterator<Map.Entry<byte[], byte[]>> records = txns.entryIterator(resumeAfter, false, null, false);
      List<byte[]> batch = new ArrayList<>();
      int looked = 0;
      while (looked < GC_BATCH_ENTRIES_MAX && records.hasNext()) {
        byte[] txnKey = records.next().getKey();
        looked++;
        resumeAfter = txnKey;
        long startTs = KeyCodec.readLong(txnKey, txnKey.length - KeyCodec.TIMESTAMP_BYTES);
        if (startTs >= safeTs) {
          continue;
        }
        // The caller promised no such lock exists; keeping the record if one does costs nothing
        // and keeps that lock resolvable.
        LockRecord primaryLock = lockOf(KeyCodec.userKeyOf(txnKey));
        if (primaryLock == null || primaryLock.startTs() != startTs) {
          batch.add(txnKey);
        }
      }
      examined += looked;
      if (!batch.isEmpty()) {
        gate.write(() -> batch.forEach(txns::remove));
        removed += batch.size();
      }
      if (!records.hasNext()) {
        return new long[] {examined - removed, removed};
      }
    }
  }

  // ---- used by ShardScanIterator and MapDbNodeStorage ----

  StoreMap<byte[], byte[]> versionMap() {
    return versions;
  }

  StoreMap<byte[], byte[]> lockMap() {
    return locks;
  }

  /** The shard's maps, for emptying and compacting them. */
  List<StoreMap<byte[], byte[]>> maps() {
    return List.of(versions, locks, txns);
  }

  /** Waits for the one-phase commits on keys in {@code [from, to)} that a read at {@code readTs} could see. */
  void awaitOnePhaseCommits(byte[] from, byte[] to, long readTs) {
    if (pendingOnePhase.isEmpty()) {
      return;
    }
    ConcurrentNavigableMap<byte[], PendingOnePhase> range = ByteArrays.compare(from, to) < 0 ? pendingOnePhase.subMap(from, to) : null;
    if (range == null) {
      return;
    }
    Set<PendingOnePhase> awaited = new HashSet<>();
    for (PendingOnePhase pending : range.values()) {
      if (pending.mayBeVisibleAt(readTs) && awaited.add(pending)) {
        pending.awaitFinished(ONE_PHASE_WAIT_LIMIT_MS);
      }
    }
  }

  void checkUsable() {
    gate.checkUsable();
    if (dropped) {
      throw new IllegalStateException("shard " + shardId + " was dropped");
    }
  }

  void markDropped() {
    dropped = true;
  }

  static ReadResult toReadResult(Map.Entry<byte[], byte[]> version) {
    byte[] encoded = version.getValue();
    if (VersionValue.isTombstone(encoded)) {
      return ReadResult.ABSENT;
    }
    return new ReadResult.Value(VersionValue.valueOf(encoded), KeyCodec.commitTsOf(version.getKey()));
  }

  private void awaitOnePhaseCommit(byte[] key, long readTs) {
    if (pendingOnePhase.isEmpty()) {
      return;
    }
    PendingOnePhase pending = pendingOnePhase.get(key);
    // Wait for the marker seen, not for later ones: a marker installed after this look takes its
    // commit timestamp later still, above any read timestamp already handed out.
    if (pending != null && pending.mayBeVisibleAt(readTs)) {
      pending.awaitFinished(ONE_PHASE_WAIT_LIMIT_MS);
    }
  }

  private LockRecord lockOf(byte[] key) {
    byte[] encoded = locks.get(key);
    return encoded == null ? null : LockRecord.decode(key, encoded);
  }

  /** The commit timestamp of the key's newest version (tombstones included), or -1. */
  private long newestCommitTs(byte[] key) {
    byte[] newest = KeyCodec.newestVersionKey(key);
    byte[] found = versions.ceilingKey(newest);
    if (found == null || !KeyCodec.isVersionOf(found, newest)) {
      return -1;
    }
    return KeyCodec.commitTsOf(found);
  }

  private List<byte[]> ownLockedKeys(long startTs, List<byte[]> keys) {
    List<byte[]> owned = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      LockRecord lock = lockOf(key);
      if (lock != null && lock.startTs() == startTs) {
        owned.add(key.clone());
      }
    }
    return owned;
  }

  private static List<byte[]> distinctKeys(List<Mutation> mutations) {
    Objects.requireNonNull(mutations, "mutations");
    List<byte[]> keys = new ArrayList<>(mutations.size());
    for (Mutation mutation : mutations) {
      keys.add(Objects.requireNonNull(mutation, "mutation").key());
    }
    if (distinct(keys).size() != keys.size()) {
      throw new IllegalArgumentException("a key appears in more than one mutation");
    }
    return keys;
  }

  private static List<byte[]> distinct(List<byte[]> keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.size() <= 1) {
      keys.forEach(key -> Objects.requireNonNull(key, "key"));
      return keys;
    }
    TreeMap<byte[], Boolean> seen = new TreeMap<>(ByteArrays.UNSIGNED);
    List<byte[]> result = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      if (seen.putIfAbsent(Objects.requireNonNull(key, "key"), Boolean.TRUE) == null) {
        result.add(key);
      }
    }
    return result;
  }

  private static void requireTimestamp(long timestamp, String name) {
    if (timestamp < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + timestamp);
    }
  }

  private static void requireCommitAfterStart(long startTs, long commitTs) {
    requireTimestamp(startTs, "startTs");
    if (commitTs <= startTs) {
      throw new IllegalArgumentException("commitTs " + commitTs + " must be after startTs " + startTs);
    }
  }
}
