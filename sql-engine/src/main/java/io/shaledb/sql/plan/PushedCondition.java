package io.shaledb.sql.plan;

import io.shaledb.kv.RowFilter;
import org.apache.calcite.sql.SqlKind;

/**
 * A conjunct of a filter above a scan, {@code column comparison operand}, that the shards may
 * check before sending rows (see {@link RowFilter}); the filter itself still applies.
 *
 * @param column table column index
 */
public record PushedCondition(int column, RowFilter.Comparison comparison, KeyOperand operand) {
  /** The comparison shards check for a SQL comparison of {@code kind}, or null for one they cannot. */
  public static RowFilter.Comparison comparisonOf(SqlKind kind) {
    return switch (kind) {
      case EQUALS -> RowFilter.Comparison.EQUAL;
      case LESS_THAN -> RowFilter.Comparison.LESS;
      case LESS_THAN_OR_EQUAL -> RowFilter.Comparison.LESS_OR_EQUAL;
      case GREATER_THAN -> RowFilter.Comparison.GREATER;
      case GREATER_THAN_OR_EQUAL -> RowFilter.Comparison.GREATER_OR_EQUAL;
      default -> null;
    };
  }

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
