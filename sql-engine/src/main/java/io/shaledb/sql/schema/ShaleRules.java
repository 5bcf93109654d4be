package io.shaledb.sql.schema;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.catalog.TableDef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilderFactory;

/** The planner rules that push work into {@link ShaleTableScan}, registered in one place. */
final class ShaleRules {
  private ShaleRules() {}

  static void register(RelOptPlanner planner) {
    planner.addRule(PROJECT_INTO_SCAN);
    planner.addRule(KEY_FILTER_INTO_SCAN);
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
          .predicate(scan -> scan.access() instanceof AccessPath.FullScan).noInputs()),
      KeyFilterIntoScan::new).toRule();

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
      RexNode condition = RexUtil.expandSearch(filter.getCluster().getRexBuilder(), null, filter.getCondition());
      for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
        collect(conjunct, scanColumns, layout.table(), conditions);
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
        // The whole condition stays above the scan: the access path only narrows what is read.
        call.transformTo(filter.copy(filter.getTraitSet(), scan.withAccess(access), filter.getCondition()));
      }
    }

    private static AccessPath primaryKeyPath(TableLayout layout, Map<Integer, ColumnConditions> conditions) {
      int[] primaryKey = layout.primaryKey();
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
      return new AccessPath.KeyLookup(prefix, prefix.size() == primaryKey.length);
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

    private static void collect(RexNode conjunct, int[] scanColumns, TableDef table, Map<Integer, ColumnConditions> conditions) {
      SqlKind kind = conjunct.getKind();
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

    /** The literal in the storage representation of {@code type}, or null if it has no exact one. */
    private static Object literalAs(RexLiteral literal, ColumnType type) {
      if (literal.isNull()) {
        return null;
      }
      try {
        return switch (type) {
          case SMALLINT -> exact(literal).shortValueExact();
          case INTEGER -> exact(literal).intValueExact();
          case BIGINT -> exact(literal).longValueExact();
          case DECIMAL -> exact(literal);
          case VARCHAR, CHAR -> literal.getValueAs(String.class);
          case BOOLEAN -> literal.getValueAs(Boolean.class);
          case DATE, TIME -> literal.getValueAs(Integer.class);
          case TIMESTAMP -> literal.getValueAs(Long.class);
          // Floating-point keys are matched by the filter above a scan, never looked up exactly.
          case REAL, DOUBLE -> null;
        };
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
