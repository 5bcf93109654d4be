package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedoLogTest {
  private static final int PAGE = RedoLog.PAGE_BYTES;

  @TempDir Path directory;

  private FileChannel openData(Path path) throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
  }

  private static byte[] page(int fill) {
    byte[] page = new byte[PAGE];
    Arrays.fill(page, (byte) fill);
    return page;
  }

  private static byte[] readAll(Path path) throws IOException {
    return Files.readAllBytes(path);
  }

  /** The data file a crash after {@code records} complete records must recover to, from an empty file. */
  private static byte[] expectedAfter(List<TreeMap<Long, byte[]>> records, List<Long> lengths, int count) {
    byte[] data = new byte[0];
    for (int r = 0; r < count; r++) {
      data = Arrays.copyOf(data, Math.toIntExact(lengths.get(r)));
      for (var page : records.get(r).entrySet()) {
        int at = Math.toIntExact(page.getKey() * PAGE);
        if (at + PAGE > data.length) {
          data = Arrays.copyOf(data, at + PAGE);
        }
        System.arraycopy(page.getValue(), 0, data, at, PAGE);
      }
    }
    return data;
  }

  @Test
  void aCrashAnywhereInTheLogRecoversExactlyTheCompleteRecords() throws IOException {
    Random random = new Random(42);
    Path log = directory.resolve("log");
    List<TreeMap<Long, byte[]>> records = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    List<Long> recordEnds = new ArrayList<>();
    try (FileChannel unused = openData(directory.resolve("scratch"));
        RedoLog redo = RedoLog.openAndRecover(log, unused, Long.MAX_VALUE)) {
      for (int r = 0; r < 6; r++) {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (int p = 0; p < 1 + random.nextInt(3); p++) {
          pages.put((long) random.nextInt(6), page(r * 10 + p + 1));
        }
        long length = (pages.lastKey() + 1) * PAGE;
        redo.append(length, pages);
        records.add(pages);
        lengths.add(length);
        recordEnds.add(redo.sizeBytes());
      }
    }
    byte[] fullLog = readAll(log);
    int logEnd = Math.toIntExact(recordEnds.get(recordEnds.size() - 1));
    for (int i = logEnd; i < fullLog.length; i++) {
      assertEquals(0, fullLog[i], "preallocated space is zero");
    }
    for (int cut = RedoLog.HEADER_BYTES; cut <= logEnd; cut += 1 + random.nextInt(PAGE / 3)) {
      int complete = 0;
      while (complete < recordEnds.size() && recordEnds.get(complete) <= cut) {
        complete++;
      }
      Path crashedLog = directory.resolve("crashed-" + cut);
      // What a crash leaves: a prefix of the appends, then the preallocated zeros (or nothing).
      Files.write(crashedLog, Arrays.copyOf(Arrays.copyOf(fullLog, cut), cut % 2 == 0 ? cut : logEnd + PAGE));
      Path data = directory.resolve("data-" + cut);
      try (FileChannel dataChannel = openData(data);
          RedoLog recovered = RedoLog.openAndRecover(crashedLog, dataChannel, Long.MAX_VALUE)) {
        assertEquals(complete == 0 ? RedoLog.HEADER_BYTES : recordEnds.get(complete - 1), recovered.sizeBytes(), "appends continue after the last complete record");
        if (cut % 3 == 0) {
          // Life goes on over the torn tail: a new record, then another crash.
          TreeMap<Long, byte[]> pages = new TreeMap<>(java.util.Map.of(1L, page(200)));
          recovered.append(2 * PAGE, pages);
          List<TreeMap<Long, byte[]>> continued = new ArrayList<>(records.subList(0, complete));
          continued.add(pages);
          List<Long> continuedLengths = new ArrayList<>(lengths.subList(0, complete));
          continuedLengths.add(2L * PAGE);
          Path again = directory.resolve("again-" + cut);
          try (FileChannel againChannel = openData(again);
              RedoLog unused = RedoLog.openAndRecover(crashedLog, againChannel, Long.MAX_VALUE)) {
            // replayed on open
          }
          assertArrayEquals(expectedAfter(continued, continuedLengths, complete + 1), readAll(again), "continued after cut at " + cut);
        }
      }
      assertArrayEquals(expectedAfter(records, lengths, complete), readAll(data), "cut at " + cut);
    }
  }

  @Test
  void aTornHeaderLeavesThePreviousEpochInCharge() throws IOException {
    Path log = directory.resolve("log");
    Path data = directory.resolve("data");
    try (FileChannel dataChannel = openData(data);
        RedoLog redo = RedoLog.openAndRecover(log, dataChannel, 1)) {
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(1))));
      RedoLog.writeFully(dataChannel, ByteBuffer.wrap(page(1)), 0);
      redo.checkpoint(dataChannel); // epoch 2
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(2))));
      RedoLog.writeFully(dataChannel, ByteBuffer.wrap(page(2)), 0);
      redo.checkpoint(dataChannel); // epoch 3, in the slot epoch 1 used
    }
    byte[] bytes = readAll(log);
    bytes[8] ^= 0x40; // the epoch 3 header write was torn
    Files.write(log, bytes);
    try (FileChannel dataChannel = openData(data);
        RedoLog redo = RedoLog.openAndRecover(log, dataChannel, Long.MAX_VALUE)) {
      // Epoch 2 is current again; its record is in the forced file already, replaying it changes nothing.
      assertArrayEquals(page(2), readAll(data));
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(3))));
    }
    try (FileChannel dataChannel = openData(data);
        RedoLog unused = RedoLog.openAndRecover(log, dataChannel, Long.MAX_VALUE)) {
      // replayed on open
    }
    assertArrayEquals(page(3), readAll(data));
  }

  @Test
  void aCorruptRecordEndsReplay() throws IOException {
    Path log = directory.resolve("log");
    Path data = directory.resolve("data");
    long firstEnd;
    try (FileChannel dataChannel = openData(data);
        RedoLog redo = RedoLog.openAndRecover(log, dataChannel, Long.MAX_VALUE)) {
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(1))));
      firstEnd = redo.sizeBytes();
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(2))));
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(3))));
    }
    byte[] bytes = readAll(log);
    bytes[(int) firstEnd + 100] ^= 1;
    Files.write(log, bytes);
    try (FileChannel dataChannel = openData(data);
        RedoLog unused = RedoLog.openAndRecover(log, dataChannel, Long.MAX_VALUE)) {
      // replayed on open
    }
    assertArrayEquals(page(1), readAll(data));
  }

  @Test
  void aCheckpointRetiresOlderRecords() throws IOException {
    Path log = directory.resolve("log");
    Path data = directory.resolve("data");
    try (FileChannel dataChannel = openData(data);
        RedoLog redo = RedoLog.openAndRecover(log, dataChannel, 1)) {
      redo.append(PAGE, new TreeMap<>(java.util.Map.of(0L, page(1))));
      assertTrue(redo.checkpointDue());
      RedoLog.writeFully(dataChannel, ByteBuffer.wrap(page(1)), 0);
      redo.checkpoint(dataChannel);
      assertEquals(RedoLog.HEADER_BYTES, redo.sizeBytes());
      // The data file moves on without the log (as if written by a later epoch's replay).
      RedoLog.writeFully(dataChannel, ByteBuffer.wrap(page(9)), 0);
    }
    try (FileChannel dataChannel = openData(data);
        RedoLog unused = RedoLog.openAndRecover(log, dataChannel, 1)) {
      // nothing of the retired epoch may be replayed over the newer page
    }
    assertArrayEquals(page(9), readAll(data));
  }

  @Test
  void volumeServesUnflushedWritesAndRecoversFlushedOnes() throws IOException {
    Path dataPath = directory.resolve("db");
    Path logPath = directory.resolve("redo");
    byte[] record = new byte[3 * PAGE + 17];
    new Random(7).nextBytes(record);
    RedoLogVolume volume = RedoLogVolume.open(dataPath, logPath, Long.MAX_VALUE);
    try {
      volume.ensureAvailable(1 << 20);
      volume.putData(PAGE - 5, record, 0, record.length);
      volume.putLong(8, 0x0102030405060708L);
      byte[] read = new byte[record.length];
      volume.getData(PAGE - 5, read, 0, read.length);
      assertArrayEquals(record, read);
      assertEquals(0, Files.size(dataPath), "nothing reaches the file before a flush");
      volume.flush();
      assertEquals(RedoLogVolume.SLICE_BYTES, Files.size(dataPath), "whole mapped slices");
      volume.putLong(8, 42); // never flushed: lost with the crash below
      assertEquals(42, volume.getLong(8));
      assertThrows(UnsupportedOperationException.class, () -> volume.truncate(0));
      assertThrows(IllegalStateException.class, () -> RedoLogVolume.open(dataPath, logPath, Long.MAX_VALUE));
    } finally {
      volume.close(); // closes files without a checkpoint: what a crash leaves, plus the log
    }
    // A crash may also lose the unforced data-file writes; the log restores them.
    try (FileChannel wipe = openData(dataPath)) {
      wipe.truncate(0);
    }
    RedoLogVolume reopened = RedoLogVolume.open(dataPath, logPath, Long.MAX_VALUE);
    try {
      assertTrue(reopened.length() >= 1 << 20);
      byte[] read = new byte[record.length];
      reopened.getData(PAGE - 5, read, 0, read.length);
      assertArrayEquals(record, read);
      assertEquals(0x0102030405060708L, reopened.getLong(8));
    } finally {
      reopened.close();
    }
  }
}
