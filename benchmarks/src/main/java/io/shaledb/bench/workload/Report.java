package io.shaledb.bench.workload;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** Writes a run's results as a text table, a CSV file and PNG charts. */
public final class Report {
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};

  private final List<OpResult> results;

  public Report(List<OpResult> results) {
    this.results = List.copyOf(results);
  }

  /** The results as a fixed-width table, one row per engine, operation and thread count. */
  public void printTable(PrintStream out) {
    out.printf(Locale.ROOT, "%-18s %-20s %7s %10s %12s %11s %11s %8s%n",
        "engine", "operation", "threads", "ops", "ops/s", "p50 us", "p99 us", "retries");
    for (OpResult r : results) {
      out.printf(Locale.ROOT, "%-18s %-20s %7d %10d %12.1f %11.1f %11.1f %8d%n",
          r.engine(), r.operation(), r.threads(), r.ops(), r.throughput(), r.p50Micros(), r.p99Micros(), r.retries());
    }
  }

  /**
   * For every operation and thread count, ShaleDB engine throughput divided by each peer's: above 1 means
   * ShaleDB did more operations per second.
   */
  public void printRatios(PrintStream out) {
    Map<String, OpResult> byKey = new LinkedHashMap<>();
    for (OpResult r : results) {
      byKey.put(r.engine() + "|" + r.operation() + "|" + r.threads(), r);
    }
    Set<String> engines = engines();
    for (String shale : engines) {
      if (!shale.startsWith("shaledb")) {
        continue;
      }
      for (String peer : engines) {
        if (peer.startsWith("shaledb")) {
          continue;
        }
        out.printf(Locale.ROOT, "%s / %s throughput:%n", shale, peer);
        for (OpResult r : results) {
          if (!r.engine().equals(shale)) {
            continue;
          }
          OpResult other = byKey.get(peer + "|" + r.operation() + "|" + r.threads());
          if (other != null && other.throughput() > 0) {
            out.printf(Locale.ROOT, "  %-20s %2d threads  %8.3f%n", r.operation(), r.threads(),
                r.throughput() / other.throughput());
          }
        }
      }
    }
  }

  public void writeCsv(Path file) throws IOException {
    StringBuilder csv = new StringBuilder("engine,operation,threads,ops,seconds,ops_per_second,p50_us,p99_us,retries\n");
    for (OpResult r : results) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.1f,%.1f,%.1f,%d%n", r.engine(), r.operation(),
          r.threads(), r.ops(), r.seconds(), r.throughput(), r.p50Micros(), r.p99Micros(), r.retries()));
    }
    Files.writeString(file, csv, StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code throughput.png} (every operation and thread count, engines side by side, log scale), one
   * {@code throughput-<operation>.png} per operation, and {@code latency.png} (p50 and p99 per operation at the
   * highest thread count, log scale). Returns the files written.
   */
  public List<Path> writeCharts(Path directory) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> written = new ArrayList<>();
    DefaultCategoryDataset all = new DefaultCategoryDataset();
    Map<String, DefaultCategoryDataset> perOperation = new LinkedHashMap<>();
    for (OpResult r : results) {
      String category = r.operation() + (r.operation().startsWith("bulk") ? "" : " x" + r.threads());
      all.addValue(Math.max(r.throughput(), 0.1), r.engine(), category);
      perOperation.computeIfAbsent(r.operation(), k -> new DefaultCategoryDataset())
          .addValue(r.throughput(), r.engine(), r.threads() + (r.threads() == 1 ? " thread" : " threads"));
    }
    written.add(save(bar("Throughput by operation (ops/s, log scale, higher is better)", "operation x threads",
        "ops/s", all, true, true), directory.resolve("throughput.png"), 1400, 700));
    for (Map.Entry<String, DefaultCategoryDataset> e : perOperation.entrySet()) {
      String file = "throughput-" + e.getKey().replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("-$", "") + ".png";
      written.add(save(bar(e.getKey() + " (ops/s, higher is better)", "client threads", "ops/s", e.getValue(),
          false, false), directory.resolve(file), 800, 500));
    }
    int maxThreads = results.stream().mapToInt(OpResult::threads).max().orElse(1);
    DefaultCategoryDataset latency = new DefaultCategoryDataset();
    for (OpResult r : results) {
      if (r.threads() == maxThreads && !r.operation().startsWith("bulk")) {
        latency.addValue(Math.max(r.p50Micros(), 0.1), r.engine() + " p50", r.operation());
        latency.addValue(Math.max(r.p99Micros(), 0.1), r.engine() + " p99", r.operation());
      }
    }
    written.add(save(bar("Latency at " + maxThreads + " threads (microseconds, log scale, lower is better)",
        "operation", "latency (us)", latency, true, false), directory.resolve("latency.png"), 1400, 700));
    return written;
  }

  private Set<String> engines() {
    Set<String> engines = new LinkedHashSet<>();
    for (OpResult r : results) {
      engines.add(r.engine());
    }
    return engines;
  }

  private static JFreeChart bar(String title, String categoryLabel, String valueLabel,
      DefaultCategoryDataset data, boolean logScale, boolean slantedLabels) {
    JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (logScale) {
      LogarithmicAxis axis = new LogarithmicAxis(valueLabel);
      axis.setAllowNegativesFlag(false);
      axis.setStrictValuesFlag(false);
      plot.setRangeAxis(axis);
    }
    CategoryAxis categories = plot.getDomainAxis();
    if (slantedLabels) {
      categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.02);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    return chart;
  }

  private static Path save(JFreeChart chart, Path file, int width, int height) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    return file;
  }
}
