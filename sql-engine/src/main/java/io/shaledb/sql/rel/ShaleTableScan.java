package io.shaledb.sql.rel;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.plan.AccessPath;
import io.shaledb.sql.plan.KeyOperand;
import io.shaledb.sql.plan.PushedCondition;
import io.shaledb.sql.plan.ShaleRules;
import io.shaledb.sql.runtime.ScanExecution;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.TableLayout;
import io.shaledb.sql.stats.ColumnStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * Reads a ShaleDB table. Carries what the planner pushed into the storage: the projected columns
 * (only those are decoded) and the access path (point get, primary-key range, index scan or full scan). Both
 * show in EXPLAIN, and the cost falls as the scan reads less.
 */
public final class ShaleTableScan extends TableScan implements EnumerableRel {
  private final ShaleTable shaleTable;
  private final int[] projection;
  private final AccessPath access;
  /** At most this many rows are read ({@code LIMIT} pushed into the storage), or {@link #NO_LIMIT}. */
  private final long rowLimit;
  /** Conditions of the filter above that the shards check before sending rows; the filter still applies. */
  private final List<PushedCondition> pushed;

  public static final long NO_LIMIT = -1;

  /** Key column types whose encoded order is the order the executor sorts them in; see {@link #keyOrder}. */
  private static final Set<ColumnType> KEY_ORDER_MATCHES_SQL = EnumSet.of(ColumnType.BOOLEAN, ColumnType.SMALLINT,
      ColumnType.INTEGER, ColumnType.BIGINT, ColumnType.DECIMAL, ColumnType.DATE, ColumnType.TIME, ColumnType.TIMESTAMP);

  /** A scan of every column in the Enumerable convention, not marked sorted (see {@link #sortedByKey}). */
  public static ShaleTableScan create(RelOptCluster cluster, RelOptTable table, ShaleTable shaleTable, int[] projection,
      AccessPath access) {
    return new ShaleTableScan(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), table, shaleTable, projection,
        access, NO_LIMIT, List.of());
  }

  private ShaleTableScan(RelOptCluster cluster, RelTraitSet traitSet, RelOptTable table, ShaleTable shaleTable,
      int[] projection, AccessPath access, long rowLimit, List<PushedCondition> pushed) {
    super(cluster, traitSet, List.of(), table);
    this.shaleTable = shaleTable;
    this.projection = projection.clone();
    this.access = access;
    this.rowLimit = rowLimit;
    this.pushed = List.copyOf(pushed);
  }

  public ShaleTable shaleTable() {
    return shaleTable;
  }

  /** Table column index of each output column. */
  public int[] projection() {
    return projection.clone();
  }

  public AccessPath access() {
    return access;
  }

  public long rowLimit() {
    return rowLimit;
  }

  public List<PushedCondition> pushed() {
    return pushed;
  }

  public ShaleTableScan withPushed(List<PushedCondition> conditions) {
    return new ShaleTableScan(getCluster(), getTraitSet(), getTable(), shaleTable, projection, access, rowLimit, conditions);
  }

  public ShaleTableScan withProjection(int[] newProjection) {
    return new ShaleTableScan(getCluster(), keepKeyOrderMark(newProjection, access), getTable(), shaleTable,
        newProjection, access, rowLimit, pushed);
  }

  public ShaleTableScan withAccess(AccessPath newAccess) {
    return new ShaleTableScan(getCluster(), keepKeyOrderMark(projection, newAccess), getTable(), shaleTable, projection,
        newAccess, rowLimit, pushed);
  }

  /**
   * This scan with its collation trait stating the order it returns rows in ({@link #keyOrder}), so that an
   * ORDER BY it satisfies needs no sort. Scans start unmarked: a mark on every scan would flow into operators
   * whose traits Calcite copies from their input although they reorder rows (a window sorts by its own keys).
   */
  public ShaleTableScan sortedByKey() {
    RelTraitSet traits = getTraitSet().replace(keyOrder(shaleTable.layout(), projection, access));
    return new ShaleTableScan(getCluster(), traits, getTable(), shaleTable, projection, access, rowLimit, pushed);
  }

  /** The traits of a changed copy: a scan marked sorted stays marked, with the order the copy returns. */
  private RelTraitSet keepKeyOrderMark(int[] newProjection, AccessPath newAccess) {
    RelCollation collation = getTraitSet().getCollation();
    if (collation == null || collation.getFieldCollations().isEmpty()) {
      return getTraitSet();
    }
    return getTraitSet().replace(keyOrder(shaleTable.layout(), newProjection, newAccess));
  }

  public ShaleTableScan withRowLimit(long newRowLimit) {
    return new ShaleTableScan(getCluster(), getTraitSet(), getTable(), shaleTable, projection, access, newRowLimit, pushed);
  }

  /**
   * This scan restricted to the primary key: the planner will not read the table through a
   * secondary index. For reads of the past ({@code FOR SYSTEM_TIME AS OF}), where an index may be
   * younger than the instant and so lack the entries of rows that existed then.
   */
  public ShaleTableScan withoutSecondaryIndexes() {
    if (shaleTable.definition().indexes().isEmpty()) {
      return this;
    }
    return new ShaleTableScan(getCluster(), getTraitSet(), getTable(), shaleTable.withoutSecondaryIndexes(), projection,
        access, rowLimit, pushed);
  }

  /**
   * The order rows come out in, so the planner can drop an ORDER BY that the scan satisfies. Every access
   * path but an index scan reads primary-key ranges, whose rows the storage returns in ascending key order
   * (merged across shards), and the key encoding orders values as SQL does. The collation lists the leading
   * primary-key columns the scan outputs, up to the first one it does not output or whose type is left out:
   * floating point and text, where the encoding's order (IEEE bit order, UTF-8 code points) may differ from the
   * comparison the executor uses for a sort ({@code Double.compare}, UTF-16 {@code String.compareTo}).
   */
  static RelCollation keyOrder(TableLayout layout, int[] projection, AccessPath access) {
    if (access instanceof AccessPath.IndexScan) {
      return RelCollations.EMPTY;
    }
    int[] primaryKey = layout.primaryKey();
    List<RelFieldCollation> fields = new ArrayList<>(primaryKey.length);
    for (int position = 0; position < primaryKey.length; position++) {
      int output = indexOf(projection, primaryKey[position]);
      if (output < 0 || !KEY_ORDER_MATCHES_SQL.contains(layout.primaryKeyType(position))) {
        break;
      }
      // Primary-key columns are NOT NULL, so the null direction never applies.
      fields.add(new RelFieldCollation(output, RelFieldCollation.Direction.ASCENDING,
          RelFieldCollation.NullDirection.FIRST));
    }
    return RelCollations.of(fields);
  }

  private static int indexOf(int[] values, int value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new ShaleTableScan(getCluster(), traitSet, getTable(), shaleTable, projection, access, rowLimit, pushed);
  }

  @Override
  public RelDataType deriveRowType() {
    List<RelDataTypeField> fields = getTable().getRowType().getFieldList();
    RelDataTypeFactory.Builder builder = getCluster().getTypeFactory().builder();
    for (int column : projection) {
      builder.add(fields.get(column));
    }
    return builder.build();
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    List<String> names = new ArrayList<>(projection.length);
    List<RelDataTypeField> fields = getTable().getRowType().getFieldList();
    for (int column : projection) {
      names.add(fields.get(column).getName());
    }
    return super.explainTerms(pw).item("access", access).item("columns", names)
        .itemIf("limit", rowLimit, rowLimit != NO_LIMIT).itemIf("pushed", pushed, !pushed.isEmpty());
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    // Shards drop the rows that fail the pushed conditions (the planner compares plans by rows first).
    double rows = estimatedRows(access) * pushedSelectivity();
    return rowLimit == NO_LIMIT ? rows : Math.min(rows, rowLimit);
  }

  /**
   * Rows an access path is expected to read. With statistics (ANALYZE): equalities on key or index
   * columns match the row count over their distinct values, ranges the share of the histogram
   * between their bounds (when the bounds are constants). Without, or for a parameter's unknown
   * value: a fixed fraction of the table per kind of access, so that the planner prefers a point
   * get to an index lookup, an equality to a range, and any of them to a full scan.
   */
  private double estimatedRows(AccessPath access) {
    double table = shaleTable.rowCount();
    TableLayout layout = shaleTable.layout();
    if (access instanceof AccessPath.KeyLookup lookup) {
      return lookup.complete() ? 1 : equalityRows(Arrays.copyOf(layout.primaryKey(), lookup.keyValues().size()), 10);
    }
    if (access instanceof AccessPath.KeyRange range) {
      int prefix = range.prefix().size();
      double matching = prefix == 0 ? table : equalityRows(Arrays.copyOf(layout.primaryKey(), prefix), 10);
      return Math.max(1, matching * rangeFraction(layout.primaryKey()[prefix], range.lower(), range.upper()));
    }
    if (access instanceof AccessPath.IndexScan scan) {
      if (scan.unique()) {
        return 1;
      }
      int[] columns = layout.index(scan.indexName()).columns();
      int prefix = scan.prefix().size();
      double matching = prefix == 0 ? table : equalityRows(Arrays.copyOf(columns, prefix), 20);
      if (scan.lower() == null && scan.upper() == null) {
        return Math.max(1, matching);
      }
      return Math.max(1, matching * rangeFraction(columns[prefix], scan.lower(), scan.upper()));
    }
    return table;
  }

  /**
   * The share of rows meeting the pushed conditions: from statistics where a condition's column has them (a
   * parameter's value counts as unknown for a range), and one half for all the others together.
   */
  private double pushedSelectivity() {
    double known = 1;
    boolean unknown = false;
    Set<Integer> reachedByKey = accessColumns();
    for (PushedCondition condition : pushed) {
      ColumnStatistics stats = shaleTable.columnStatistics(condition.column());
      if (reachedByKey.contains(condition.column())) {
        // The access path's estimate already counts it (shards check the key's own condition again).
        continue;
      }
      if (stats == null) {
        unknown = true;
      } else if (condition.comparison() == io.shaledb.kv.RowFilter.Comparison.EQUAL) {
        known *= (1 - stats.nullFraction()) / Math.max(1, stats.distinctCount());
      } else {
        boolean below = condition.comparison() == io.shaledb.kv.RowFilter.Comparison.LESS
            || condition.comparison() == io.shaledb.kv.RowFilter.Comparison.LESS_OR_EQUAL;
        boolean inclusive = condition.comparison() == io.shaledb.kv.RowFilter.Comparison.LESS_OR_EQUAL
            || condition.comparison() == io.shaledb.kv.RowFilter.Comparison.GREATER_OR_EQUAL;
        AccessPath.Bound bound = new AccessPath.Bound(condition.operand(), inclusive);
        double fraction = below ? rangeFraction(condition.column(), null, bound) : rangeFraction(condition.column(), bound, null);
        known *= fraction;
      }
    }
    return unknown ? known * 0.5 : known;
  }

  /** The table columns the access path's key or index range constrains. */
  private Set<Integer> accessColumns() {
    int[] keyColumns;
    int constrained;
    if (access instanceof AccessPath.KeyLookup lookup) {
      keyColumns = shaleTable.layout().primaryKey();
      constrained = lookup.keyValues().size();
    } else if (access instanceof AccessPath.KeyRange range) {
      keyColumns = shaleTable.layout().primaryKey();
      constrained = range.prefix().size() + 1;
    } else if (access instanceof AccessPath.IndexScan scan) {
      keyColumns = shaleTable.layout().index(scan.indexName()).columns();
      constrained = scan.prefix().size() + (scan.lower() != null || scan.upper() != null ? 1 : 0);
    } else {
      return Set.of();
    }
    Set<Integer> columns = new java.util.HashSet<>();
    for (int i = 0; i < constrained; i++) {
      columns.add(keyColumns[i]);
    }
    return columns;
  }

  /** Rows whose {@code columns} equal given values: from distinct counts, else a share of 1 / {@code guessPerColumn} per column. */
  private double equalityRows(int[] columns, double guessPerColumn) {
    double perValue = shaleTable.rowsPerValue(columns);
    return perValue >= 0 ? perValue : shaleTable.rowCount() / Math.pow(guessPerColumn, columns.length);
  }

  /** Share of rows whose {@code column} lies between the bounds (null: unbounded). */
  private double rangeFraction(int column, AccessPath.Bound lower, AccessPath.Bound upper) {
    ColumnStatistics stats = shaleTable.columnStatistics(column);
    double lowerValue = lower == null ? 0 : constantNumber(lower.value());
    double upperValue = upper == null ? 0 : constantNumber(upper.value());
    if (stats == null || stats.histogram().isEmpty() || Double.isNaN(lowerValue) || Double.isNaN(upperValue)) {
      return lower != null && upper != null ? 1d / 8 : 1d / 3;
    }
    double belowUpper = upper == null ? 1 : stats.fractionBelow(upperValue, upper.inclusive());
    double belowLower = lower == null ? 0 : stats.fractionBelow(lowerValue, !lower.inclusive());
    return Math.max(0, belowUpper - belowLower) * (1 - stats.nullFraction());
  }

  /** The value of a constant bound as a number of the histogram's scale; NaN for a parameter or a non-number. */
  private static double constantNumber(KeyOperand operand) {
    if (operand instanceof KeyOperand.Constant constant) {
      if (constant.value() instanceof Number number) {
        return number.doubleValue();
      }
      if (constant.value() instanceof Boolean bool) {
        return bool ? 1 : 0;
      }
    }
    return Double.NaN;
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    // What the shards read, before they drop the rows that fail the pushed conditions; a LIMIT stops them early.
    double read = estimatedRows(access);
    if (rowLimit != NO_LIMIT) {
      read = Math.min(read, rowLimit / Math.max(pushedSelectivity(), 1e-6));
    }
    // Decoding fewer columns is cheaper; the +2 keeps a one-column scan from looking free.
    double widthFactor = (projection.length + 2d) / (getTable().getRowType().getFieldCount() + 2d);
    // An index scan reads each entry, then looks its row up by primary key: a B-tree descent, priced as a
    // lookup join prices one (Volcano compares costs by their row component alone).
    boolean indexed = access instanceof AccessPath.IndexScan;
    double costRows = indexed ? read * (1 + ShaleLookupJoin.LOOKUP_COST_ROWS) : read;
    double reads = indexed ? 2 * read : read;
    return planner.getCostFactory().makeCost(costRows, reads * widthFactor, reads);
  }

  @Override
  public void register(RelOptPlanner planner) {
    ShaleRules.register(planner);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), pref.preferArray());
    boolean scalarRows = physType.getFormat() == JavaRowFormat.SCALAR;
    ScanExecution execution = new ScanExecution(shaleTable.layout(), projection, access, scalarRows, rowLimit, pushed);
    Expression call = Expressions.call(implementor.stash(execution, ScanExecution.class), "execute",
        implementor.getRootExpression());
    return implementor.result(physType, Blocks.toBlock(call));
  }

  @Override
  public String toString() {
    return "ShaleTableScan(" + shaleTable.definition().name() + ", " + access + ", " + Arrays.toString(projection) + ")";
  }
}
