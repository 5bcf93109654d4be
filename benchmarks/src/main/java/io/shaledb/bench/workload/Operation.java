package io.shaledb.bench.workload;

/** The timed operations of the e-commerce workload, in the order the runner measures them. */
public enum Operation {
  POINT_SELECT("point select"),
  RANGE_SCAN("range scan 100"),
  PLACE_ORDER("place order"),
  USER_ORDERS("user orders join"),
  REVENUE("revenue aggregate");

  private final String label;

  Operation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
