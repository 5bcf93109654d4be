package io.shaledb.sql.plan;

import com.google.common.collect.ImmutableList;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableValues;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Gives every numeric literal of a VALUES the type of its column before the code is generated.
 *
 * <p>Calcite can leave a literal in a VALUES with another type than its column, such as the
 * DECIMAL 1.5 in a column that type coercion made a nullable DOUBLE ({@code INSERT INTO t(d)
 * VALUES (1.5), (NULL)} into a DOUBLE column), and its code generator then fails a consistency
 * check (it asserts a DECIMAL literal is a BigDecimal, a float or a double, not a Double). Only
 * numeric literals are retyped: that is where the generator needs it.
 * Stateless apart from the builder.
 */
final class ValuesLiteralTypes extends RelHomogeneousShuttle {
  private final RexBuilder rexBuilder;

  private ValuesLiteralTypes(RexBuilder rexBuilder) {
    this.rexBuilder = rexBuilder;
  }

  static EnumerableRel apply(EnumerableRel plan) {
    return (EnumerableRel) plan.accept(new ValuesLiteralTypes(plan.getCluster().getRexBuilder()));
  }

  @Override
  public RelNode visit(RelNode other) {
    RelNode visited = super.visit(other);
    if (!(visited instanceof EnumerableValues values)) {
      return visited;
    }
    var fields = values.getRowType().getFieldList();
    boolean changed = false;
    ImmutableList.Builder<ImmutableList<RexLiteral>> tuples = ImmutableList.builder();
    for (ImmutableList<RexLiteral> tuple : values.getTuples()) {
      ImmutableList.Builder<RexLiteral> literals = ImmutableList.builder();
      for (int i = 0; i < tuple.size(); i++) {
        RexLiteral literal = tuple.get(i);
        RexLiteral typed = ofColumnType(literal, fields.get(i));
        changed |= typed != literal;
        literals.add(typed);
      }
      tuples.add(literals.build());
    }
    return changed ? EnumerableValues.create(values.getCluster(), values.getRowType(), tuples.build()) : values;
  }

  private RexLiteral ofColumnType(RexLiteral literal, RelDataTypeField field) {
    RelDataType type = field.getType();
    // Only numbers: the generated code converts other literals (text into VARCHAR, dates) correctly.
    if (literal.isNull() || literal.getType().getSqlTypeName() == type.getSqlTypeName()
        || !SqlTypeUtil.isNumeric(literal.getType()) || !SqlTypeUtil.isNumeric(type)) {
      return literal;
    }
    RelDataType notNull = rexBuilder.getTypeFactory().createTypeWithNullability(type, false);
    return rexBuilder.makeLiteral(literal.getValue(), notNull, false) instanceof RexLiteral typed ? typed : literal;
  }
}
