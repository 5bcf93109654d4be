package io.shaledb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.mapdb.BTreeMap;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.DataIO;
import org.mapdb.StoreDirect;
import org.mapdb.StoreWAL;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * One MapDB database holding the node's maps: the data file (over a {@link RedoLogVolume}) or a
 * memory store. Compaction replaces the node's generation by a fresh one holding only live entries.
 *
 * <p>A generation that was replaced stays readable (its volume's memory mappings and MapDB's
 * in-memory state outlive the file channel), so a read that picked it up just before the swap
 * completes; it is never written again.
 */
final class StoreGeneration {
  /** Where MapDB's store header keeps the end of the used file, with parity bits (MapDB 3.1's {@code StoreDirectJava}). */
  private static final long FILE_TAIL_OFFSET = 5 * 8;
  private final DB db;
  private final RedoLogVolume volume;
  private final ConcurrentHashMap<String, BTreeMap<?, ?>> maps = new ConcurrentHashMap<>();

  private StoreGeneration(DB db, RedoLogVolume volume) {
    this.db = db;
    this.volume = volume;
  }

  static StoreGeneration inMemory() {
    return new StoreGeneration(DBMaker.memoryDB().make(), null);
  }

  /**
   * Opens (creating if needed) the database in {@code dataPath}, after replaying {@code logPath}
   * into it.
   */
  static StoreGeneration openFile(Path dataPath, Path logPath, long checkpointBytes) throws IOException {
    RedoLogVolume volume = RedoLogVolume.open(dataPath, logPath, checkpointBytes);
    try {
      return new StoreGeneration(openDb(dataPath.toString(), volume), volume);
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
    return new DB(store, exists, true, StoreGeneration.class.getClassLoader(), 0);
  }

  /** The map {@code spec} names, created empty if this database has none by that name. */
  @SuppressWarnings("unchecked")
  <K, V> BTreeMap<K, V> map(MapSpec<K, V> spec) {
    // MapDB hands out one instance per name while it is referenced; this cache keeps it referenced.
    return (BTreeMap<K, V>) maps.computeIfAbsent(spec.name(), name -> db.treeMap(name, spec.keys(), spec.values()).createOrOpen());
  }

  boolean isDurable() {
    return volume != null;
  }

  /** MapDB's commit: ends its transaction, writing its buffered changes to the volume (memory: nothing to do). */
  void commit() {
    db.commit();
  }

  /** Makes everything committed so far durable through the redo log. File mode only. */
  void flush() {
    try {
      volume.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing the redo log failed", e);
    }
  }

  /** Forces the data file and retires the redo log's records: the next open has nothing to replay. File mode only. */
  void checkpoint() {
    try {
      volume.checkpoint();
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint failed", e);
    }
  }

  /**
   * The bytes the store occupies, free space inside it included: MapDB's file tail (as of the last
   * commit in file mode). The data file itself is longer, rounded up to whole mapped slices.
   */
  long bytes() {
    if (volume == null) {
      return ((StoreDirect) db.getStore()).getTotalSize();
    }
    long fileTail = volume.getLong(FILE_TAIL_OFFSET);
    return fileTail == 0 ? volume.length() : DataIO.parity16Get(fileTail);
  }

  long redoLogBytes() {
    return volume == null ? 0 : volume.logBytes();
  }

  /** Closes the database; call only after everything was committed (and in file mode checkpointed). */
  void close() {
    try {
      db.close();
    } finally {
      closeQuietly(volume);
    }
  }

  /**
   * Releases the file (lock, channel, redo log) without touching what is mapped or cached in memory,
   * so that reads that still hold this generation finish. Memory mode: nothing to release.
   */
  void releaseFile() {
    closeQuietly(volume);
  }

  static void closeQuietly(Volume volume) {
    if (volume != null) {
      try {
        volume.close();
      } catch (RuntimeException e) {
        // Already failing or closing; the first error is the one worth reporting.
      }
    }
  }
}
