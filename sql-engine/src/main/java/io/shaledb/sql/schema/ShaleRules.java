package io.shaledb.sql.schema;

import io.shaledb.kv.encoding.ColumnType;
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

  /** Equality on a primary-key prefix turns a full scan into a point get or key-prefix range. */
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

    @Override
    public void onMatch(RelOptRuleCall call) {
      LogicalFilter filter = call.rel(0);
      ShaleTableScan scan = call.rel(1);
      int[] scanColumns = scan.projection();
      TableLayout layout = scan.shaleTable().layout();
      Map<Integer, KeyOperand> equalities = new HashMap<>();
      for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
        collectEquality(conjunct, scanColumns, layout, equalities);
      }
      int[] primaryKey = layout.primaryKey();
      List<KeyOperand> keyValues = new ArrayList<>();
      for (int column : primaryKey) {
        KeyOperand operand = equalities.get(column);
        if (operand == null) {
          break;
        }
        keyValues.add(operand);
      }
      if (keyValues.isEmpty()) {
        return;
      }
      AccessPath access = new AccessPath.KeyLookup(keyValues, keyValues.size() == primaryKey.length);
      // The whole condition stays above the scan: the lookup only narrows what is read.
      RelNode narrowed = filter.copy(filter.getTraitSet(), scan.withAccess(access), filter.getCondition());
      call.transformTo(narrowed);
    }

    private static void collectEquality(RexNode conjunct, int[] scanColumns, TableLayout layout,
        Map<Integer, KeyOperand> equalities) {
      if (conjunct.getKind() != SqlKind.EQUALS) {
        return;
      }
      List<RexNode> operands = ((RexCall) conjunct).getOperands();
      RexNode left = operands.get(0);
      RexNode right = operands.get(1);
      if (!(left instanceof RexInputRef)) {
        RexNode swap = left;
        left = right;
        right = swap;
      }
      if (!(left instanceof RexInputRef ref)) {
        return;
      }
      int column = scanColumns[ref.getIndex()];
      int keyPosition = indexOf(layout.primaryKey(), column);
      if (keyPosition < 0) {
        return;
      }
      ColumnType type = layout.primaryKeyType(keyPosition);
      KeyOperand operand = keyOperand(right, left, type);
      if (operand != null) {
        equalities.putIfAbsent(column, operand);
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

  private static int indexOf(int[] values, int value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
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
