package io.shaledb.bench;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyEncoder;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reads of one shard at a snapshot, below SQL: a point read of a key that has {@link #VERSIONS} committed
 * versions, at a timestamp that sees the middle one (so newer versions are skipped), and a scan of 100
 * consecutive keys. The shard is in memory or in a file (its pages then come from the OS cache through the redo
 * log volume); either way these are CPU costs of the MVCC layout on MapDB's B-tree, not of disk reads.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ShardStoreRead}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShardStoreReadBenchmark {
  static final int KEYS = 10_000;
  static final int VERSIONS = 5;
  static final int SCAN_ROWS = 100;

  @Param({"memory", "file"})
  public String storage;

  private Path directory;
  private NodeStorage node;
  private ShardStore shard;
  private final byte[][] keys = new byte[KEYS][];
  private long middleSnapshot;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    if (storage.equals("file")) {
      try {
        directory = Files.createTempDirectory("shaledb-jmh-read");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      node = NodeStorage.open(StorageConfig.file(directory));
    } else {
      node = NodeStorage.open(StorageConfig.inMemory());
    }
    shard = node.createShard(0);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = KeyEncoder.encode(KeyEncodingBenchmark.KEYSPACE, new ColumnType[] {ColumnType.INTEGER}, new Object[] {i});
    }
    for (int version = 0; version < VERSIONS; version++) {
      long commitTs = commitTs(version);
      for (int from = 0; from < KEYS; from += 500) {
        List<Mutation> batch = new ArrayList<>();
        for (int i = from; i < Math.min(KEYS, from + 500); i++) {
          batch.add(Mutation.put(keys[i], ("value " + i + " version " + version).getBytes(StandardCharsets.UTF_8)));
        }
        OnePhaseResult result = shard.commitOnePhase(commitTs - 1, batch, () -> commitTs);
        if (!(result instanceof OnePhaseResult.Committed)) {
          throw new IllegalStateException("load failed: " + result);
        }
      }
      node.sync();
    }
    middleSnapshot = commitTs(VERSIONS / 2);
  }

  /** Version {@code v} of every key commits at {@code 1000 * (v + 1)}. */
  static long commitTs(int version) {
    return 1_000L * (version + 1);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    node.close();
    if (directory != null) {
      BenchmarkFiles.deleteRecursively(directory);
    }
  }

  private int nextKey() {
    next = (next + 7_919) % KEYS;
    return next;
  }

  /** The value of a key as of the middle version's commit. */
  @Benchmark
  public ReadResult versionedGet() {
    return shard.read(keys[nextKey()], middleSnapshot);
  }

  /** Rows of 100 consecutive keys at the newest snapshot. */
  @Benchmark
  public int rangeScan100() {
    int from = nextKey() % (KEYS - SCAN_ROWS);
    int rows = 0;
    try (ScanIterator scan = shard.scan(keys[from], keys[from + SCAN_ROWS], commitTs(VERSIONS - 1))) {
      while (scan.hasNext()) {
        ScanItem item = scan.next();
        if (item.result() instanceof ReadResult.Value) {
          rows++;
        }
      }
    }
    return rows;
  }
}
