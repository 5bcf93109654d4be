package io.shaledb.bench.workload;

import java.util.Locale;

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

  /** The name on the command line: the constant's name in lower case with dashes ({@code range-scan}). */
  public String flag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The operation whose {@link #flag()} is {@code flag}.
   *
   * @throws IllegalArgumentException naming the valid flags if none matches
   */
  public static Operation forFlag(String flag) {
    for (Operation operation : values()) {
      if (operation.flag().equals(flag)) {
        return operation;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (Operation operation : values()) {
      valid.append(valid.length() == 0 ? "" : ", ").append(operation.flag());
    }
    throw new IllegalArgumentException("unknown operation " + flag + "; valid: " + valid);
  }
}
