package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing {@link CrashWorkload} process with SIGKILL at a random moment, reopens its storage
 * and checks that every acknowledged transaction is there, that unacknowledged ones are all or
 * nothing (or still resolvable), and that every stored value is intact. Runs several kill cycles on
 * the same directory, so later cycles recover on top of recovered state.
 */
class ShardStoreCrashIT {
  private static final int CYCLES = 4;
  private static final int WRITERS = 4;
  private static final long READY_LIMIT_MS = 20_000;

  @TempDir Path work;

  private int compactions;

  @Test
  void acknowledgedWritesSurviveSigkill() throws Exception {
    run(false);
  }

  /** The same while the storage is compacted over and over: a kill may hit the copy, the catch-up or the file swap. */
  @Test
  void acknowledgedWritesSurviveSigkillDuringCompaction() throws Exception {
    run(true);
    assertTrue(compactions > 0, "no compaction finished before the kills");
  }

  private void run(boolean compact) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Map<Integer, int[]> acknowledged = new HashMap<>();
    try {
      for (int run = 0; run < CYCLES; run++) {
        int[] acks = runAndKill(run, 150 + random.nextInt(1_200), compact);
        acknowledged.put(run, acks);
        verify(acknowledged);
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError("crash test failed (seed=" + seed + ", acknowledged=" + describe(acknowledged) + "): " + e, e);
    }
    int total = acknowledged.values().stream().flatMapToInt(Arrays::stream).map(i -> i + 1).sum();
    System.out.println("crash test" + (compact ? " with compaction (" + compactions + " compactions finished)" : "") + ": "
        + total + " acknowledged transactions over " + CYCLES + " kills: " + describe(acknowledged));
    assertTrue(total > 0, "nothing was acknowledged before the kills");
  }

  private static String describe(Map<Integer, int[]> acknowledged) {
    StringBuilder out = new StringBuilder();
    acknowledged.forEach((run, acks) -> out.append(run).append('=').append(Arrays.toString(acks)).append(' '));
    return out.toString();
  }

  /** Runs the workload, kills it {@code killAfterMs} after it is ready, and returns the last acknowledged transaction per writer (-1: none). */
  private int[] runAndKill(int run, long killAfterMs, boolean compact) throws Exception {
    // Output goes to a file: reading a pipe while the JDK drains it at process exit can fail.
    Path output = work.resolve("run-" + run + ".out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWorkload.class.getName(), data().toString(), Integer.toString(run), Integer.toString(WRITERS), compact ? "compact" : "")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      long readyDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_LIMIT_MS);
      while (!completeLines(output).contains("READY")) {
        assertTrue(process.isAlive(), "workload died: " + completeLines(output));
        assertTrue(System.nanoTime() < readyDeadline, "workload never became ready: " + completeLines(output));
        Thread.sleep(10);
      }
      Thread.sleep(killAfterMs);
      assertTrue(process.isAlive(), "workload died on its own: " + completeLines(output));
    } finally {
      process.destroyForcibly();
      process.waitFor();
    }
    int[] acks = new int[WRITERS];
    Arrays.fill(acks, -1);
    for (String line : completeLines(output)) {
      if (line.startsWith("ACK ")) {
        String[] parts = line.split(" ");
        int writer = Integer.parseInt(parts[1]);
        int txn = Integer.parseInt(parts[2]);
        assertEquals(acks[writer] + 1, txn, "acknowledgements out of order");
        acks[writer] = txn;
      } else if (line.equals("COMPACTED")) {
        compactions++;
      } else if (!line.equals("READY")) {
        fail("unexpected workload output: " + line);
      }
    }
    return acks;
  }

  /** The lines of {@code file} that end in a newline: a line cut by the kill was never acknowledged. */
  private static List<String> completeLines(Path file) throws IOException {
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  private Path data() {
    return work.resolve("data");
  }

  private void verify(Map<Integer, int[]> acknowledged) {
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(data()))) {
      ShardStore shard = storage.shard(CrashWorkload.SHARD);
      long readTs = Long.MAX_VALUE;
      for (Map.Entry<Integer, int[]> runAcks : acknowledged.entrySet()) {
        int run = runAcks.getKey();
        for (int writer = 0; writer < WRITERS; writer++) {
          int lastAck = runAcks.getValue()[writer];
          for (int txn = 0; txn <= lastAck; txn++) {
            for (char part : new char[] {'a', 'b'}) {
              byte[] key = CrashWorkload.txnKey(run, writer, txn, part);
              ReadResult read = shard.read(key, readTs);
              ReadResult.Value value = assertInstanceOf(ReadResult.Value.class, read, "acknowledged key lost: run " + run + " writer " + writer + " txn " + txn + part);
              assertArrayEquals(CrashWorkload.value(key), value.value(), "torn value");
            }
          }
          checkUnacknowledged(shard, run, writer, lastAck + 1);
          assertEquals(ReadResult.ABSENT, shard.read(CrashWorkload.txnKey(run, writer, lastAck + 2, 'a'), readTs), "a transaction started before its predecessor was acknowledged");
          byte[] counterKey = CrashWorkload.counterKey(run, writer);
          ReadResult counter = resolved(shard, counterKey);
          if (counter instanceof ReadResult.Locked pending) {
            // Locked by the cut transaction, still pending: what it overwrites is the last acknowledged count.
            counter = shard.read(counterKey, pending.lock().startTs() - 1);
          }
          if (lastAck >= 0) {
            int count = ByteBuffer.wrap(assertInstanceOf(ReadResult.Value.class, counter, "counter of writer " + writer).value()).getInt();
            assertTrue(count == lastAck || count == lastAck + 1, "counter " + count + " after ack " + lastAck);
          }
        }
      }
      checkEveryValueIsIntact(shard);
    }
  }

  /** The one transaction per writer that may have been cut by the kill: all or nothing once its locks resolve. */
  private void checkUnacknowledged(ShardStore shard, int run, int writer, int txn) {
    byte[] a = CrashWorkload.txnKey(run, writer, txn, 'a');
    byte[] b = CrashWorkload.txnKey(run, writer, txn, 'b');
    ReadResult ra = resolved(shard, a);
    ReadResult rb = resolved(shard, b);
    if (ra instanceof ReadResult.Locked) {
      // Prepared, never committed: its locks stay until a resolver rolls the transaction back.
      assertTrue(rb instanceof ReadResult.Locked, "primary locked but secondary " + rb);
      return;
    }
    assertEquals(ra.getClass(), rb.getClass(), "transaction " + txn + " of writer " + writer + " is half there");
    if (ra instanceof ReadResult.Value value) {
      assertArrayEquals(CrashWorkload.value(a), value.value());
      assertArrayEquals(CrashWorkload.value(b), ((ReadResult.Value) rb).value());
    }
  }

  /** Reads a key, rolling forward a lock whose primary committed, as a reader's resolver would. */
  private static ReadResult resolved(ShardStore shard, byte[] key) {
    ReadResult read = shard.read(key, Long.MAX_VALUE);
    if (read instanceof ReadResult.Locked locked) {
      LockInfo lock = locked.lock();
      TxnStatus status = shard.resolveStatus(lock.primaryKey(), lock.startTs(), 0);
      if (status instanceof TxnStatus.Committed committed) {
        shard.commitSecondaries(lock.startTs(), committed.commitTs(), List.of(key));
        return shard.read(key, Long.MAX_VALUE);
      }
      assertInstanceOf(TxnStatus.Pending.class, status, "an unexpired lock whose primary is neither committed nor locked");
    }
    return read;
  }

  private static void checkEveryValueIsIntact(ShardStore shard) {
    try (ScanIterator scan = shard.scan(new byte[] {'k'}, new byte[] {'l'}, Long.MAX_VALUE)) {
      while (scan.hasNext()) {
        ScanItem item = scan.next();
        if (item.result() instanceof ReadResult.Value value) {
          assertArrayEquals(CrashWorkload.value(item.key()), value.value(), "torn value at " + Arrays.toString(item.key()));
        }
      }
    }
  }
}
