package io.shaledb.sql.rel;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexLiteral;

/**
 * A VALUES of many rows whose rows the generated code does not spell out: Calcite's own {@code
 * EnumerableValues} writes every literal into one generated method, and past a few thousand
 * values (an {@code IN} list of 10,000 keys, which Calcite turns into a join with VALUES; a large
 * INSERT ... VALUES) that method exceeds the JVM's 64 KB limit and the statement fails to
 * compile. Here the rows are computed once at planning, in Calcite's internal representation, and
 * handed to the generated code as one stashed list.
 */
public final class ShaleLargeValues extends Values implements EnumerableRel {
  /** Up to this many rows, Calcite's inline VALUES is kept: it is what small statements have always used. */
  static final int INLINE_ROWS_MAX = 64;

  /** Turns a large {@link LogicalValues} into a {@link ShaleLargeValues}. */
  public static final ConverterRule RULE = ConverterRule.Config.INSTANCE
      .withConversion(LogicalValues.class, values -> values.getTuples().size() > INLINE_ROWS_MAX, Convention.NONE,
          EnumerableConvention.INSTANCE, "ShaleLargeValuesRule")
      .withRuleFactory(Rule::new)
      .toRule(Rule.class);

  /** The rows: one value per row for a single column, else an {@code Object[]} per row. */
  private final List<Object> rows;

  private ShaleLargeValues(RelOptCluster cluster, RelDataType rowType, ImmutableList<ImmutableList<RexLiteral>> tuples,
      RelTraitSet traits, List<Object> rows) {
    super(cluster, rowType, tuples, traits);
    this.rows = rows;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new ShaleLargeValues(getCluster(), getRowType(), getTuples(), traitSet, rows);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    // Cheaper than the inline VALUES of the same rows, so that the planner never picks that one.
    return super.computeSelfCost(planner, mq).multiplyBy(0.5);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
    Expression stashed = implementor.stash(rows, List.class);
    BlockBuilder block = new BlockBuilder();
    block.add(Expressions.return_(null, Expressions.call(Linq4j.class, "asEnumerable", stashed)));
    return implementor.result(physType, block.toBlock());
  }

  /**
   * The rows of {@code tuples} as the generated code represents them (the classes Calcite's type
   * factory gives each column), or null if a value has no such plain representation.
   */
  private static List<Object> internalRows(JavaTypeFactory typeFactory, RelDataType rowType,
      List<? extends List<RexLiteral>> tuples) {
    int columns = rowType.getFieldCount();
    List<Class<?>> classes = new ArrayList<>(columns);
    for (int i = 0; i < columns; i++) {
      if (!(typeFactory.getJavaClass(rowType.getFieldList().get(i).getType()) instanceof Class<?> javaClass)) {
        return null;
      }
      classes.add(Primitive.box(javaClass));
    }
    List<Object> rows = new ArrayList<>(tuples.size());
    try {
      for (List<RexLiteral> tuple : tuples) {
        if (columns == 1) {
          rows.add(value(tuple.get(0), classes.get(0)));
        } else {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = value(tuple.get(i), classes.get(i));
          }
          rows.add(row);
        }
      }
    } catch (RuntimeException e) {
      // A literal of a kind this representation does not know: Calcite's inline VALUES handles it.
      return null;
    }
    return Collections.unmodifiableList(rows);
  }

  private static Object value(RexLiteral literal, Class<?> javaClass) {
    if (literal.isNull()) {
      return null;
    }
    Object value = literal.getValueAs(javaClass);
    if (value == null || !javaClass.isInstance(value)) {
      throw new IllegalArgumentException("no " + javaClass.getSimpleName() + " for " + literal);
    }
    return value;
  }

  /** The converter rule; it declines VALUES whose literals have no plain representation. */
  static final class Rule extends ConverterRule {
    Rule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      LogicalValues values = (LogicalValues) rel;
      JavaTypeFactory typeFactory = (JavaTypeFactory) values.getCluster().getTypeFactory();
      List<Object> rows = internalRows(typeFactory, values.getRowType(), values.getTuples());
      if (rows == null) {
        return null;
      }
      return new ShaleLargeValues(values.getCluster(), values.getRowType(), values.getTuples(),
          values.getTraitSet().replace(EnumerableConvention.INSTANCE), rows);
    }
  }
}
