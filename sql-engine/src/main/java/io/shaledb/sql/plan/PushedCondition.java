package io.shaledb.sql.plan;

import io.shaledb.kv.RowFilter;

/**
 * A conjunct of a filter above a scan, {@code column comparison operand}, that the shards may
 * check before sending rows (see {@link RowFilter}); the filter itself still applies.
 *
 * @param column table column index
 */
public record PushedCondition(int column, RowFilter.Comparison comparison, KeyOperand operand) {
  @Override
  public String toString() {
    String symbol = switch (comparison) {
      case EQUAL -> "=";
      case LESS -> "<";
      case LESS_OR_EQUAL -> "<=";
      case GREATER -> ">";
      case GREATER_OR_EQUAL -> ">=";
    };
    return "$" + column + " " + symbol + " " + operand;
  }
}
