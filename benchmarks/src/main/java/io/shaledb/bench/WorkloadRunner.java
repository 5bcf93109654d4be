package io.shaledb.bench;

import io.shaledb.bench.workload.Engine;
import io.shaledb.bench.workload.OpResult;
import io.shaledb.bench.workload.Operation;
import io.shaledb.bench.workload.Report;
import io.shaledb.bench.workload.Sizes;
import io.shaledb.bench.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the e-commerce workload against every given JDBC URL, one after another, and writes a table to stdout
 * plus {@code results.csv} and PNG charts to the output folder.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.shaledb.bench.WorkloadRunner \
 *   --url jdbc:shaledb:file:/tmp/b/shale --url jdbc:h2:file:/tmp/b/h2 --url jdbc:sqlite:/tmp/b/sqlite.db \
 *   --users 10000 --products 1000 --orders 100000 --threads 1,4 --seconds 10 --out results
 * </pre>
 *
 * <p>Exits with status 1 if an engine's invariant check fails, 2 on bad arguments.
 */
public final class WorkloadRunner {

  /** The parsed command line. */
  record Options(List<String> urls, Sizes sizes, List<Integer> threads, Duration perOperation, Path out, long seed,
      List<Operation> operations) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: WorkloadRunner --url JDBC_URL [--url ...] [--users N] [--products N] [--orders N]"
          + " [--threads 1,4] [--seconds S] [--out DIR] [--seed N] [--operations point-select,range-scan,...]");
      System.exit(2);
      return;
    }
    Files.createDirectories(options.out());
    List<OpResult> results = new ArrayList<>();
    boolean invariantsHold = true;
    StringBuilder durability = new StringBuilder();
    for (String url : options.urls()) {
      Workload workload = new Workload(Engine.forUrl(url), options.sizes(), options.seed(), System::nanoTime,
          System.err);
      String name = workload.engine().name();
      String settings = workload.durability();
      durability.append(name).append(": ").append(settings).append('\n');
      System.err.println(name + " (" + url + "): " + settings);
      results.add(workload.load());
      for (Operation operation : options.operations()) {
        for (int threads : options.threads()) {
          System.err.println("  " + operation.label() + " x" + threads);
          results.add(workload.run(operation, threads, options.perOperation()));
        }
      }
      Workload.Invariant invariant = workload.checkInvariant();
      System.err.println("  invariant stock + ordered = " + invariant.actual() + " (expected " + invariant.expected()
          + "): " + (invariant.holds() ? "holds" : "BROKEN"));
      invariantsHold &= invariant.holds();
    }
    Report report = new Report(results);
    System.out.println("Sizes: " + options.sizes() + ", " + options.perOperation().toSeconds()
        + " s per operation and thread count; durability:");
    System.out.print(durability);
    System.out.println();
    report.printTable(System.out);
    System.out.println();
    report.printRatios(System.out);
    report.writeCsv(options.out().resolve("results.csv"));
    Files.writeString(options.out().resolve("durability.txt"), durability);
    for (Path chart : report.writeCharts(options.out())) {
      System.err.println("wrote " + chart);
    }
    if (!invariantsHold) {
      System.err.println("an invariant check failed");
      System.exit(1);
    }
  }

  static Options parse(String[] args) {
    List<String> urls = new ArrayList<>();
    int users = Sizes.DEFAULT.users();
    int products = Sizes.DEFAULT.products();
    int orders = Sizes.DEFAULT.orders();
    List<Integer> threads = List.of(1, 4);
    long seconds = 10;
    Path out = Path.of("benchmarks", "results");
    long seed = 42;
    List<Operation> operations = List.of(Operation.values());
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      try {
        switch (flag) {
          case "--url": urls.add(value); break;
          case "--users": users = Integer.parseInt(value); break;
          case "--products": products = Integer.parseInt(value); break;
          case "--orders": orders = Integer.parseInt(value); break;
          case "--seconds": seconds = Long.parseLong(value); break;
          case "--out": out = Path.of(value); break;
          case "--seed": seed = Long.parseLong(value); break;
          case "--operations":
            List<Operation> chosen = new ArrayList<>();
            for (String name : value.split(",")) {
              chosen.add(Operation.forFlag(name.trim()));
            }
            // Measured in the enum's order whatever the flag's order: place-order changes what reads see.
            chosen.sort(null);
            operations = List.copyOf(chosen);
            break;
          case "--threads":
            List<Integer> parsed = new ArrayList<>();
            for (String t : value.split(",")) {
              parsed.add(Integer.parseInt(t.trim()));
            }
            threads = List.copyOf(parsed);
            break;
          default: throw new IllegalArgumentException("unknown flag " + flag);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, got " + value);
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("give at least one --url");
    }
    return new Options(urls, new Sizes(users, products, orders), threads, Duration.ofSeconds(seconds), out, seed,
        operations);
  }
}
