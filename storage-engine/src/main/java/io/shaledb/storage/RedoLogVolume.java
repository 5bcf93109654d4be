package io.shaledb.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The MapDB volume of the node's data file, made crash-atomic with a {@link RedoLog}.
 *
 * <p>MapDB's transactional store writes to its volume only while committing. Those writes land in
 * in-memory dirty pages here (reads see them); {@link #flush} then logs the pages, forces the log,
 * and writes them to the file. So the file only ever holds whole commits, however the process dies.
 * The flush runs after MapDB's commit returned, outside MapDB's store locks, so readers and writers
 * of the maps keep going while the log is forced.
 *
 * <p>Reads come from read-only memory mappings of the file in {@value #SLICE_BYTES}-byte slices:
 * no system call per read, and (unlike {@link FileChannel} reads) no channel closed when a reading
 * thread is interrupted. The file's size on disk is kept a multiple of the slice size (the unused
 * end is a sparse hole), so every byte of it is mapped; the data file never shrinks while open, so
 * no mapped byte ever disappears. Writes and forces run on one thread at a time (MapDB's commit, then
 * the syncer's flush).
 */
final class RedoLogVolume extends Volume {
  static final int SLICE_BYTES = 16 << 20;
  private static final int SLICE_SHIFT = 24;
  private static final long SLICE_MASK = SLICE_BYTES - 1;
  private static final int PAGE_BYTES = RedoLog.PAGE_BYTES;
  private static final int PAGE_SHIFT = 12;
  private static final long PAGE_MASK = PAGE_BYTES - 1;

  private final File file;
  private final FileChannel channel;
  private final FileLock fileLock;
  private final RedoLog log;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile MappedByteBuffer[] slices = new MappedByteBuffer[0];

  // Guarded by lock.
  private HashMap<Long, byte[]> dirtyPages = new HashMap<>();
  private Map<Long, byte[]> flushingPages = Map.of();
  private long length;
  private long flushedLength;

  private RedoLogVolume(File file, FileChannel channel, FileLock fileLock, RedoLog log, long length) throws IOException {
    this.file = file;
    this.channel = channel;
    this.fileLock = fileLock;
    this.log = log;
    this.length = length;
    this.flushedLength = length;
    mapUpTo(length);
  }

  /**
   * Opens {@code dataPath} exclusively (creating it if needed) after replaying {@code logPath} into it.
   *
   * @param checkpointBytes log size after which a flush also checkpoints
   * @throws IllegalStateException if another storage (in any process) holds the file
   */
  static RedoLogVolume open(Path dataPath, Path logPath, long checkpointBytes) throws IOException {
    FileChannel channel = FileChannel.open(dataPath, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    RedoLog log = null;
    try {
      FileLock fileLock;
      try {
        fileLock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        fileLock = null;
      }
      if (fileLock == null) {
        throw new IllegalStateException("storage file is in use by another storage: " + dataPath);
      }
      log = RedoLog.openAndRecover(logPath, channel, checkpointBytes);
      return new RedoLogVolume(dataPath.toFile(), channel, fileLock, log, channel.size());
    } catch (IOException | RuntimeException e) {
      if (log != null) {
        log.close();
      }
      channel.close();
      throw e;
    }
  }

  /**
   * Makes every write so far durable: logs the dirty pages, forces the log, writes them to the
   * file, and checkpoints when the log grew large. Must not run concurrently with itself or with
   * a MapDB commit.
   */
  void flush() throws IOException {
    TreeMap<Long, byte[]> pages;
    long newLength;
    lock.writeLock().lock();
    try {
      if (dirtyPages.isEmpty() && length == flushedLength) {
        return;
      }
      pages = new TreeMap<>(dirtyPages);
      flushingPages = dirtyPages;
      dirtyPages = new HashMap<>();
      newLength = length;
    } finally {
      lock.writeLock().unlock();
    }
    log.append(newLength, pages);
    mapUpTo(newLength);
    for (Map.Entry<Long, byte[]> page : pages.entrySet()) {
      RedoLog.writeFully(channel, ByteBuffer.wrap(page.getValue()), page.getKey() << PAGE_SHIFT);
    }
    lock.writeLock().lock();
    try {
      flushingPages = Map.of();
      flushedLength = newLength;
    } finally {
      lock.writeLock().unlock();
    }
    if (log.checkpointDue()) {
      log.checkpoint(channel);
    }
  }

  /** Forces the data file and empties the log, so that the next open has nothing to replay. */
  void checkpoint() throws IOException {
    flush();
    log.checkpoint(channel);
  }

  /** Bytes in the redo log since the last checkpoint. */
  long logBytes() {
    return log.sizeBytes();
  }

  @Override
  public void ensureAvailable(long offset) {
    lock.writeLock().lock();
    try {
      length = Math.max(length, offset);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** MapDB's store never shrinks its file, and a mapped file must not shrink under its readers. */
  @Override
  public void truncate(long size) {
    throw new UnsupportedOperationException("the data file does not shrink");
  }

  @Override
  public void putLong(long offset, long value) {
    byte[] bytes = new byte[8];
    KeyCodec.writeLong(bytes, 0, value);
    putData(offset, bytes, 0, 8);
  }

  @Override
  public void putInt(long offset, int value) {
    putData(offset, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value}, 0, 4);
  }

  @Override
  public void putByte(long offset, byte value) {
    putData(offset, new byte[] {value}, 0, 1);
  }

  @Override
  public void putData(long offset, byte[] src, int srcPos, int srcSize) {
    lock.writeLock().lock();
    try {
      length = Math.max(length, offset + srcSize);
      while (srcSize > 0) {
        int inPage = (int) (offset & PAGE_MASK);
        int chunk = Math.min(srcSize, PAGE_BYTES - inPage);
        long pageNumber = offset >>> PAGE_SHIFT;
        // MapDB rewrites its whole 32 KB header at every commit; logging only pages that change
        // keeps a small commit a few pages long.
        if (dirtyPages.containsKey(pageNumber) || !holds(offset, src, srcPos, chunk)) {
          System.arraycopy(src, srcPos, pageForWrite(pageNumber), inPage, chunk);
        }
        offset += chunk;
        srcPos += chunk;
        srcSize -= chunk;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void putData(long offset, ByteBuffer buf) {
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    putData(offset, bytes, 0, bytes.length);
  }

  @Override
  public void clear(long startOffset, long endOffset) {
    byte[] zeros = new byte[(int) Math.min(endOffset - startOffset, 1 << 20)];
    for (long offset = startOffset; offset < endOffset; offset += zeros.length) {
      putData(offset, zeros, 0, (int) Math.min(zeros.length, endOffset - offset));
    }
  }

  @Override
  public long getLong(long offset) {
    byte[] bytes = new byte[8];
    getData(offset, bytes, 0, 8);
    return KeyCodec.readLong(bytes, 0);
  }

  @Override
  public int getInt(long offset) {
    byte[] bytes = new byte[4];
    getData(offset, bytes, 0, 4);
    return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
  }

  @Override
  public byte getByte(long offset) {
    byte[] bytes = new byte[1];
    getData(offset, bytes, 0, 1);
    return bytes[0];
  }

  @Override
  public DataInput2 getDataInput(long offset, int size) {
    byte[] bytes = new byte[size];
    getData(offset, bytes, 0, size);
    return new DataInput2.ByteArray(bytes);
  }

  @Override
  public void getData(long offset, byte[] bytes, int bytesPos, int size) {
    lock.readLock().lock();
    try {
      if (dirtyPages.isEmpty() && flushingPages.isEmpty()) {
        readFile(offset, bytes, bytesPos, size);
        return;
      }
      while (size > 0) {
        long pageNumber = offset >>> PAGE_SHIFT;
        int inPage = (int) (offset & PAGE_MASK);
        int chunk = Math.min(size, PAGE_BYTES - inPage);
        byte[] page = bufferedPage(pageNumber);
        if (page != null) {
          System.arraycopy(page, inPage, bytes, bytesPos, chunk);
        } else {
          readFile(offset, bytes, bytesPos, chunk);
        }
        offset += chunk;
        bytesPos += chunk;
        size -= chunk;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    IOException error = null;
    try {
      log.close();
    } catch (IOException e) {
      error = e;
    }
    try {
      fileLock.release();
      channel.close();
    } catch (IOException e) {
      error = e;
    }
    if (error != null) {
      throw new UncheckedIOException(error);
    }
  }

  /** Durability comes from {@link #flush}, which the syncer runs after MapDB's commit released its locks. */
  @Override
  public void sync() {}

  @Override
  public int sliceSize() {
    return -1;
  }

  @Override
  public boolean isSliced() {
    return false;
  }

  @Override
  public long length() {
    lock.readLock().lock();
    try {
      return length;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public File getFile() {
    return file;
  }

  @Override
  public boolean getFileLocked() {
    return true;
  }

  /** Grows the file to whole slices covering {@code end} and maps the new slices. Syncer or open only. */
  private void mapUpTo(long end) throws IOException {
    int needed = (int) ((end + SLICE_MASK) >>> SLICE_SHIFT);
    MappedByteBuffer[] current = slices;
    if (needed <= current.length) {
      return;
    }
    long size = (long) needed << SLICE_SHIFT;
    if (channel.size() < size) {
      RedoLog.writeFully(channel, ByteBuffer.allocate(1), size - 1);
    }
    MappedByteBuffer[] grown = Arrays.copyOf(current, needed);
    for (int i = current.length; i < needed; i++) {
      grown[i] = channel.map(FileChannel.MapMode.READ_ONLY, (long) i << SLICE_SHIFT, SLICE_BYTES);
    }
    slices = grown;
  }

  /** Holding the write lock. */
  private byte[] pageForWrite(long pageNumber) {
    byte[] page = dirtyPages.get(pageNumber);
    if (page == null) {
      byte[] flushing = flushingPages.get(pageNumber);
      if (flushing != null) {
        page = flushing.clone();
      } else {
        page = new byte[PAGE_BYTES];
        readFile(pageNumber << PAGE_SHIFT, page, 0, PAGE_BYTES);
      }
      dirtyPages.put(pageNumber, page);
    }
    return page;
  }

  /** Whether the volume already holds {@code bytes[pos, pos + size)} at {@code offset}, within one page. Holding the write lock. */
  private boolean holds(long offset, byte[] bytes, int pos, int size) {
    byte[] flushing = flushingPages.get(offset >>> PAGE_SHIFT);
    int inPage = (int) (offset & PAGE_MASK);
    if (flushing != null) {
      return Arrays.equals(flushing, inPage, inPage + size, bytes, pos, pos + size);
    }
    byte[] current = new byte[size];
    readFile(offset, current, 0, size);
    return Arrays.equals(current, 0, size, bytes, pos, pos + size);
  }

  /** Holding the read or write lock. */
  private byte[] bufferedPage(long pageNumber) {
    byte[] page = dirtyPages.get(pageNumber);
    return page != null ? page : flushingPages.get(pageNumber);
  }

  /** Reads what the file holds; bytes not yet in it read as zeros. */
  private void readFile(long offset, byte[] bytes, int bytesPos, int size) {
    MappedByteBuffer[] mapped = slices;
    while (size > 0) {
      int slice = (int) (offset >>> SLICE_SHIFT);
      int inSlice = (int) (offset & SLICE_MASK);
      int chunk = Math.min(size, SLICE_BYTES - inSlice);
      if (slice < mapped.length) {
        mapped[slice].get(inSlice, bytes, bytesPos, chunk);
      } else {
        Arrays.fill(bytes, bytesPos, bytesPos + chunk, (byte) 0);
      }
      offset += chunk;
      bytesPos += chunk;
      size -= chunk;
    }
  }
}
