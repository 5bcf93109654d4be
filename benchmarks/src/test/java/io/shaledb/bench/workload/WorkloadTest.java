package io.shaledb.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workload does real work on ShaleDB and keeps its invariant; not a timing test. */
class WorkloadTest {

  @Test
  void everyOperationRunsAndStockPlusOrderedQuantityIsConserved(@TempDir Path out) throws Exception {
    String url = "jdbc:shaledb:mem:workload-test";
    Sizes sizes = new Sizes(200, 20, 500);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    // Kept open so the in-memory database outlives the workload's own connections.
    try (Connection keeper = java.sql.DriverManager.getConnection(url)) {
      Workload workload = new Workload(Engine.forUrl(url), sizes, 7, System::nanoTime,
          new PrintStream(progress, true, StandardCharsets.UTF_8));
      List<OpResult> results = new ArrayList<>();
      OpResult load = workload.load();
      assertEquals(720, load.ops());
      assertTrue(progress.toString(StandardCharsets.UTF_8).contains("100% 720/720 rows"));
      for (Operation operation : Operation.values()) {
        OpResult result = workload.run(operation, 2, Duration.ofMillis(150));
        assertTrue(result.ops() > 0, operation + " ran no operation");
        assertEquals(operation.label(), result.operation());
        results.add(result);
      }
      Workload.Invariant invariant = workload.checkInvariant();
      assertTrue(invariant.holds(), invariant.toString());
      assertEquals(20L * Workload.INITIAL_STOCK + sumQuantity(keeper, "orders WHERE id <= 500"),
          invariant.expected());
      long placed = results.stream().filter(r -> r.operation().equals("place order")).mapToLong(OpResult::ops).sum();
      // Warm-up orders are committed too, so at least the measured ones exist beyond the loaded 500.
      assertTrue(count(keeper, "SELECT COUNT(*) FROM orders") >= 500 + placed);

      results.add(0, load);
      Report report = new Report(results);
      report.writeCsv(out.resolve("results.csv"));
      assertEquals(1 + results.size(), Files.readAllLines(out.resolve("results.csv")).size());
      for (Path chart : report.writeCharts(out)) {
        assertTrue(Files.size(chart) > 1_000, chart + " is empty");
      }
    }
  }

  @Test
  void engineNamesFollowTheUrl() {
    assertEquals("shaledb-server", Engine.forUrl("jdbc:shaledb://localhost:8765").name());
    assertEquals("shaledb-embedded", Engine.forUrl("jdbc:shaledb:file:/tmp/x").name());
    assertEquals("h2-embedded", Engine.forUrl("jdbc:h2:file:/tmp/x").name());
    assertEquals("h2-server", Engine.forUrl("jdbc:h2:tcp://localhost/x").name());
    assertEquals("sqlite", Engine.forUrl("jdbc:sqlite:/tmp/x.db").name());
    assertEquals("postgresql", Engine.forUrl("jdbc:postgresql://localhost/bench").name());
  }

  private static long sumQuantity(Connection c, String from) throws Exception {
    return count(c, "SELECT SUM(quantity) FROM " + from);
  }

  private static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
