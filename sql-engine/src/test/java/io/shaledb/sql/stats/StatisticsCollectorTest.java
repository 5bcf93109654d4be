package io.shaledb.sql.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.KeyRouting;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatisticsCollectorTest {
  private static final List<String> NAMES = List.of("id", "grp", "note");

  /** A key as the table's would look: a keyspace prefix, then the id. */
  private static byte[] key(long id) {
    return ByteBuffer.allocate(12).putInt(7).putLong(id).array();
  }

  private static List<Object[]> rows(int count, long seed) {
    Random random = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    for (int id = 0; id < count; id++) {
      rows.add(new Object[] {id, random.nextInt(50), random.nextInt(4) == 0 ? null : "n" + random.nextInt(3000)});
    }
    return rows;
  }

  @Test
  void shardsMergedGiveWhatOneCollectorOverAllRowsGives() {
    List<Object[]> rows = rows(20_000, 42);
    StatisticsCollector whole = new StatisticsCollector(3);
    int shardCount = 5;
    StatisticsCollector[] shards = new StatisticsCollector[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new StatisticsCollector(3);
    }
    for (Object[] row : rows) {
      byte[] key = key((Integer) row[0]);
      whole.add(key, row);
      shards[KeyRouting.shardIndex(key, shardCount)].add(key, row);
    }
    StatisticsCollector merged = new StatisticsCollector(3);
    for (StatisticsCollector shard : shards) {
      merged.merge(shard);
    }
    TableStatistics expected = whole.result(NAMES, 1);
    assertEquals(expected, merged.result(NAMES, 1));
    // Each shard alone saw a fifth of the rows: the merge is not a copy of one of them.
    assertTrue(shards[0].result(NAMES, 1).rowCount() < 20_000 / 2);
  }

  @Test
  void distinctCountsAreExactBelowTheSketchCapacityAndWithinTenPercentAbove() {
    for (int distinct : new int[] {1, 700, DistinctSketch.CAPACITY - 1, 5_000, 200_000}) {
      DistinctSketch sketch = new DistinctSketch();
      for (int round = 0; round < 2; round++) {
        for (long value = 0; value < distinct; value++) {
          sketch.add(ValueHash.of(value * 7919));
        }
      }
      long estimate = sketch.estimate();
      if (distinct < DistinctSketch.CAPACITY) {
        assertEquals(distinct, estimate);
      } else {
        assertTrue(Math.abs(estimate - distinct) <= distinct * 0.10, distinct + " estimated as " + estimate);
      }
    }
  }

  @Test
  void equalNumbersOfDifferentScaleCountOnce() {
    assertEquals(ValueHash.of(new java.math.BigDecimal("1.50")), ValueHash.of(new java.math.BigDecimal("1.5")));
    assertEquals(ValueHash.of(java.math.BigDecimal.ZERO), ValueHash.of(new java.math.BigDecimal("0.00")));
  }

  @Test
  void histogramFractionsInterpolateInsideBuckets() {
    ColumnStatistics column = new ColumnStatistics(100, 0, List.of(0d, 10d, 20d, 40d));
    assertEquals(0, column.fractionBelow(-1, true));
    assertEquals(0, column.fractionBelow(0, false));
    assertEquals(1d / 6, column.fractionBelow(5, true), 1e-9);
    assertEquals(2d / 3 + 1d / 6, column.fractionBelow(30, false), 1e-9);
    assertEquals(1, column.fractionBelow(40, true));
    assertEquals(-1, new ColumnStatistics(1, 0, List.of()).fractionBelow(3, true));
  }

  @Test
  void codecKeepsEverything() {
    StatisticsCollector collector = new StatisticsCollector(3);
    for (Object[] row : rows(3_000, 7)) {
      collector.add(key((Integer) row[0]), row);
    }
    TableStatistics statistics = collector.result(NAMES, 123_456);
    assertEquals(statistics, StatisticsCodec.decode(StatisticsCodec.encode(statistics)));
  }
}
