package io.shaledb.storage;

import io.shaledb.kv.ByteArrays;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A streaming scan of one shard at a read timestamp, in chunks of the key range.
 *
 * <p>For each chunk it first reads the locks (at most {@link #LOCK_BATCH_MAX} visible ones; the
 * chunk ends at the last of them when there are more), then waits for one-phase commits in the
 * chunk, then streams the chunk's versions from the B-tree. Reading locks before versions for a
 * whole chunk keeps the per-key rule of {@link MapDbShardStore}: a commit that a read at this
 * timestamp must see either left its version in place before the version pass, or still held its
 * lock when the lock pass looked. Memory stays bounded by the lock batch.
 */
final class ShardScanIterator implements ScanIterator {
  static final int LOCK_BATCH_MAX = 256;

  private final MapDbShardStore shard;
  private final byte[] end;
  private final long readTs;

  private byte[] chunkStart;
  private byte[] chunkEnd;
  private final ArrayDeque<Map.Entry<byte[], LockRecord>> chunkLocks = new ArrayDeque<>();
  private Iterator<Map.Entry<byte[], byte[]>> chunkVersions;
  private Map.Entry<byte[], byte[]> peekedVersion;
  private ScanItem next;
  private boolean closed;

  ShardScanIterator(MapDbShardStore shard, byte[] startInclusive, byte[] endExclusive, long readTs) {
    this.shard = shard;
    this.end = endExclusive.clone();
    this.readTs = readTs;
    this.chunkStart = ByteArrays.compare(startInclusive, endExclusive) < 0 ? startInclusive.clone() : null;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !closed) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public ScanItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ScanItem item = next;
    next = null;
    return item;
  }

  @Override
  public void close() {
    closed = true;
    next = null;
    chunkVersions = null;
    peekedVersion = null;
    chunkLocks.clear();
  }

  private ScanItem advance() {
    while (true) {
      if (chunkVersions == null) {
        if (chunkStart == null) {
          return null;
        }
        startChunk();
      }
      Map.Entry<byte[], byte[]> version = peekVersion();
      Map.Entry<byte[], LockRecord> lock = chunkLocks.peekFirst();
      if (version == null && lock == null) {
        chunkStart = Arrays.equals(chunkEnd, end) ? null : chunkEnd;
        chunkVersions = null;
        continue;
      }
      byte[] versionUserKey = version == null ? null : KeyCodec.userKeyOf(version.getKey());
      int order = lock == null ? 1 : versionUserKey == null ? -1 : ByteArrays.compare(lock.getKey(), versionUserKey);
      if (order <= 0) {
        chunkLocks.pollFirst();
        if (order == 0) {
          skipVersionsOf(version.getKey());
        }
        return new ScanItem(lock.getKey(), new ReadResult.Locked(lock.getValue().info(lock.getKey())));
      }
      ReadResult visible = newestVisibleVersionOfPeekedKey();
      if (visible instanceof ReadResult.Value) {
        return new ScanItem(versionUserKey, visible);
      }
    }
  }

  private void startChunk() {
    shard.checkUsable();
    chunkLocks.clear();
    Iterator<Map.Entry<byte[], byte[]>> lockEntries = shard.mayHoldLocks()
        ? shard.lockMap().entryIterator(chunkStart, true, end, false)
        : Collections.emptyIterator();
    chunkEnd = end;
    while (lockEntries.hasNext()) {
      if (chunkLocks.size() == LOCK_BATCH_MAX) {
        chunkEnd = KeyCodec.successor(chunkLocks.peekLast().getKey());
        break;
      }
      Map.Entry<byte[], byte[]> entry = lockEntries.next();
      LockRecord lock = LockRecord.decode(entry.getKey(), entry.getValue());
      if (lock.startTs() <= readTs) {
        chunkLocks.addLast(Map.entry(entry.getKey(), lock));
      }
    }
    shard.awaitOnePhaseCommits(chunkStart, chunkEnd, readTs);
    chunkVersions =
        shard.versionMap().entryIterator(KeyCodec.escapedBound(chunkStart), true, KeyCodec.escapedBound(chunkEnd), false);
    peekedVersion = null;
  }

  private Map.Entry<byte[], byte[]> peekVersion() {
    if (peekedVersion == null && chunkVersions.hasNext()) {
      peekedVersion = chunkVersions.next();
    }
    return peekedVersion;
  }

  /** Consumes every version of the peeked version's key; returns what a read at readTs finds among them (never Locked). */
  private ReadResult newestVisibleVersionOfPeekedKey() {
    byte[] keyVersion = peekedVersion.getKey();
    ReadResult found = null;
    for (Map.Entry<byte[], byte[]> version = peekVersion();
        version != null && KeyCodec.isVersionOf(version.getKey(), keyVersion);
        version = peekVersion()) {
      if (found == null && KeyCodec.commitTsOf(version.getKey()) <= readTs) {
        found = MapDbShardStore.toReadResult(version);
      }
      peekedVersion = null;
    }
    return found == null ? ReadResult.ABSENT : found;
  }

  private void skipVersionsOf(byte[] keyVersion) {
    for (Map.Entry<byte[], byte[]> version = peekVersion();
        version != null && KeyCodec.isVersionOf(version.getKey(), keyVersion);
        version = peekVersion()) {
      peekedVersion = null;
    }
  }
}
