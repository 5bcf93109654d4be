package io.shaledb.storage;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link ShardStoreCrashIT} kills: writers commit transactions to shard 1 of the storage
 * in {@code args[0]} and print {@code ACK writer txn} after the sync that covers each. Even writers
 * commit in one phase, odd writers in two (primary, then secondary after the commit point). Every
 * transaction writes keys {@code a} and {@code b} and its writer's counter. Runs until killed.
 *
 * <p>Arguments: directory, run number (keeps keys of successive runs apart), writer count, and
 * optionally {@code compact}: then one more thread compacts the storage over and over, printing
 * {@code COMPACTED} after each, so that kills also land in every phase of a compaction.
 */
final class CrashWorkload {
  static final int SHARD = 1;
  private static final long TIMESTAMPS_PER_RUN = 1L << 40;

  private CrashWorkload() {}

  static byte[] txnKey(int run, int writer, int txn, char part) {
    return ByteBuffer.allocate(11).put((byte) 'k').putShort((short) run).putShort((short) writer).putInt(txn).put((byte) 0).put((byte) part).array();
  }

  static byte[] counterKey(int run, int writer) {
    return ByteBuffer.allocate(5).put((byte) 'c').putShort((short) run).putShort((short) writer).array();
  }

  /** A value long enough to span B-tree node and page boundaries now and then, derived from its key. */
  static byte[] value(byte[] key) {
    int size = 16 + Math.floorMod(java.util.Arrays.hashCode(key), 1500);
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (key[key.length - 1 - i % key.length] * 31 + i);
    }
    return value;
  }

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    int run = Integer.parseInt(args[1]);
    int writers = Integer.parseInt(args[2]);
    boolean compact = args.length > 3 && args[3].equals("compact");
    PrintStream out = System.out;
    // Standard output (with errors) is the protocol the test reads: no progress messages in it.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    NodeStorage storage = NodeStorage.open(StorageConfig.file(directory));
    ShardStore shard = storage.shardIds().contains(SHARD) ? storage.shard(SHARD) : storage.createShard(SHARD);
    byte[] bound = storage.getMeta("tso");
    long base = bound == null ? 1 : ByteBuffer.wrap(bound).getLong();
    storage.putMeta("tso", ByteBuffer.allocate(8).putLong(base + TIMESTAMPS_PER_RUN).array());
    storage.sync();
    AtomicLong oracle = new AtomicLong(base);
    synchronized (out) {
      out.println("READY");
      out.flush();
    }
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread thread =
          new Thread(
              () -> {
                for (int txn = 0; ; txn++) {
                  byte[] a = txnKey(run, writer, txn, 'a');
                  byte[] b = txnKey(run, writer, txn, 'b');
                  byte[] counter = counterKey(run, writer);
                  List<Mutation> mutations =
                      List.of(Mutation.put(a, value(a)), Mutation.put(b, value(b)), Mutation.put(counter, ByteBuffer.allocate(4).putInt(txn).array()));
                  long startTs = oracle.incrementAndGet();
                  if (writer % 2 == 0) {
                    if (!(shard.commitOnePhase(startTs, mutations, oracle::incrementAndGet) instanceof OnePhaseResult.Committed)) {
                      throw new IllegalStateException("one-phase commit failed");
                    }
                  } else {
                    if (shard.prepare(startTs, a, mutations, Long.MAX_VALUE) != PrepareResult.PREPARED) {
                      throw new IllegalStateException("prepare failed");
                    }
                    long commitTs = oracle.incrementAndGet();
                    if (!shard.commitPrimary(startTs, commitTs, a, List.of(counter))) {
                      throw new IllegalStateException("commit failed");
                    }
                    shard.commitSecondaries(startTs, commitTs, List.of(b));
                  }
                  storage.sync();
                  synchronized (out) {
                    out.println("ACK " + writer + " " + txn);
                    out.flush();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    if (compact) {
      Thread compactor =
          new Thread(
              () -> {
                while (true) {
                  storage.compact();
                  synchronized (out) {
                    out.println("COMPACTED");
                    out.flush();
                  }
                }
              });
      compactor.start();
      threads.add(compactor);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
