package io.shaledb.bench.workload;

/**
 * The timed operations of the e-commerce workload, in the order the runner measures them. Placing orders comes
 * last because it grows the orders table by however many orders an engine manages: reads measured after it
 * would scan different amounts of data on each engine.
 */
public enum Operation {
  POINT_SELECT("point select"),
  RANGE_SCAN("range scan 100"),
  USER_ORDERS("user orders join"),
  REVENUE("revenue aggregate"),
  PLACE_ORDER("place order");

  private final String label;

  Operation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
