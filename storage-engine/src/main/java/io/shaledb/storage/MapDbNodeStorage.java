package io.shaledb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.mapdb.BTreeMap;
import org.mapdb.Serializer;

/**
 * All shards of a node in one MapDB database.
 *
 * <p>File mode: {@code <directory>/shaledb.db} is a MapDB transactional store ({@code StoreWAL},
 * what {@code DBMaker.transactionEnable()} builds) over a {@link RedoLogVolume}, whose log {@code
 * <directory>/shaledb.redo} makes every MapDB commit atomic on disk. {@link #sync()} is a group
 * commit run by a {@link GroupCommitter}: one MapDB commit plus one forced log append serve every
 * thread waiting meanwhile. Memory mode: a MapDB memory store; {@link #sync()} does nothing.
 *
 * <p>Maps: {@code shards} (the shard set), {@code meta} (named values), and per shard {@code
 * shard.<id>.versions}, {@code .locks} and {@code .txns} (see {@link MapDbShardStore}). MapDB 3.1
 * cannot delete a named map, so dropping a shard empties its maps; creating it again reuses them,
 * and the next compaction leaves them out.
 *
 * <p>Compaction: MapDB 3.1 never gives space back. Its B-tree keeps nodes that removals emptied,
 * its allocator reuses a freed record only for a record of exactly the same size (a B-tree node
 * changes size with nearly every write), and it carves the chunks of its free lists from fresh
 * space every time. Under version churn the store therefore fills with free space it will not use
 * ({@code StoreWAL.compact()} does nothing). {@link #compact()} copies the live maps into a fresh
 * database (in file mode a new file, {@code shaledb.db.compacting}, with its own redo log) while
 * the node keeps serving, recording the keys written meanwhile; it then copies those keys again,
 * and with writes shut out copies the last ones, makes both stores durable, renames the new file
 * over the old one and continues in it. The redo log's records all belong to the old file until
 * the checkpoint just before the rename, and to the new one after it, so replay after a crash
 * always meets the file they were written for.
 */
final class MapDbNodeStorage implements NodeStorage {
  static final String DATA_FILE = PersistedNames.DATA_FILE;
  static final String LOG_FILE = PersistedNames.LOG_FILE;
  static final String COMPACTING_DATA_FILE = PersistedNames.COMPACTING_DATA_FILE;
  static final String COMPACTING_LOG_FILE = PersistedNames.COMPACTING_LOG_FILE;
  /** Meta value: the store's size right after the last compaction (8 bytes), the measure of its live data. */
  static final String COMPACTED_BYTES_META = PersistedNames.COMPACTED_BYTES_META;
  /** Below this a store is never compacted by {@link #compactIfWasteful}: its waste costs little. */
  static final long COMPACTION_MIN_BYTES = 8L << 20;
  private static final long LOG_CHECKPOINT_BYTES = 64L << 20;
  private static final Duration IDLE_COMMIT_INTERVAL = Duration.ofMillis(200);
  private static final int DROP_BATCH_ENTRIES = 1024;
  /** Entries compaction copies into the new store between its commits (bounds what MapDB buffers). */
  private static final int COPY_BATCH_ENTRIES = 4096;
  /** Catch-up rounds without blocking writes before the final one under the write barrier. */
  private static final int CATCH_UP_ROUNDS_MAX = 8;
  /** Few enough written keys to copy with writes shut out. */
  private static final int CATCH_UP_FINAL_KEYS = 4096;
  private static final long PROGRESS_ENTRIES = 1_000_000;
  private static final System.Logger LOG = System.getLogger(MapDbNodeStorage.class.getName());

  private final Path directory;
  private final AtomicReference<StoreGeneration> generation;
  private final CommitGate gate;
  private final GroupCommitter committer;
  /** Held by each commit-and-flush and by compaction's swap: a commit never straddles generations. */
  private final ReentrantLock commitLock = new ReentrantLock();
  private final StoreMap<Integer, Boolean> shardSet;
  private final StoreMap<String, byte[]> meta;
  private final ConcurrentHashMap<Integer, MapDbShardStore> shards = new ConcurrentHashMap<>();
  /** Serializes shard creation and removal, compaction and close. */
  private final Object shardSetChange = new Object();
  private volatile boolean closing;
  private volatile boolean closed;
  /** Guarded by shardSetChange. */
  private long compactedBytes;

  private MapDbNodeStorage(StoreGeneration first, Path directory, CommitGate gate) {
    this.directory = directory;
    this.generation = new AtomicReference<>(first);
    this.gate = gate;
    this.shardSet = new StoreMap<>(new MapSpec<>(PersistedNames.SHARDS_MAP, Serializer.INTEGER, Serializer.BOOLEAN), generation);
    this.meta = new StoreMap<>(new MapSpec<>(PersistedNames.META_MAP, Serializer.STRING, Serializer.BYTE_ARRAY), generation);
    for (Iterator<Map.Entry<Integer, Boolean>> ids = shardSet.entryIterator(); ids.hasNext(); ) {
      int shardId = ids.next().getKey();
      shards.put(shardId, openShard(shardId));
    }
    byte[] compacted = meta.get(COMPACTED_BYTES_META);
    this.compactedBytes = compacted == null ? first.bytes() : ByteBuffer.wrap(compacted).getLong();
    if (first.isDurable()) {
      commitAndFlush();
      this.committer = new GroupCommitter("shaledb-syncer", this::commitAndFlush, gate, IDLE_COMMIT_INTERVAL);
    } else {
      this.committer = null;
    }
  }

  static MapDbNodeStorage open(StorageConfig config) {
    Objects.requireNonNull(config, "config");
    CommitGate gate = new CommitGate();
    if (config.isInMemory()) {
      return new MapDbNodeStorage(StoreGeneration.inMemory(), null, gate);
    }
    StoreGeneration first = null;
    try {
      Files.createDirectories(config.directory());
      // Leftovers of a compaction cut short: never the live store, which is always DATA_FILE.
      Files.deleteIfExists(config.directory().resolve(COMPACTING_DATA_FILE));
      Files.deleteIfExists(config.directory().resolve(COMPACTING_LOG_FILE));
      first = StoreGeneration.openFile(config.directory().resolve(DATA_FILE), config.directory().resolve(LOG_FILE), LOG_CHECKPOINT_BYTES);
      // After opening, so that the files just created are covered; the directory's 0700 covers
      // those created later (compaction's), whatever their own mode.
      PrivateFiles.restrict(config.directory());
      return new MapDbNodeStorage(first, config.directory(), gate);
    } catch (IOException e) {
      releaseQuietly(first);
      throw new UncheckedIOException("cannot open storage in " + config.directory(), e);
    } catch (RuntimeException | Error e) {
      releaseQuietly(first);
      throw e;
    }
  }

  @Override
  public ShardStore createShard(int shardId) {
    synchronized (shardSetChange) {
      checkOpen();
      MapDbShardStore existing = shards.get(shardId);
      if (existing != null) {
        return existing;
      }
      MapDbShardStore shard = openShard(shardId);
      // Creating a map writes MapDB's catalog: like any write, between commits.
      gate.write(() -> shard.maps().forEach(StoreMap::createIfAbsent));
      // Leftovers of a drop cut short by a crash: the shard left the set before its maps were emptied.
      clearMaps(shard);
      gate.write(() -> shardSet.put(shardId, Boolean.TRUE));
      shards.put(shardId, shard);
      return shard;
    }
  }

  @Override
  public ShardStore shard(int shardId) {
    checkOpen();
    MapDbShardStore shard = shards.get(shardId);
    if (shard == null) {
      throw new IllegalStateException("no shard " + shardId);
    }
    return shard;
  }

  @Override
  public void dropShard(int shardId) {
    synchronized (shardSetChange) {
      checkOpen();
      MapDbShardStore shard = shards.remove(shardId);
      if (shard == null) {
        return;
      }
      shard.markDropped();
      // Leave the set first: any commit that persists part of the emptying also persists this.
      gate.write(() -> shardSet.remove(shardId));
      clearMaps(shard);
    }
  }

  @Override
  public Set<Integer> shardIds() {
    checkOpen();
    return Collections.unmodifiableSet(new TreeSet<>(shards.keySet()));
  }

  @Override
  public byte[] getMeta(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    byte[] value = meta.get(name);
    return value == null ? null : value.clone();
  }

  @Override
  public void putMeta(String name, byte[] value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    checkOpen();
    byte[] copy = value.clone();
    gate.write(() -> meta.put(name, copy));
  }

  @Override
  public void sync() {
    checkOpen();
    if (committer != null) {
      committer.sync();
    }
  }

  @Override
  public long storeBytes() {
    checkOpen();
    return generation.get().bytes();
  }

  @Override
  public CompactionResult compact() {
    synchronized (shardSetChange) {
      checkOpen();
      return compactLocked();
    }
  }

  @Override
  public CompactionResult compactIfWasteful() {
    synchronized (shardSetChange) {
      checkOpen();
      long bytes = generation.get().bytes();
      long threshold = Math.max(COMPACTION_MIN_BYTES, 2 * compactedBytes);
      if (bytes <= threshold) {
        return new CompactionResult.NotDue(bytes, threshold);
      }
      return compactLocked();
    }
  }

  @Override
  public boolean isDurable() {
    return directory != null;
  }

  /** Closes the storage, first making everything written durable (file mode). Idempotent. */
  @Override
  public void close() {
    closing = true; // a running compaction gives up at its next batch
    synchronized (shardSetChange) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // Refuse new writes first; the final commit then covers every write that got in.
    gate.close();
    StoreGeneration current = generation.get();
    try {
      if (committer != null) {
        committer.close();
        current.checkpoint();
      }
    } finally {
      if (gate.failure() == null) {
        current.close();
      } else {
        current.releaseFile();
      }
    }
  }

  /** MapDB commits run so far by {@link #sync()} and the background committer (tests observe group commit with it). */
  long commitCount() {
    return committer == null ? 0 : committer.commitCount();
  }

  /** Bytes in the redo log since its last checkpoint. */
  long redoLogBytes() {
    return generation.get().redoLogBytes();
  }

  private void commitAndFlush() {
    commitLock.lock();
    try {
      StoreGeneration current = generation.get();
      gate.exclusive(current::commit);
      current.flush();
    } finally {
      commitLock.unlock();
    }
  }

  private void checkpointCurrent() {
    commitLock.lock();
    try {
      StoreGeneration current = generation.get();
      gate.exclusive(current::commit);
      current.checkpoint();
    } finally {
      commitLock.unlock();
    }
  }

  private MapDbShardStore openShard(int shardId) {
    return new MapDbShardStore(shardId, byteMap(PersistedNames.versionsMap(shardId)), byteMap(PersistedNames.locksMap(shardId)),
        byteMap(PersistedNames.txnsMap(shardId)), gate);
  }

  private StoreMap<byte[], byte[]> byteMap(String name) {
    return new StoreMap<>(new MapSpec<>(name, Serializer.BYTE_ARRAY_DELTA, Serializer.BYTE_ARRAY), generation);
  }

  /** Empties a shard's maps in bounded batches, so commits (and their in-memory buffers) interleave. */
  private void clearMaps(MapDbShardStore shard) {
    for (StoreMap<byte[], byte[]> map : shard.maps()) {
      while (true) {
        List<byte[]> batch = new ArrayList<>(DROP_BATCH_ENTRIES);
        Iterator<Map.Entry<byte[], byte[]>> entries = map.entryIterator();
        while (entries.hasNext() && batch.size() < DROP_BATCH_ENTRIES) {
          batch.add(entries.next().getKey());
        }
        if (batch.isEmpty()) {
          break;
        }
        gate.write(() -> batch.forEach(map::remove));
      }
    }
  }

  /** The maps a compaction carries over: those of live shards and the node's own. */
  private List<StoreMap<?, ?>> liveMaps() {
    List<StoreMap<?, ?>> maps = new ArrayList<>();
    maps.add(shardSet);
    maps.add(meta);
    for (MapDbShardStore shard : shards.values()) {
      maps.addAll(shard.maps());
    }
    return maps;
  }

  /** Holding shardSetChange, so the set of maps stays fixed. */
  private CompactionResult compactLocked() {
    StoreGeneration old = generation.get();
    long bytesBefore = old.bytes();
    List<StoreMap<?, ?>> maps = liveMaps();
    LOG.log(System.Logger.Level.INFO, "compacting node storage: {0} KB in {1} maps", bytesBefore >> 10, maps.size());
    StoreGeneration fresh = createFresh();
    boolean swapped = false;
    try {
      gate.exclusive(() -> maps.forEach(StoreMap::startRecordingWrites));
      long copied = 0;
      for (StoreMap<?, ?> map : maps) {
        copied = copyEntries(map, old, fresh, copied);
      }
      long recopied = 0;
      for (int round = 0; round < CATCH_UP_ROUNDS_MAX; round++) {
        long keys = recopyWrittenKeys(maps, old, fresh);
        recopied += keys;
        if (keys <= CATCH_UP_FINAL_KEYS) {
          break;
        }
      }
      if (fresh.isDurable()) {
        // Force both files now, so the forces under the write barrier only cover the last changes.
        fresh.checkpoint();
        checkpointCurrent();
      }
      recopied += swap(maps, old, fresh);
      swapped = true;
      long bytesAfter = generation.get().bytes();
      compactedBytes = bytesAfter;
      LOG.log(System.Logger.Level.INFO, "compacted node storage: {0} KB -> {1} KB ({2} entries copied, {3} keys copied again)",
          bytesBefore >> 10, bytesAfter >> 10, copied, recopied);
      return new CompactionResult.Compacted(bytesBefore, bytesAfter, copied, recopied);
    } finally {
      if (!swapped) {
        gate.exclusive(() -> maps.forEach(StoreMap::stopRecordingWrites));
        discard(fresh);
      }
    }
  }

  private StoreGeneration createFresh() {
    if (directory == null) {
      return StoreGeneration.inMemory();
    }
    try {
      Files.deleteIfExists(directory.resolve(COMPACTING_DATA_FILE));
      Files.deleteIfExists(directory.resolve(COMPACTING_LOG_FILE));
      return StoreGeneration.openFile(directory.resolve(COMPACTING_DATA_FILE), directory.resolve(COMPACTING_LOG_FILE), LOG_CHECKPOINT_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the compacted store in " + directory, e);
    }
  }

  private void discard(StoreGeneration fresh) {
    fresh.releaseFile();
    if (directory != null) {
      try {
        Files.deleteIfExists(directory.resolve(COMPACTING_DATA_FILE));
        Files.deleteIfExists(directory.resolve(COMPACTING_LOG_FILE));
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot delete an abandoned compacted store; the next open deletes it", e);
      }
    }
  }

  /** Streams one map's entries into the fresh store, committing it in batches. Returns the running total. */
  private <K, V> long copyEntries(StoreMap<K, V> map, StoreGeneration old, StoreGeneration fresh, long copiedBefore) {
    BTreeMap<K, V> target = fresh.map(map.spec());
    long copied = copiedBefore;
    Iterator<? extends Map.Entry<K, V>> entries = old.map(map.spec()).entryIterator();
    while (entries.hasNext()) {
      Map.Entry<K, V> entry = entries.next();
      target.put(entry.getKey(), entry.getValue());
      copied++;
      if (copied % COPY_BATCH_ENTRIES == 0) {
        commitFresh(fresh);
      }
      if (copied % PROGRESS_ENTRIES == 0) {
        LOG.log(System.Logger.Level.INFO, "compacting node storage: {0} entries copied", copied);
      }
    }
    return copied;
  }

  private void commitFresh(StoreGeneration fresh) {
    if (closing) {
      throw new IllegalStateException("storage is closing; compaction abandoned");
    }
    gate.checkUsable();
    fresh.commit();
    if (fresh.isDurable()) {
      fresh.flush();
    }
  }

  /** One catch-up round while writers go on: copies the keys written since the previous round. */
  private long recopyWrittenKeys(List<StoreMap<?, ?>> maps, StoreGeneration old, StoreGeneration fresh) {
    List<Set<?>> written = new ArrayList<>(maps.size());
    gate.exclusive(() -> maps.forEach(map -> written.add(map.takeWrittenKeys())));
    long keys = 0;
    for (int i = 0; i < maps.size(); i++) {
      keys += recopy(maps.get(i), written.get(i), old, fresh);
    }
    commitFresh(fresh);
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> long recopy(StoreMap<K, V> map, Set<?> keys, StoreGeneration old, StoreGeneration fresh) {
    BTreeMap<K, V> source = old.map(map.spec());
    BTreeMap<K, V> target = fresh.map(map.spec());
    for (Object key : keys) {
      V value = source.get((K) key);
      if (value == null) {
        target.remove((K) key);
      } else {
        target.put((K) key, value);
      }
    }
    return keys.size();
  }

  /**
   * With commits and writes shut out: copies the last written keys, makes both stores durable and
   * continues in the fresh one. Returns the keys copied.
   */
  private long swap(List<StoreMap<?, ?>> maps, StoreGeneration old, StoreGeneration fresh) {
    long[] recopied = {0};
    commitLock.lock();
    try {
      gate.exclusive(
          () -> {
            for (StoreMap<?, ?> map : maps) {
              recopied[0] += recopy(map, map.takeWrittenKeys(), old, fresh);
            }
            fresh.map(meta.spec()).put(COMPACTED_BYTES_META, ByteBuffer.allocate(Long.BYTES).putLong(fresh.bytes()).array());
            fresh.commit();
            old.commit();
            if (directory == null) {
              generation.set(fresh);
            } else {
              generation.set(replaceFile(old, fresh));
            }
            maps.forEach(StoreMap::stopRecordingWrites);
          });
    } finally {
      commitLock.unlock();
    }
    return recopied[0];
  }

  /**
   * Makes the fresh file the node's data file and returns it opened with the node's redo log. Both
   * stores are committed; nothing writes to either meanwhile.
   */
  private StoreGeneration replaceFile(StoreGeneration old, StoreGeneration fresh) {
    // The old file gets every logged change and the log starts an epoch with no record: whichever
    // file is in place after a crash, replay has nothing to apply to it.
    old.flush();
    old.checkpoint();
    fresh.checkpoint();
    fresh.close();
    try {
      Files.delete(directory.resolve(COMPACTING_LOG_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the compacted store's log", e);
    }
    // From here on the node's log may only get records for the new file: a failure stops the node.
    try {
      Files.move(directory.resolve(COMPACTING_DATA_FILE), directory.resolve(DATA_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(directory);
      old.releaseFile();
      return StoreGeneration.openFile(directory.resolve(DATA_FILE), directory.resolve(LOG_FILE), LOG_CHECKPOINT_BYTES);
    } catch (IOException e) {
      gate.fail(e);
      throw new UncheckedIOException("replacing the data file failed", e);
    } catch (RuntimeException | Error e) {
      gate.fail(e);
      throw e;
    }
  }

  /** The rename must be durable before the log gets a record meant for the new file. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private void checkOpen() {
    if (closed || closing) {
      throw new IllegalStateException("storage is closed");
    }
    gate.checkUsable();
  }

  private static void releaseQuietly(StoreGeneration generation) {
    if (generation != null) {
      generation.releaseFile();
    }
  }
}
