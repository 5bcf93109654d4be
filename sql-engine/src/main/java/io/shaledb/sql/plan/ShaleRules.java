package io.shaledb.sql.plan;

import io.shaledb.kv.RowFilter;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.rel.ShaleLookupJoin;
import io.shaledb.sql.rel.ShaleTableScan;
import io.shaledb.sql.runtime.KeyValues;
import io.shaledb.sql.schema.IndexLayout;
import io.shaledb.sql.schema.ShaleTypes;
import io.shaledb.sql.schema.TableLayout;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilderFactory;

/** The planner rules that push work into {@link ShaleTableScan}, registered in one place. */
public final class ShaleRules {
  private ShaleRules() {}

  /** The alternatives Volcano holds for {@code node} (a rule's input is a subset), or the node itself. */
  private static List<RelNode> rels(RelNode node) {
    return node instanceof RelSubset subset ? subset.getRelList() : List.of(node);
  }

  public static void register(RelOptPlanner planner) {
    planner.addRule(PROJECT_INTO_SCAN);
    planner.addRule(KEY_FILTER_INTO_SCAN);
    planner.addRule(LOOKUP_JOIN);
    planner.addRule(LIMIT_INTO_SCAN);
    planner.addRule(SORT_BY_KEY);
  }

  /**
   * ORDER BY leading primary-key columns over a read of one table by its primary key (a scan, possibly under
   * filters and projections of plain columns) needs no sort: the storage returns rows in key order. The same
   * read, marked sorted ({@link ShaleTableScan#sortedByKey}), replaces the Sort. With LIMIT or OFFSET the Sort
   * stays for them over the marked read, which Calcite then turns into a limit without a sort; a LIMIT of
   * constants over the scan itself also bounds what the scan asks the storage for (the first rows in key order).
   */
  static final RelOptRule SORT_BY_KEY = new RuleConfig(
      "ShaleSortByKey",
      b -> b.operand(LogicalSort.class)
          .predicate(sort -> !sort.getCollation().getFieldCollations().isEmpty())
          .anyInputs(),
      SortByKey::new).toRule();

  private static final class SortByKey extends RelRule<RuleConfig> {
    /** Filters and projections looked through below a Sort; a bound, as a set may (after merges) contain its own input. */
    private static final int DEPTH_MAX = 8;

    SortByKey(RuleConfig config) {
      super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      LogicalSort sort = call.rel(0);
      RelNode sorted = sortedByKey(sort.getInput(), sort.getCollation(), 0);
      if (sorted == null) {
        return;
      }
      if (sort.fetch == null && sort.offset == null) {
        call.transformTo(sorted);
        return;
      }
      long limit = LimitIntoScan.rowsToRead(sort);
      RelNode input = sorted instanceof ShaleTableScan scan && limit != ShaleTableScan.NO_LIMIT
          && scan.rowLimit() == ShaleTableScan.NO_LIMIT ? scan.withRowLimit(limit) : sorted;
      call.transformTo(sort.copy(sort.getTraitSet(), input, sort.getCollation(), sort.offset, sort.fetch));
    }

    /** {@code node}'s rows from a read marked sorted that satisfies {@code collation}, or null if there is none. */
    private static RelNode sortedByKey(RelNode node, RelCollation collation, int depth) {
      if (depth > DEPTH_MAX) {
        return null;
      }
      for (RelNode rel : rels(node)) {
        if (rel instanceof ShaleTableScan scan) {
          ShaleTableScan marked = scan.sortedByKey();
          if (marked.getTraitSet().getCollation().satisfies(collation)) {
            return marked;
          }
        } else if (rel instanceof LogicalFilter filter) {
          RelNode input = sortedByKey(filter.getInput(), collation, depth + 1);
          if (input != null) {
            return filter.copy(filter.getTraitSet().replace(collation), input, filter.getCondition());
          }
        } else if (rel instanceof LogicalProject project && !RexOver.containsOver(project.getProjects(), null)) {
          RelCollation below = inputCollation(project, collation);
          RelNode input = below == null ? null : sortedByKey(project.getInput(), below, depth + 1);
          if (input != null) {
            return project.copy(project.getTraitSet().replace(collation), input, project.getProjects(),
                project.getRowType());
          }
        }
      }
      return null;
    }

    /** {@code collation} on the project's output as a collation of its input, or null if a sort key is computed. */
    private static RelCollation inputCollation(LogicalProject project, RelCollation collation) {
      List<RelFieldCollation> fields = new ArrayList<>();
      for (RelFieldCollation field : collation.getFieldCollations()) {
        if (!(project.getProjects().get(field.getFieldIndex()) instanceof RexInputRef ref)) {
          return null;
        }
        fields.add(field.withFieldIndex(ref.getIndex()));
      }
      return RelCollations.of(fields);
    }
  }

  /**
   * LIMIT (with OFFSET) without ORDER BY directly over a scan bounds what the scan asks the storage
   * for; the Sort stays above to apply the exact offset and count.
   */
  static final RelOptRule LIMIT_INTO_SCAN = new RuleConfig(
      "ShaleLimitIntoScan",
      b -> b.operand(org.apache.calcite.rel.logical.LogicalSort.class)
          .predicate(sort -> sort.fetch instanceof RexLiteral && sort.getCollation().getFieldCollations().isEmpty()
              && (sort.offset == null || sort.offset instanceof RexLiteral))
          .oneInput(s -> s.operand(ShaleTableScan.class)
              .predicate(scan -> scan.rowLimit() == ShaleTableScan.NO_LIMIT).noInputs()),
      LimitIntoScan::new).toRule();

  private static final class LimitIntoScan extends RelRule<RuleConfig> {
    LimitIntoScan(RuleConfig config) {
      super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      org.apache.calcite.rel.logical.LogicalSort sort = call.rel(0);
      ShaleTableScan scan = call.rel(1);
      long limit = rowsToRead(sort);
      if (limit == ShaleTableScan.NO_LIMIT) {
        return;
      }
      call.transformTo(sort.copy(sort.getTraitSet(), scan.withRowLimit(limit), sort.getCollation(), sort.offset,
          sort.fetch));
    }

    /** OFFSET plus LIMIT when both are constants (a missing OFFSET is 0), else {@link ShaleTableScan#NO_LIMIT}. */
    static long rowsToRead(LogicalSort sort) {
      if (!(sort.fetch instanceof RexLiteral fetchLiteral)
          || (sort.offset != null && !(sort.offset instanceof RexLiteral))) {
        return ShaleTableScan.NO_LIMIT;
      }
      long fetch = fetchLiteral.getValueAs(Long.class);
      long offset = sort.offset == null ? 0 : ((RexLiteral) sort.offset).getValueAs(Long.class);
      try {
        return Math.addExact(fetch, offset);
      } catch (ArithmeticException e) {
        return ShaleTableScan.NO_LIMIT;
      }
    }
  }

  /** A projection of plain columns over a scan becomes the scan's projection: fewer columns decoded. */
  static final RelOptRule PROJECT_INTO_SCAN = new RuleConfig(
      "ShaleProjectIntoScan",
      b -> b.operand(LogicalProject.class).oneInput(s -> s.operand(ShaleTableScan.class).noInputs()),
      ProjectIntoScan::new).toRule();

  /**
   * Equality on a key prefix, optionally followed by a range on the next key column, turns a full
   * scan into a point get, a primary-key range or an index scan. Every applicable access path is
   * offered; the cost model picks one.
   */
  static final RelOptRule KEY_FILTER_INTO_SCAN = new RuleConfig(
      "ShaleKeyFilterIntoScan",
      b -> b.operand(LogicalFilter.class).oneInput(s -> s.operand(ShaleTableScan.class)
          .predicate(scan -> scan.access() instanceof AccessPath.FullScan && scan.pushed().isEmpty()).noInputs()),
      KeyFilterIntoScan::new).toRule();

  /**
   * An inner or left equi-join whose right side is a table with a primary-key prefix or an index
   * on the join columns becomes a {@link ShaleLookupJoin}: one key lookup per left row instead of
   * reading the whole right table.
   */
  static final RelOptRule LOOKUP_JOIN = new RuleConfig(
      "ShaleLookupJoin",
      b -> b.operand(LogicalJoin.class).anyInputs(),
      LookupJoin::new).toRule();

  private static final class LookupJoin extends RelRule<RuleConfig> {
    LookupJoin(RuleConfig config) {
      super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      LogicalJoin join = call.rel(0);
      ShaleTableScan scan = innerScan(join.getRight());
      if (scan == null) {
        return;
      }
      if (join.getJoinType() != JoinRelType.INNER && join.getJoinType() != JoinRelType.LEFT) {
        return;
      }
      JoinInfo info = join.analyzeCondition();
      if (!info.isEqui() || info.leftKeys.isEmpty()) {
        return;
      }
      int[] scanColumns = scan.projection();
      TableLayout layout = scan.shaleTable().layout();
      List<RelDataTypeField> leftFields = join.getLeft().getRowType().getFieldList();
      // Table column joined -> left column.
      Map<Integer, Integer> joined = new HashMap<>();
      for (int i = 0; i < info.leftKeys.size(); i++) {
        joined.putIfAbsent(scanColumns[info.rightKeys.get(i)], info.leftKeys.get(i));
      }
      if (joined.size() != info.leftKeys.size()) {
        return;
      }
      AccessPath access = null;
      int[] keyColumns = layout.primaryKey();
      if (coversPrefix(keyColumns, joined.keySet())) {
        List<KeyOperand> placeholders = placeholders(joined.size());
        access = new AccessPath.KeyLookup(placeholders, joined.size() == keyColumns.length);
      } else {
        for (IndexLayout index : layout.indexes()) {
          if (index.definition().ready() && coversPrefix(index.columns(), joined.keySet())) {
            keyColumns = index.columns();
            boolean unique = index.definition().unique() && joined.size() == keyColumns.length;
            access = new AccessPath.IndexScan(index.definition().name(), placeholders(joined.size()), null, null, unique);
            break;
          }
        }
      }
      if (access == null) {
        return;
      }
      int[] outerKeys = new int[joined.size()];
      for (int i = 0; i < outerKeys.length; i++) {
        int tableColumn = keyColumns[i];
        outerKeys[i] = joined.get(tableColumn);
        ColumnType innerType = layout.table().columns().get(tableColumn).type().storage();
        ColumnType outerType = ShaleTypes.storageType(leftFields.get(outerKeys[i]).getType());
        if (outerType == null || !KeyValues.compatible(outerType, innerType)) {
          return;
        }
      }
      RelNode left = convert(join.getLeft(), join.getLeft().getTraitSet().replace(EnumerableConvention.INSTANCE));
      call.transformTo(new ShaleLookupJoin(join.getCluster(), join.getTraitSet().replace(EnumerableConvention.INSTANCE),
          left, scan.withAccess(access), join.getJoinType(), outerKeys, join.getRowType()));
    }

    /**
     * The full scan that produces {@code right}'s rows, possibly through a projection of plain
     * columns (field trimming puts one there), as a scan of exactly those columns; or null.
     *
     * <p>The join's input is matched by hand rather than by an operand: the scan is in the
     * enumerable convention, and Volcano does not offer a physical input to a logical parent's
     * rule operands when the physical node arrives after the parent.
     */
    private static ShaleTableScan innerScan(RelNode right) {
      for (RelNode candidate : rels(right)) {
        if (candidate instanceof ShaleTableScan scan && scan.access() instanceof AccessPath.FullScan) {
          return scan;
        }
        if (candidate instanceof LogicalProject project) {
          for (RelNode below : rels(project.getInput())) {
            if (below instanceof ShaleTableScan scan && scan.access() instanceof AccessPath.FullScan) {
              int[] scanColumns = scan.projection();
              int[] columns = new int[project.getProjects().size()];
              boolean plain = true;
              for (int i = 0; i < columns.length && plain; i++) {
                plain = project.getProjects().get(i) instanceof RexInputRef;
                columns[i] = plain ? scanColumns[((RexInputRef) project.getProjects().get(i)).getIndex()] : -1;
              }
              if (plain) {
                return scan.withProjection(columns);
              }
            }
          }
        }
      }
      return null;
    }

    /** Whether {@code columns} are exactly the first {@code columns.size()} of {@code keyColumns}. */
    private static boolean coversPrefix(int[] keyColumns, java.util.Set<Integer> columns) {
      if (columns.size() > keyColumns.length) {
        return false;
      }
      for (int i = 0; i < columns.size(); i++) {
        if (!columns.contains(keyColumns[i])) {
          return false;
        }
      }
      return true;
    }

    /** Key operands that only name the outer row's columns; the values come from each outer row. */
    private static List<KeyOperand> placeholders(int count) {
      List<KeyOperand> operands = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        operands.add(new KeyOperand.OuterColumn(i));
      }
      return operands;
    }
  }

  private static final class ProjectIntoScan extends RelRule<RuleConfig> {
    ProjectIntoScan(RuleConfig config) {
      super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      LogicalProject project = call.rel(0);
      ShaleTableScan scan = call.rel(1);
      int[] scanColumns = scan.projection();
      int[] columns = new int[project.getProjects().size()];
      for (int i = 0; i < columns.length; i++) {
        if (!(project.getProjects().get(i) instanceof RexInputRef ref)) {
          return;
        }
        columns[i] = scanColumns[ref.getIndex()];
      }
      ShaleTableScan narrowed = scan.withProjection(columns);
      // Field names may differ (aliases); keep the project's names by keeping a rename on top when needed.
      if (narrowed.getRowType().getFieldNames().equals(project.getRowType().getFieldNames())) {
        call.transformTo(narrowed);
      } else {
        call.transformTo(call.builder().push(narrowed).rename(project.getRowType().getFieldNames()).build());
      }
    }
  }

  private static final class KeyFilterIntoScan extends RelRule<RuleConfig> {
    KeyFilterIntoScan(RuleConfig config) {
      super(config);
    }

    /** What the filter says about one table column. */
    private static final class ColumnConditions {
      KeyOperand equal;
      AccessPath.Bound lower;
      AccessPath.Bound upper;
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      LogicalFilter filter = call.rel(0);
      ShaleTableScan scan = call.rel(1);
      int[] scanColumns = scan.projection();
      TableLayout layout = scan.shaleTable().layout();
      Map<Integer, ColumnConditions> conditions = new HashMap<>();
      List<PushedCondition> pushed = new ArrayList<>();
      RexNode condition = RexUtil.expandSearch(filter.getCluster().getRexBuilder(), null, filter.getCondition());
      for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
        collect(conjunct, scanColumns, layout.table(), conditions, pushed);
      }
      List<AccessPath> candidates = new ArrayList<>();
      AccessPath primary = primaryKeyPath(layout, conditions);
      if (primary != null) {
        candidates.add(primary);
      }
      for (IndexLayout index : layout.indexes()) {
        if (index.definition().ready()) {
          AccessPath path = indexPath(index, conditions);
          if (path != null) {
            candidates.add(path);
          }
        }
      }
      for (AccessPath access : candidates) {
        // The whole condition stays above the scan: the access path only narrows what is read. The filter's
        // traits are derived anew: an index scan returns rows in another order than the scan it replaces.
        ShaleTableScan narrowed = scan.withAccess(access).withPushed(pushed);
        RelTraitSet traits = filter.getTraitSet().replaceIf(RelCollationTraitDef.INSTANCE,
            () -> narrowed.getTraitSet().getCollation());
        call.transformTo(filter.copy(traits, narrowed, filter.getCondition()));
      }
      if (!pushed.isEmpty()) {
        // Shards check the simple conditions themselves, so fewer rows cross the network.
        call.transformTo(filter.copy(filter.getTraitSet(), scan.withPushed(pushed), filter.getCondition()));
      }
    }

    private static AccessPath primaryKeyPath(TableLayout layout, Map<Integer, ColumnConditions> conditions) {
      int[] primaryKey = layout.primaryKey();
      Map<Integer, KeyOperand> equalities = new HashMap<>();
      conditions.forEach((column, c) -> {
        if (c.equal != null) {
          equalities.put(column, c.equal);
        }
      });
      List<KeyOperand> completeKey = KeyLookups.completeKey(primaryKey, equalities);
      if (completeKey != null) {
        return new AccessPath.KeyLookup(completeKey, true);
      }
      List<KeyOperand> prefix = new ArrayList<>();
      for (int column : primaryKey) {
        ColumnConditions c = conditions.get(column);
        if (c != null && c.equal != null) {
          prefix.add(c.equal);
          continue;
        }
        if (c != null && (c.lower != null || c.upper != null)) {
          return new AccessPath.KeyRange(prefix, c.lower, c.upper);
        }
        break;
      }
      if (prefix.isEmpty()) {
        return null;
      }
      return new AccessPath.KeyLookup(prefix, false); // a complete key was handled above
    }

    private static AccessPath indexPath(IndexLayout index, Map<Integer, ColumnConditions> conditions) {
      int[] columns = index.columns();
      List<KeyOperand> prefix = new ArrayList<>();
      for (int column : columns) {
        ColumnConditions c = conditions.get(column);
        if (c != null && c.equal != null) {
          prefix.add(c.equal);
          continue;
        }
        if (c != null && (c.lower != null || c.upper != null)) {
          return new AccessPath.IndexScan(index.definition().name(), prefix, c.lower, c.upper, false);
        }
        break;
      }
      if (prefix.isEmpty()) {
        return null;
      }
      boolean unique = index.definition().unique() && prefix.size() == columns.length;
      return new AccessPath.IndexScan(index.definition().name(), prefix, null, null, unique);
    }

    private static void collect(RexNode conjunct, int[] scanColumns, TableDef table, Map<Integer, ColumnConditions> conditions,
        List<PushedCondition> pushed) {
      SqlKind kind = conjunct.getKind();
      if (collectBoolean(conjunct, scanColumns, table, conditions, pushed)) {
        return;
      }
      if (kind != SqlKind.EQUALS && kind != SqlKind.LESS_THAN && kind != SqlKind.LESS_THAN_OR_EQUAL
          && kind != SqlKind.GREATER_THAN && kind != SqlKind.GREATER_THAN_OR_EQUAL) {
        return;
      }
      List<RexNode> operands = ((RexCall) conjunct).getOperands();
      RexNode left = operands.get(0);
      RexNode right = operands.get(1);
      if (!(left instanceof RexInputRef)) {
        RexNode swap = left;
        left = right;
        right = swap;
        kind = kind.reverse();
      }
      if (!(left instanceof RexInputRef ref)) {
        return;
      }
      int column = scanColumns[ref.getIndex()];
      ColumnType type = table.columns().get(column).type().storage();
      KeyOperand operand = keyOperand(right, left, type);
      if (operand == null) {
        return;
      }
      PushedCondition shardCheck = pushable(column, kind, operand, type);
      if (shardCheck != null) {
        pushed.add(shardCheck);
      }
      ColumnConditions c = conditions.computeIfAbsent(column, k -> new ColumnConditions());
      switch (kind) {
        case EQUALS -> c.equal = c.equal == null ? operand : c.equal;
        case GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
          if (c.lower == null) {
            c.lower = new AccessPath.Bound(operand, kind == SqlKind.GREATER_THAN_OR_EQUAL);
          }
        }
        default -> {
          if (c.upper == null) {
            c.upper = new AccessPath.Bound(operand, kind == SqlKind.LESS_THAN_OR_EQUAL);
          }
        }
      }
    }

    /**
     * Calcite writes {@code b = TRUE} as {@code b} and {@code b = FALSE} as {@code NOT b}: the same
     * equalities on a BOOLEAN column as the fast path sees. Returns whether the conjunct was one.
     */
    private static boolean collectBoolean(RexNode conjunct, int[] scanColumns, TableDef table,
        Map<Integer, ColumnConditions> conditions, List<PushedCondition> pushed) {
      RexInputRef ref;
      boolean value;
      if (conjunct instanceof RexInputRef bare) {
        ref = bare;
        value = true;
      } else if (conjunct.getKind() == SqlKind.NOT && ((RexCall) conjunct).getOperands().get(0) instanceof RexInputRef negated) {
        ref = negated;
        value = false;
      } else {
        return false;
      }
      int column = scanColumns[ref.getIndex()];
      ColumnType type = table.columns().get(column).type().storage();
      Object exact = KeyLookups.exactKeyValue(type, value);
      if (exact == null) {
        return true;
      }
      KeyOperand operand = new KeyOperand.Constant(exact);
      PushedCondition shardCheck = pushable(column, SqlKind.EQUALS, operand, type);
      if (shardCheck != null) {
        pushed.add(shardCheck);
      }
      ColumnConditions c = conditions.computeIfAbsent(column, k -> new ColumnConditions());
      c.equal = c.equal == null ? operand : c.equal;
      return true;
    }

    /**
     * The conjunct as a condition shards can check on stored values, or null. Strings only for
     * equality: their order in SQL (collation, padding) need not be Java's.
     */
    private static PushedCondition pushable(int column, SqlKind kind, KeyOperand operand, ColumnType type) {
      if (type == ColumnType.CHAR || (type == ColumnType.VARCHAR && kind != SqlKind.EQUALS)) {
        return null;
      }
      RowFilter.Comparison comparison = PushedCondition.comparisonOf(kind);
      return comparison == null ? null : new PushedCondition(column, comparison, operand);
    }

    private static KeyOperand keyOperand(RexNode value, RexNode column, ColumnType type) {
      if (value instanceof RexDynamicParam param) {
        // Only when the parameter has exactly the column's type: the value then needs no conversion.
        return param.getType().getSqlTypeName() == column.getType().getSqlTypeName()
            ? new KeyOperand.Parameter(param.getIndex()) : null;
      }
      if (value instanceof RexLiteral literal) {
        Object converted = literalAs(literal, type);
        return converted == null ? null : new KeyOperand.Constant(converted);
      }
      return null;
    }

    /** The literal in the storage representation of {@code type}, or null if it has no exact one ({@link KeyLookups}). */
    private static Object literalAs(RexLiteral literal, ColumnType type) {
      if (literal.isNull()) {
        return null;
      }
      try {
        Object constant = switch (type) {
          case SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE -> exact(literal);
          case VARCHAR, CHAR -> literal.getValueAs(String.class);
          case BOOLEAN -> literal.getValueAs(Boolean.class);
          case DATE -> KeyLookups.date(literal.getValueAs(Integer.class));
          case TIME -> KeyLookups.time(literal.getValueAs(Integer.class));
          case TIMESTAMP -> KeyLookups.timestamp(literal.getValueAs(Long.class));
        };
        return KeyLookups.exactKeyValue(type, constant);
      } catch (ArithmeticException | ClassCastException | IllegalArgumentException | AssertionError e) {
        return null;
      }
    }

    private static BigDecimal exact(RexLiteral literal) {
      BigDecimal value = literal.getValueAs(BigDecimal.class);
      if (value == null) {
        throw new IllegalArgumentException("not numeric");
      }
      return value;
    }
  }

  /** A rule configuration without Calcite's annotation-generated immutables. */
  record RuleConfig(String description, RelRule.OperandTransform operandSupplier, RelBuilderFactory relBuilderFactory,
      Function<RuleConfig, RelOptRule> factory) implements RelRule.Config {

    RuleConfig(String description, RelRule.OperandTransform operandSupplier, Function<RuleConfig, RelOptRule> factory) {
      this(description, operandSupplier, org.apache.calcite.rel.core.RelFactories.LOGICAL_BUILDER, factory);
    }

    @Override
    public RelOptRule toRule() {
      return factory.apply(this);
    }

    @Override
    public RelRule.Config withRelBuilderFactory(RelBuilderFactory newFactory) {
      return new RuleConfig(description, operandSupplier, newFactory, factory);
    }

    @Override
    public RelRule.Config withDescription(String newDescription) {
      return new RuleConfig(newDescription, operandSupplier, relBuilderFactory, factory);
    }

    @Override
    public RelRule.Config withOperandSupplier(RelRule.OperandTransform transform) {
      return new RuleConfig(description, transform, relBuilderFactory, factory);
    }
  }
}
