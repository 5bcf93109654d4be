package io.shaledb.sql.plan;

import io.shaledb.sql.runtime.ExactMoments;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexWindow;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Rewrites the arithmetic Calcite would wrap around silently into arithmetic that is exact or
 * fails with 22003, before {@link org.apache.calcite.sql2rel.ConvertToChecked} makes + - * / checked:
 *
 * <ul>
 *   <li>SUM, AVG, STDDEV and VAR of a BIGINT: the type system makes their result a DECIMAL (as
 *       PostgreSQL's NUMERIC), but Calcite's aggregate code adds the BIGINT inputs with Java's
 *       {@code long +}; the argument is cast to DECIMAL(19, 0) first, so the sum is a BigDecimal
 *       (in GROUP BY aggregates and in window aggregates alike).
 *   <li>AVG, STDDEV and VAR of an exact number: Calcite divides with 16 significant digits; they
 *       become the sums and count they are computed from and an exact division ({@link ExactMoments}).
 *   <li>ABS of an integer: Calcite calls {@link Math#abs(int)}, which returns the smallest value
 *       unchanged; it becomes {@code CASE WHEN x < 0 THEN -x ELSE x END}, whose negation is checked.
 * </ul>
 *
 * <p>Subqueries are rewritten too. Stateless apart from the builder.
 */
final class ExactArithmetic extends RelHomogeneousShuttle {
  private static final Set<SqlKind> WIDENED = Set.of(SqlKind.SUM, SqlKind.SUM0, SqlKind.AVG, SqlKind.STDDEV_POP,
      SqlKind.STDDEV_SAMP, SqlKind.VAR_POP, SqlKind.VAR_SAMP);
  private static final Set<SqlKind> MOMENTS = Set.of(SqlKind.AVG, SqlKind.STDDEV_POP, SqlKind.STDDEV_SAMP,
      SqlKind.VAR_POP, SqlKind.VAR_SAMP);
  private static final int BIGINT_DIGITS = 19;

  private final RexBuilder rexBuilder;
  private final RexShuttle expressions = new RexShuttle() {
    @Override
    public RexNode visitCall(RexCall call) {
      RexNode visited = super.visitCall(call);
      if (visited instanceof RexCall abs && abs.getKind() == SqlKind.OTHER_FUNCTION
          && abs.getOperator() == SqlStdOperatorTable.ABS && SqlTypeUtil.isIntType(abs.getType())) {
        return checkedAbs(abs);
      }
      return visited;
    }

    @Override
    public RexNode visitOver(RexOver over) {
      RexNode visited = super.visitOver(over);
      if (visited instanceof RexOver window && WIDENED.contains(window.getAggOperator().getKind())
          && window.getOperands().size() == 1) {
        RexNode operand = window.getOperands().get(0);
        if (operand.getType().getSqlTypeName() == SqlTypeName.BIGINT) {
          // The converter has already made SUM a CASE around $SUM0 for empty windows: no null handling here.
          RexWindow frame = window.getWindow();
          return rexBuilder.makeOver(window.getType(), window.getAggOperator(),
              List.of(rexBuilder.makeCast(decimal(operand.getType()), operand)), frame.partitionKeys, frame.orderKeys,
              frame.getLowerBound(), frame.getUpperBound(), frame.getExclude(), frame.isRows(), true, false,
              window.isDistinct(), window.ignoreNulls());
        }
      }
      return visited;
    }

    @Override
    public RexNode visitSubQuery(RexSubQuery subQuery) {
      RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
      return visited.clone(visited.rel.accept(ExactArithmetic.this));
    }
  };

  private ExactArithmetic(RexBuilder rexBuilder) {
    this.rexBuilder = rexBuilder;
  }

  static RelNode rewrite(RelNode rel) {
    return rel.accept(new ExactArithmetic(rel.getCluster().getRexBuilder()));
  }

  @Override
  public RelNode visit(RelNode other) {
    RelNode rel = super.visit(other).accept(expressions);
    return rel instanceof LogicalAggregate aggregate ? exactMoments(widenBigintArguments(aggregate)) : rel;
  }

  /**
   * The aggregate with each AVG, VAR and STDDEV of an exact number replaced by the sums and count
   * it is computed from, under a projection that computes it exactly ({@link ExactMoments}). The
   * result has the aggregate's row type. DISTINCT and ordered calls are left to Calcite.
   */
  private RelNode exactMoments(RelNode rel) {
    if (!(rel instanceof LogicalAggregate aggregate)) {
      return rel;
    }
    RelNode input = aggregate.getInput();
    List<AggregateCall> calls = aggregate.getAggCallList();
    if (calls.stream().noneMatch(call -> exactMoment(call, input))) {
      return aggregate;
    }
    RelDataTypeFactory types = rexBuilder.getTypeFactory();
    // Below the aggregate: the input's fields, then each moment's argument as a DECIMAL and its square.
    List<RexNode> below = new ArrayList<>();
    for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
      below.add(rexBuilder.makeInputRef(input, i));
    }
    int[] valueFields = new int[calls.size()];
    int[] squareFields = new int[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      AggregateCall call = calls.get(i);
      if (!exactMoment(call, input)) {
        continue;
      }
      RelDataType type = input.getRowType().getFieldList().get(call.getArgList().get(0)).getType();
      RelDataType decimal = types.createTypeWithNullability(types.createSqlType(SqlTypeName.DECIMAL,
          types.getTypeSystem().getMaxPrecision(SqlTypeName.DECIMAL), Math.max(type.getScale(), 0)), type.isNullable());
      RexNode value = rexBuilder.makeCast(decimal, rexBuilder.makeInputRef(input, call.getArgList().get(0)));
      below.add(value);
      valueFields[i] = below.size() - 1;
      if (call.getAggregation().getKind() != SqlKind.AVG) {
        below.add(rexBuilder.makeCall(SqlStdOperatorTable.MULTIPLY, value, value));
        squareFields[i] = below.size() - 1;
      }
    }
    RelNode project = LogicalProject.create(input, List.of(), below, (List<String>) null, Set.of());
    int groupCount = aggregate.getGroupCount();
    // The new aggregate's calls; for a moment, its sum, sum of squares and count in a row.
    List<AggregateCall> newCalls = new ArrayList<>();
    int[] firstField = new int[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      AggregateCall call = calls.get(i);
      firstField[i] = groupCount + newCalls.size();
      if (!exactMoment(call, input)) {
        newCalls.add(call); // its arguments keep their positions: the projection starts with the input's fields
        continue;
      }
      newCalls.add(part(SqlStdOperatorTable.SUM, call, valueFields[i], project, groupCount));
      if (call.getAggregation().getKind() != SqlKind.AVG) {
        newCalls.add(part(SqlStdOperatorTable.SUM, call, squareFields[i], project, groupCount));
      }
      newCalls.add(part(SqlStdOperatorTable.COUNT, call, call.getArgList().get(0), project, groupCount));
    }
    RelNode newAggregate = aggregate.copy(aggregate.getTraitSet(), project, aggregate.getGroupSet(),
        aggregate.getGroupSets(), newCalls);
    List<RexNode> above = new ArrayList<>();
    for (int i = 0; i < groupCount; i++) {
      above.add(rexBuilder.makeInputRef(newAggregate, i));
    }
    for (int i = 0; i < calls.size(); i++) {
      AggregateCall call = calls.get(i);
      int first = firstField[i];
      if (!exactMoment(call, input)) {
        above.add(rexBuilder.makeInputRef(newAggregate, first));
        continue;
      }
      RexNode scale = rexBuilder.makeExactLiteral(BigDecimal.valueOf(call.getType().getScale()));
      SqlKind kind = call.getAggregation().getKind();
      RexNode sum = rexBuilder.makeInputRef(newAggregate, first);
      if (kind == SqlKind.AVG) {
        above.add(rexBuilder.makeCall(call.getType(), ExactMoments.AVERAGE,
            List.of(sum, rexBuilder.makeInputRef(newAggregate, first + 1), scale)));
      } else {
        above.add(rexBuilder.makeCall(call.getType(), ExactMoments.MOMENT, List.of(sum,
            rexBuilder.makeInputRef(newAggregate, first + 1), rexBuilder.makeInputRef(newAggregate, first + 2),
            rexBuilder.makeLiteral(kind == SqlKind.VAR_SAMP || kind == SqlKind.STDDEV_SAMP),
            rexBuilder.makeLiteral(kind == SqlKind.STDDEV_POP || kind == SqlKind.STDDEV_SAMP), scale)));
      }
    }
    return LogicalProject.create(newAggregate, List.of(), above, aggregate.getRowType().getFieldNames(), Set.of());
  }

  /** Whether {@code call} is an AVG, VAR or STDDEV of an exact number that {@link #exactMoments} computes. */
  private static boolean exactMoment(AggregateCall call, RelNode input) {
    if (!MOMENTS.contains(call.getAggregation().getKind()) || call.getArgList().size() != 1 || call.isDistinct()
        || !call.getCollation().getFieldCollations().isEmpty()) {
      return false;
    }
    RelDataType type = input.getRowType().getFieldList().get(call.getArgList().get(0)).getType();
    return SqlTypeUtil.isExactNumeric(type) && call.getType().getSqlTypeName() == SqlTypeName.DECIMAL;
  }

  /** SUM or COUNT of {@code argument}, under the same FILTER as {@code moment}; its type inferred. */
  private static AggregateCall part(SqlAggFunction function, AggregateCall moment, int argument, RelNode input,
      int groupCount) {
    return AggregateCall.create(function, false, false, false, List.of(argument), moment.filterArg, null,
        RelCollations.EMPTY, groupCount, input, null, null);
  }

  /** DECIMAL(19, 0), which holds every BIGINT, as nullable as {@code bigint}. */
  private RelDataType decimal(RelDataType bigint) {
    return rexBuilder.getTypeFactory().createTypeWithNullability(
        rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, BIGINT_DIGITS, 0), bigint.isNullable());
  }

  private RexNode checkedAbs(RexCall abs) {
    RexNode operand = abs.getOperands().get(0);
    RexNode negative = rexBuilder.makeCall(SqlStdOperatorTable.LESS_THAN, operand,
        rexBuilder.makeZeroLiteral(operand.getType()));
    RexNode negated = rexBuilder.makeCall(SqlStdOperatorTable.UNARY_MINUS, operand);
    return rexBuilder.makeCall(abs.getType(), SqlStdOperatorTable.CASE, List.of(negative, negated, operand));
  }

  /** The aggregate with each BIGINT argument of a sum-like call cast to DECIMAL; its row type is unchanged. */
  private RelNode widenBigintArguments(LogicalAggregate aggregate) {
    RelNode input = aggregate.getInput();
    List<RexNode> projects = new ArrayList<>();
    for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
      projects.add(rexBuilder.makeInputRef(input, i));
    }
    Map<Integer, Integer> widened = new HashMap<>();
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (WIDENED.contains(call.getAggregation().getKind()) && call.getArgList().size() == 1) {
        int argument = call.getArgList().get(0);
        RelDataType type = input.getRowType().getFieldList().get(argument).getType();
        if (type.getSqlTypeName() == SqlTypeName.BIGINT) {
          int field = widened.computeIfAbsent(argument, a -> {
            projects.add(rexBuilder.makeCast(decimal(type), rexBuilder.makeInputRef(input, a)));
            return projects.size() - 1;
          });
          calls.add(call.withArgList(List.of(field)));
          continue;
        }
      }
      calls.add(call);
    }
    if (widened.isEmpty()) {
      return aggregate;
    }
    RelNode project = LogicalProject.create(input, List.of(), projects, (List<String>) null, Set.of());
    return aggregate.copy(aggregate.getTraitSet(), project, aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
  }
}
