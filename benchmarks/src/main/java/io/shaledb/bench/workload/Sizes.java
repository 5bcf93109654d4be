package io.shaledb.bench.workload;

/** How many rows the bulk load creates in each table. */
public record Sizes(int users, int products, int orders) {
  /** The default data set. */
  public static final Sizes DEFAULT = new Sizes(10_000, 1_000, 100_000);

  public Sizes {
    if (users < 100 || products < 1 || orders < 0) {
      throw new IllegalArgumentException("need at least 100 users (the range scan reads 100) and 1 product");
    }
  }
}
