package io.shaledb.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.RowCodec;
import io.shaledb.storage.ReadResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each storage benchmark method does the work it is named after, so its numbers measure that work. */
class StorageBenchmarksTest {

  @Test
  void encodingBenchmarksProduceKeysAndRowsThatDecodeBack() {
    KeyEncodingBenchmark benchmark = new KeyEncodingBenchmark();
    benchmark.prepare();
    assertEquals(4 + 5, benchmark.intKey().length, "keyspace prefix, marker, 4 bytes");
    assertEquals(4 + 5 + 9, benchmark.ordersKey().length);
    assertTrue(benchmark.varcharKey().length > 4 + 4);
    RowCodec codec = new RowCodec(List.of(ColumnType.INTEGER, ColumnType.VARCHAR, ColumnType.VARCHAR));
    assertEquals(3, codec.decode(benchmark.encodeRow()).length);
    assertArrayEquals(new Object[] {4711, "user4711", "user4711@example.com"}, benchmark.decodeRow());
    assertEquals("user4711", benchmark.decodeOneColumn()[0]);
  }

  @Test
  void readBenchmarksSeeTheMiddleVersionAndAHundredRows() throws Exception {
    for (String storage : List.of("memory", "file")) {
      ShardStoreReadBenchmark benchmark = new ShardStoreReadBenchmark();
      benchmark.storage = storage;
      benchmark.load();
      try {
        for (int i = 0; i < 50; i++) {
          ReadResult.Value value = assertInstanceOf(ReadResult.Value.class, benchmark.versionedGet());
          assertEquals(ShardStoreReadBenchmark.commitTs(ShardStoreReadBenchmark.VERSIONS / 2), value.commitTs());
          assertTrue(new String(value.value(), StandardCharsets.UTF_8).endsWith("version 2"));
          assertEquals(ShardStoreReadBenchmark.SCAN_ROWS, benchmark.rangeScan100(), storage);
        }
      } finally {
        benchmark.close();
      }
    }
  }

  @Test
  void bothCommitVariantsMakeTheirRowReadable() throws Exception {
    CommitBenchmark benchmark = new CommitBenchmark();
    benchmark.open();
    try {
      CommitBenchmark.Writer writer = new CommitBenchmark.Writer();
      writer.keys(benchmark);
      long first = benchmark.groupCommit(writer);
      byte[] firstKey = writer.keys[writer.next];
      long second = benchmark.syncPerCommit(writer);
      byte[] secondKey = writer.keys[writer.next];
      assertTrue(second > first);
      assertEquals(first, assertInstanceOf(ReadResult.Value.class, benchmark.shard().read(firstKey, second)).commitTs());
      assertEquals(second, assertInstanceOf(ReadResult.Value.class, benchmark.shard().read(secondKey, second)).commitTs());
    } finally {
      benchmark.close();
    }
  }
}
