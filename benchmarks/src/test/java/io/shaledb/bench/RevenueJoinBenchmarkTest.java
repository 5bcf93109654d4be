package io.shaledb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Both variants compute the same revenue, with the plans they are named after. */
class RevenueJoinBenchmarkTest {

  @Test
  void bothVariantsAgreeAndOnlyTheAnalyzedOneScansProductsOnce() {
    RevenueJoinBenchmark none = open("none");
    RevenueJoinBenchmark analyzed = open("analyzed");
    try {
      assertTrue(none.physicalPlan().contains("ShaleLookupJoin"), none.physicalPlan());
      assertFalse(analyzed.physicalPlan().contains("ShaleLookupJoin"), analyzed.physicalPlan());
      assertTrue(analyzed.physicalPlan().contains("table=[[public, products]], access=[full scan]"),
          analyzed.physicalPlan());
      assertEquals(none.revenue(), analyzed.revenue());
    } finally {
      none.close();
      analyzed.close();
    }
  }

  private static RevenueJoinBenchmark open(String statistics) {
    RevenueJoinBenchmark benchmark = new RevenueJoinBenchmark();
    benchmark.statistics = statistics;
    benchmark.orders = 20_000;
    benchmark.open();
    return benchmark;
  }
}
