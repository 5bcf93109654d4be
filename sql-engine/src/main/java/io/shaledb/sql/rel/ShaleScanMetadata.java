package io.shaledb.sql.rel;

import io.shaledb.kv.RowFilter;
import io.shaledb.sql.plan.PushedCondition;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.stats.ColumnStatistics;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What Calcite's metadata asks a table's scan for, answered from the table's statistics: the
 * distinct values of a group of columns, and the share of rows a predicate keeps. Calcite finds
 * these through the table ({@code RelOptTable.unwrap} of the handler) for every {@code TableScan}.
 * Without statistics, the answers are Calcite's own defaults (unique keys, fixed guesses).
 */
public final class ShaleScanMetadata {
  private ShaleScanMetadata() {}

  /** Distinct rows of the scan's output columns. */
  public static final BuiltInMetadata.DistinctRowCount.Handler DISTINCT_ROW_COUNT = ShaleScanMetadata::distinctRowCount;

  /** The share of the scan's rows a predicate over its output keeps. */
  public static final BuiltInMetadata.Selectivity.Handler SELECTIVITY = (rel, mq, predicate) ->
      rel instanceof ShaleTableScan scan ? selectivity(scan, predicate) : RelMdUtil.guessSelectivity(predicate);

  private static @Nullable Double distinctRowCount(RelNode rel, RelMetadataQuery mq, ImmutableBitSet groupKey,
      @Nullable RexNode predicate) {
    if (!(rel instanceof ShaleTableScan scan)) {
      return null;
    }
    double rows = mq.getRowCount(scan) * selectivity(scan, predicate);
    if (groupKey.isEmpty()) {
      return 1d;
    }
    int[] projection = scan.projection();
    ShaleTable table = scan.shaleTable();
    double combinations = 1;
    boolean known = true;
    for (int output : groupKey) {
      ColumnStatistics column = table.columnStatistics(projection[output]);
      if (column == null) {
        known = false;
        break;
      }
      // NULL forms a group of its own.
      combinations *= Math.max(1, column.distinctCount()) + (column.nullFraction() > 0 ? 1 : 0);
    }
    if (known) {
      return Math.max(1, Math.min(combinations, rows));
    }
    return RelMdUtil.areColumnsDefinitelyUnique(mq, scan, groupKey) ? rows : null;
  }

  /** The share of {@code scan}'s rows that meet {@code predicate}; conditions the shards already checked count as 1. */
  static double selectivity(ShaleTableScan scan, @Nullable RexNode predicate) {
    if (predicate == null || predicate.isAlwaysTrue()) {
      return 1;
    }
    double selectivity = 1;
    for (RexNode conjunct : RelOptUtil.conjunctions(predicate)) {
      selectivity *= conjunctSelectivity(scan, conjunct);
    }
    return selectivity;
  }

  private static double conjunctSelectivity(ShaleTableScan scan, RexNode conjunct) {
    if (conjunct.getKind() == SqlKind.OR) {
      double none = 1;
      for (RexNode disjunct : RelOptUtil.disjunctions(conjunct)) {
        none *= 1 - selectivity(scan, disjunct);
      }
      return 1 - none;
    }
    if (!(conjunct instanceof RexCall call)) {
      return RelMdUtil.guessSelectivity(conjunct);
    }
    SqlKind kind = call.getKind();
    if ((kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) && column(call.getOperands().get(0)) >= 0) {
      ColumnStatistics stats = scan.shaleTable().columnStatistics(scan.projection()[column(call.getOperands().get(0))]);
      if (stats != null) {
        return kind == SqlKind.IS_NULL ? stats.nullFraction() : 1 - stats.nullFraction();
      }
      return RelMdUtil.guessSelectivity(conjunct);
    }
    if (call.getOperands().size() != 2 || !kind.belongsTo(SqlKind.COMPARISON)) {
      return RelMdUtil.guessSelectivity(conjunct);
    }
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    if (column(left) < 0 && column(right) >= 0) {
      kind = kind.reverse();
      RexNode swap = left;
      left = right;
      right = swap;
    }
    int output = column(left);
    if (output < 0 || !(right instanceof RexLiteral || right instanceof RexDynamicParam)) {
      return RelMdUtil.guessSelectivity(conjunct);
    }
    int tableColumn = scan.projection()[output];
    if (pushed(scan.pushed(), tableColumn, kind)) {
      // The scan's row estimate already counts it.
      return 1;
    }
    ColumnStatistics stats = scan.shaleTable().columnStatistics(tableColumn);
    if (stats == null) {
      return RelMdUtil.guessSelectivity(conjunct);
    }
    double nonNull = 1 - stats.nullFraction();
    double equal = nonNull / Math.max(1, stats.distinctCount());
    double value = right instanceof RexLiteral literal ? number(literal) : Double.NaN;
    return switch (kind) {
      case EQUALS, IS_NOT_DISTINCT_FROM -> equal;
      case NOT_EQUALS, IS_DISTINCT_FROM -> Math.max(0, nonNull - equal);
      case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        if (Double.isNaN(value) || stats.histogram().isEmpty()) {
          yield RelMdUtil.guessSelectivity(conjunct);
        }
        boolean inclusive = kind == SqlKind.LESS_THAN_OR_EQUAL || kind == SqlKind.GREATER_THAN_OR_EQUAL;
        boolean below = kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL;
        double fraction = below ? stats.fractionBelow(value, inclusive) : 1 - stats.fractionBelow(value, !inclusive);
        yield nonNull * fraction;
      }
      default -> RelMdUtil.guessSelectivity(conjunct);
    };
  }

  /** Whether the scan's shards check a condition of the same kind on the same column. */
  private static boolean pushed(List<PushedCondition> pushed, int tableColumn, SqlKind kind) {
    RowFilter.Comparison comparison = PushedCondition.comparisonOf(kind);
    return comparison != null
        && pushed.stream().anyMatch(condition -> condition.column() == tableColumn && condition.comparison() == comparison);
  }

  /** The output column {@code node} reads, through casts; -1 if it is not a column. */
  private static int column(RexNode node) {
    RexNode operand = node;
    while (operand.getKind() == SqlKind.CAST) {
      operand = ((RexCall) operand).getOperands().get(0);
    }
    return operand instanceof RexInputRef ref ? ref.getIndex() : -1;
  }

  /** A literal on the histogram's scale (see {@link ColumnStatistics#histogram}), or NaN. */
  private static double number(RexLiteral literal) {
    try {
      return switch (literal.getType().getSqlTypeName().getFamily()) {
        case NUMERIC -> literal.getValueAs(BigDecimal.class).doubleValue();
        case DATE -> literal.getValueAs(Integer.class);
        case TIME -> literal.getValueAs(Integer.class);
        case TIMESTAMP -> literal.getValueAs(Long.class);
        default -> Double.NaN;
      };
    } catch (RuntimeException | AssertionError e) {
      return Double.NaN;
    }
  }
}
