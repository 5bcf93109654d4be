package io.shaledb.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of the node's MapDB file: every change to the file is first appended here as
 * full page images and forced to disk, then written to the file without forcing it. After a crash
 * (or power loss) the complete records of the current epoch are replayed in order; page images
 * make replay idempotent, so replaying a record whose pages already reached the file is harmless.
 *
 * <p>MapDB 3.1's own write-ahead log is not enough: its store writes a commit to the file in place
 * after logging it and never replays the log on open, so a process killed during that write leaves
 * a torn file. Here MapDB's log lives in memory (it only buffers the open transaction) and this log
 * makes each commit's file update atomic.
 *
 * <p>File layout: two header slots ({@code magic, epoch, crc}, in separate disk blocks) then
 * records {@code magic | body length | body | crc32c(body)}, body = {@code epoch, seq, file length,
 * page count, (page number, page)*}. The valid slot with the higher epoch is current; replay takes
 * the records of that epoch with consecutive sequence numbers from the start. A checkpoint forces
 * the data file, then starts the next epoch by writing the other slot, which retires every older
 * record; a write torn there leaves the previous slot in charge, whose records are all in the forced
 * file by then. Epochs therefore never repeat, which matters because the log file is reused: it is
 * zero-filled ahead of the appends and never truncated, so that forcing an append rarely has to
 * persist a change of the file's size or block allocation (a second disk write), and old records
 * stay behind the current ones.
 *
 * <p>Not thread-safe: used by the syncer thread (and by open/close).
 */
final class RedoLog implements AutoCloseable {
  static final int PAGE_BYTES = 4096;
  private static final int HEADER_SLOT_BYTES = 4096;
  static final int HEADER_BYTES = 2 * HEADER_SLOT_BYTES;
  private static final long HEADER_MAGIC = 0x5348414C45524C47L; // "SHALERLG"
  private static final int RECORD_MAGIC = 0x52454344; // "RECD"
  private static final int RECORD_FIXED_BYTES = 4 + 4 + 4; // magic, body length, crc
  private static final int BODY_FIXED_BYTES = 8 + 8 + 8 + 4; // epoch, seq, length, page count
  private static final int PAGE_ENTRY_BYTES = 8 + PAGE_BYTES;
  private static final long PREALLOCATE_BYTES = 4L << 20;
  private static final long PREALLOCATE_GRAIN_BYTES = 64L << 10;

  private final FileChannel channel;
  private final long checkpointBytes;
  private long epoch;
  private long nextSeq;
  private long appendPosition;
  private long allocatedBytes;

  private RedoLog(FileChannel channel, long checkpointBytes) throws IOException {
    this.channel = channel;
    this.checkpointBytes = checkpointBytes;
    this.allocatedBytes = Math.max(channel.size(), HEADER_BYTES);
  }

  /**
   * Opens the log at {@code path} and replays its complete records of the current epoch into {@code
   * dataFile} (without forcing it: the records stay in the log until the next checkpoint); new
   * records follow the last complete one.
   *
   * @param checkpointBytes log size after which {@link #checkpointDue()} says to checkpoint
   */
  static RedoLog openAndRecover(Path path, FileChannel dataFile, long checkpointBytes) throws IOException {
    boolean created = !Files.exists(path);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    try {
      RedoLog log = new RedoLog(channel, checkpointBytes);
      long currentEpoch = log.readCurrentEpoch();
      if (currentEpoch < 0) {
        // No valid header was ever forced, so no record was ever appended.
        log.startEpoch(1);
        if (created) {
          forceDirectory(path.toAbsolutePath().getParent());
        }
      } else {
        log.epoch = currentEpoch;
        log.replay(dataFile);
      }
      return log;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Appends one record (the data file's new length and its changed pages) and forces it to disk.
   * When this returns, the change survives a crash even if the data file never sees it.
   */
  void append(long dataLength, SortedMap<Long, byte[]> pages) throws IOException {
    long bodyBytes = BODY_FIXED_BYTES + (long) PAGE_ENTRY_BYTES * pages.size();
    if (bodyBytes > Integer.MAX_VALUE - RECORD_FIXED_BYTES) {
      throw new IOException("commit too large for one log record: " + pages.size() + " pages");
    }
    ByteBuffer record = ByteBuffer.allocate((int) bodyBytes + RECORD_FIXED_BYTES);
    record.putInt(RECORD_MAGIC).putInt((int) bodyBytes);
    record.putLong(epoch).putLong(nextSeq).putLong(dataLength).putInt(pages.size());
    for (Map.Entry<Long, byte[]> page : pages.entrySet()) {
      record.putLong(page.getKey()).put(page.getValue());
    }
    CRC32C crc = new CRC32C();
    crc.update(record.array(), 8, (int) bodyBytes);
    record.putInt((int) crc.getValue());
    record.flip();
    preallocate(appendPosition + record.capacity());
    writeFully(channel, record, appendPosition);
    channel.force(false);
    appendPosition += record.capacity();
    nextSeq++;
  }

  boolean checkpointDue() {
    return appendPosition >= checkpointBytes;
  }

  /** Forces {@code dataFile} (which holds every logged change by now) and retires the log's records. */
  void checkpoint(FileChannel dataFile) throws IOException {
    dataFile.force(true);
    startEpoch(epoch + 1);
  }

  long sizeBytes() {
    return appendPosition;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void startEpoch(long newEpoch) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(20);
    header.putLong(HEADER_MAGIC).putLong(newEpoch);
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, 16);
    header.putInt((int) crc.getValue());
    header.flip();
    writeFully(channel, header, slotOffset(newEpoch));
    channel.force(false);
    epoch = newEpoch;
    nextSeq = 1;
    appendPosition = HEADER_BYTES;
  }

  private static long slotOffset(long epoch) {
    return (epoch & 1) * HEADER_SLOT_BYTES;
  }

  /** Zero-fills the file up to at least {@code end}, in large steps. */
  private void preallocate(long end) throws IOException {
    if (end <= allocatedBytes) {
      return;
    }
    // Geometric growth up to steps of PREALLOCATE_BYTES: a small log stays small.
    long target = Math.max(end, Math.min(allocatedBytes * 2, allocatedBytes + PREALLOCATE_BYTES));
    long newSize = (target + PREALLOCATE_GRAIN_BYTES - 1) / PREALLOCATE_GRAIN_BYTES * PREALLOCATE_GRAIN_BYTES;
    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
    for (long position = allocatedBytes; position < newSize; position += zeros.capacity()) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), newSize - position));
      writeFully(channel, zeros, position);
    }
    allocatedBytes = newSize;
  }

  /** The highest epoch in a valid header slot, or -1. */
  private long readCurrentEpoch() throws IOException {
    long current = -1;
    for (int slot = 0; slot < 2; slot++) {
      long offset = (long) slot * HEADER_SLOT_BYTES;
      if (channel.size() < offset + 20) {
        continue;
      }
      ByteBuffer header = ByteBuffer.allocate(20);
      readFully(channel, header, offset);
      CRC32C crc = new CRC32C();
      crc.update(header.array(), 0, 16);
      if (header.getLong(0) == HEADER_MAGIC && header.getInt(16) == (int) crc.getValue() && slotOffset(header.getLong(8)) == offset) {
        current = Math.max(current, header.getLong(8));
      }
    }
    return current;
  }

  /** Applies this epoch's complete records to {@code dataFile} and positions appends after them. */
  private void replay(FileChannel dataFile) throws IOException {
    long size = channel.size();
    long position = HEADER_BYTES;
    long expectedSeq = 1;
    appendPosition = position;
    nextSeq = expectedSeq;
    ByteBuffer prefix = ByteBuffer.allocate(8);
    while (position + RECORD_FIXED_BYTES + BODY_FIXED_BYTES <= size) {
      prefix.clear();
      readFully(channel, prefix, position);
      int magic = prefix.getInt(0);
      long bodyBytes = prefix.getInt(4) & 0xFFFFFFFFL;
      if (magic != RECORD_MAGIC
          || bodyBytes < BODY_FIXED_BYTES
          || (bodyBytes - BODY_FIXED_BYTES) % PAGE_ENTRY_BYTES != 0
          || position + RECORD_FIXED_BYTES + bodyBytes > size) {
        return;
      }
      ByteBuffer body = ByteBuffer.allocate((int) bodyBytes + 4);
      readFully(channel, body, position + 8);
      CRC32C crc = new CRC32C();
      crc.update(body.array(), 0, (int) bodyBytes);
      if (body.getInt((int) bodyBytes) != (int) crc.getValue()) {
        return;
      }
      body.limit((int) bodyBytes).position(0);
      long recordEpoch = body.getLong();
      long seq = body.getLong();
      long dataLength = body.getLong();
      int pageCount = body.getInt();
      if (recordEpoch != epoch || seq != expectedSeq || pageCount != (bodyBytes - BODY_FIXED_BYTES) / PAGE_ENTRY_BYTES) {
        return;
      }
      applyLength(dataFile, dataLength);
      for (int i = 0; i < pageCount; i++) {
        long pageNumber = body.getLong();
        ByteBuffer page = body.slice(body.position(), PAGE_BYTES);
        body.position(body.position() + PAGE_BYTES);
        writeFully(dataFile, page, pageNumber * PAGE_BYTES);
      }
      position += RECORD_FIXED_BYTES + bodyBytes;
      expectedSeq++;
      appendPosition = position;
      nextSeq = expectedSeq;
    }
  }

  /** Makes {@code dataFile} exactly {@code length} bytes long (new bytes read as zeros). */
  static void applyLength(FileChannel dataFile, long length) throws IOException {
    long current = dataFile.size();
    if (current > length) {
      dataFile.truncate(length);
    } else if (current < length) {
      writeFully(dataFile, ByteBuffer.allocate(1), length - 1);
    }
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position);
      if (read < 0) {
        throw new IOException("unexpected end of log");
      }
      position += read;
    }
  }

  private static void forceDirectory(Path directory) {
    if (directory == null) {
      return;
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the entry then becomes durable with the next file sync.
    }
  }
}
