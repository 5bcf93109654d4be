package io.shaledb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each benchmark method selects the row it claims to, so the numbers measure real work. */
class PointSelectPlanningBenchmarkTest {

  @Test
  void everyVariantReadsOneExistingRow() {
    PointSelectPlanningBenchmark benchmark = new PointSelectPlanningBenchmark();
    benchmark.open();
    try {
      assertEquals("value 42", benchmark.cachedText());
      assertTrue(String.valueOf(benchmark.preparedStatement()).startsWith("value "));
      assertTrue(String.valueOf(benchmark.uncachedFastPath()).startsWith("value "));
      assertTrue(String.valueOf(benchmark.uncachedOptimizerAndCodegen()).startsWith("value "));
    } finally {
      benchmark.close();
    }
  }
}
