package io.shaledb.bench;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyEncoder;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.StorageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable one-shard commits in file mode, each a one-row one-phase commit followed by the sync that makes it
 * durable, with group commit (every thread calls {@link NodeStorage#sync()}, so threads waiting at the same time
 * share one log force) and without it (syncs taken one at a time, so every commit pays its own force, as a
 * storage without group commit would). Four threads by default; {@code -t 1} shows that one thread gains
 * nothing from group commit. Each thread writes its own keys, so commits never conflict.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Commit -t 4} (writes under {@code java.io.tmpdir}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(4)
public class CommitBenchmark {
  static final int KEYS_PER_THREAD = 1_000;
  private static final byte[] VALUE = "a row about the size of the workload's users row".getBytes(StandardCharsets.UTF_8);

  private Path directory;
  private NodeStorage node;
  private ShardStore shard;
  private final AtomicLong clock = new AtomicLong(1);
  private final AtomicInteger threads = new AtomicInteger();
  /** Held around a sync when group commit is off, so no two commits share one. */
  private final ReentrantLock oneSyncAtATime = new ReentrantLock();

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("shaledb-jmh-commit");
    node = NodeStorage.open(StorageConfig.file(directory));
    shard = node.createShard(0);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    node.close();
    BenchmarkFiles.deleteRecursively(directory);
  }

  /** One thread's keys, disjoint from every other thread's. */
  @State(Scope.Thread)
  public static class Writer {
    final byte[][] keys = new byte[KEYS_PER_THREAD][];
    int next;

    @Setup(Level.Trial)
    public void keys(CommitBenchmark benchmark) {
      int thread = benchmark.threads.getAndIncrement();
      for (int i = 0; i < KEYS_PER_THREAD; i++) {
        keys[i] = KeyEncoder.encode(KeyEncodingBenchmark.KEYSPACE, new ColumnType[] {ColumnType.INTEGER, ColumnType.INTEGER},
            new Object[] {thread, i});
      }
    }

    byte[] nextKey() {
      next = (next + 1) % KEYS_PER_THREAD;
      return keys[next];
    }
  }

  @Benchmark
  public long groupCommit(Writer writer) {
    long commitTs = commit(writer);
    node.sync();
    return commitTs;
  }

  @Benchmark
  public long syncPerCommit(Writer writer) {
    long commitTs = commit(writer);
    oneSyncAtATime.lock();
    try {
      node.sync();
    } finally {
      oneSyncAtATime.unlock();
    }
    return commitTs;
  }

  /** Commits one row; returns its commit timestamp. */
  long commit(Writer writer) {
    long startTs = clock.incrementAndGet();
    OnePhaseResult result = shard.commitOnePhase(startTs, List.of(Mutation.put(writer.nextKey(), VALUE)),
        clock::incrementAndGet);
    if (result instanceof OnePhaseResult.Committed committed) {
      return committed.commitTs();
    }
    throw new IllegalStateException("a commit on keys no other thread writes failed: " + result);
  }

  /** The shard written to, for tests that read the commits back. */
  ShardStore shard() {
    return shard;
  }
}
