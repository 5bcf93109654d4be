package io.shaledb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.mapdb.BTreeMap;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import org.mapdb.StoreWAL;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * All shards of a node in one MapDB database.
 *
 * <p>File mode: {@code <directory>/shaledb.db} is a MapDB transactional store ({@link StoreWAL},
 * what {@code DBMaker.transactionEnable()} builds) over a {@link RedoLogVolume}, whose log {@code
 * <directory>/shaledb.redo} makes every MapDB commit atomic on disk. {@link #sync()} is a group
 * commit run by a {@link GroupCommitter}: one MapDB commit plus one forced log append serve every
 * thread waiting meanwhile. Memory mode: a MapDB memory store; {@link #sync()} does nothing.
 *
 * <p>Maps: {@code shards} (the shard set), {@code meta} (named values), and per shard {@code
 * shard.<id>.versions}, {@code .locks} and {@code .txns} (see {@link MapDbShardStore}). MapDB 3.1
 * cannot delete a named map, so dropping a shard empties its maps; creating it again reuses them.
 */
final class MapDbNodeStorage implements NodeStorage {
  static final String DATA_FILE = "shaledb.db";
  static final String LOG_FILE = "shaledb.redo";
  private static final long LOG_CHECKPOINT_BYTES = 64L << 20;
  private static final Duration IDLE_COMMIT_INTERVAL = Duration.ofMillis(200);
  private static final int DROP_BATCH_ENTRIES = 1024;

  private final DB db;
  private final RedoLogVolume volume;
  private final CommitGate gate;
  private final GroupCommitter committer;
  private final BTreeMap<Integer, Boolean> shardSet;
  private final BTreeMap<String, byte[]> meta;
  private final ConcurrentHashMap<Integer, MapDbShardStore> shards = new ConcurrentHashMap<>();
  private final Object shardSetChange = new Object();
  private volatile boolean closed;

  private MapDbNodeStorage(DB db, RedoLogVolume volume, CommitGate gate) {
    this.db = db;
    this.volume = volume;
    this.gate = gate;
    this.shardSet = db.treeMap("shards", Serializer.INTEGER, Serializer.BOOLEAN).createOrOpen();
    this.meta = db.treeMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
    for (Integer shardId : shardSet.keySet()) {
      shards.put(shardId, openShard(shardId));
    }
    if (volume != null) {
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
      return new MapDbNodeStorage(DBMaker.memoryDB().make(), null, gate);
    }
    RedoLogVolume volume = null;
    try {
      Files.createDirectories(config.directory());
      Path dataPath = config.directory().resolve(DATA_FILE);
      volume = RedoLogVolume.open(dataPath, config.directory().resolve(LOG_FILE), LOG_CHECKPOINT_BYTES);
      DB db = openDb(dataPath.toString(), volume);
      return new MapDbNodeStorage(db, volume, gate);
    } catch (IOException e) {
      closeQuietly(volume);
      throw new UncheckedIOException("cannot open storage in " + config.directory(), e);
    } catch (RuntimeException | Error e) {
      closeQuietly(volume);
      throw e;
    }
  }

  /**
   * Builds what {@code DBMaker.fileDB(path).transactionEnable().make()} would, but on our volume:
   * DBMaker takes no volume factory for files. MapDB's own log goes to memory, where it buffers the
   * open transaction; {@link RedoLogVolume} provides the durability MapDB's log would not (MapDB 3.1
   * never replays it).
   */
  private static DB openDb(String dataPath, RedoLogVolume volume) {
    boolean exists = volume.length() > 0;
    VolumeFactory volumes =
        new VolumeFactory() {
          @Override
          public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize, boolean fixedSize) {
            if (dataPath.equals(file)) {
              return volume;
            }
            return new ByteArrayVol(CC.PAGE_SHIFT, 0L);
          }

          @Override
          public boolean exists(String file) {
            return dataPath.equals(file) && exists;
          }

          @Override
          public boolean handlesReadonly() {
            return false;
          }
        };
    StoreWAL store =
        StoreWAL.make(
            dataPath, volumes, 0L, true, CC.STORE_DIRECT_CONC_SHIFT, CC.PAGE_SIZE, 0L, false, false, false, true, false);
    return new DB(store, exists, true, MapDbNodeStorage.class.getClassLoader(), 0);
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
  public boolean isDurable() {
    return volume != null;
  }

  /** Closes the storage, first making everything written durable (file mode). Idempotent. */
  @Override
  public void close() {
    synchronized (shardSetChange) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // Refuse new writes first; the final commit then covers every write that got in.
    gate.close();
    try {
      if (committer != null) {
        committer.close();
        volume.checkpoint();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint at close failed", e);
    } finally {
      try {
        if (gate.failure() == null) {
          db.close();
        }
      } finally {
        closeQuietly(volume);
      }
    }
  }

  /** MapDB commits run so far by {@link #sync()} and the background committer (tests observe group commit with it). */
  long commitCount() {
    return committer == null ? 0 : committer.commitCount();
  }

  /** Bytes in the redo log since its last checkpoint. */
  long redoLogBytes() {
    return volume == null ? 0 : volume.logBytes();
  }

  private void commitAndFlush() {
    gate.exclusive(db::commit);
    try {
      volume.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing the redo log failed", e);
    }
  }

  private MapDbShardStore openShard(int shardId) {
    String prefix = "shard." + shardId + ".";
    return new MapDbShardStore(
        shardId, byteMap(prefix + "versions"), byteMap(prefix + "locks"), byteMap(prefix + "txns"), gate);
  }

  private BTreeMap<byte[], byte[]> byteMap(String name) {
    // MapDB hands out one instance per name while it is referenced; shard stores keep theirs.
    return db.treeMap(name, Serializer.BYTE_ARRAY_DELTA, Serializer.BYTE_ARRAY).createOrOpen();
  }

  /** Empties a shard's maps in bounded batches, so commits (and their in-memory buffers) interleave. */
  private void clearMaps(MapDbShardStore shard) {
    String prefix = "shard." + shard.shardId() + ".";
    for (String suffix : List.of("versions", "locks", "txns")) {
      BTreeMap<byte[], byte[]> map = byteMap(prefix + suffix);
      while (true) {
        List<byte[]> batch = new ArrayList<>(DROP_BATCH_ENTRIES);
        Iterator<byte[]> keys = map.keyIterator();
        while (keys.hasNext() && batch.size() < DROP_BATCH_ENTRIES) {
          batch.add(keys.next());
        }
        if (batch.isEmpty()) {
          break;
        }
        gate.write(() -> batch.forEach(map::remove));
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("storage is closed");
    }
    gate.checkUsable();
  }

  private static void closeQuietly(Volume volume) {
    if (volume != null) {
      try {
        volume.close();
      } catch (RuntimeException e) {
        // Already failing or closing; the first error is the one worth reporting.
      }
    }
  }
}
