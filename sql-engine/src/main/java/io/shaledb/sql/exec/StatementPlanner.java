package io.shaledb.sql.exec;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.security.TableAccess;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptListener;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.util.CancelFlag;

/**
 * Turns SQL text into a {@link StatementPlan}: parse, validate, convert to relational algebra,
 * optimize into Calcite's enumerable convention (with ShaleDB's scan push-down rules) and compile.
 *
 * <p>Thread-safe: every call builds its own validator and planner.
 */
final class StatementPlanner {
  private static final Program OPTIMIZER = Programs.standard();

  private final JavaTypeFactory typeFactory;
  private final SqlOperatorTable operatorTable;
  private final CalciteConnectionConfig connectionConfig;
  private final SqlValidator.Config validatorConfig;
  private final Clock clock;
  private final long planningTimeoutMs;

  StatementPlanner(JavaTypeFactory typeFactory, SqlOperatorTable operatorTable, CalciteConnectionConfig connectionConfig,
      SqlValidator.Config validatorConfig, Clock clock, long planningTimeoutMs) {
    this.clock = clock;
    this.planningTimeoutMs = planningTimeoutMs;
    this.typeFactory = typeFactory;
    this.operatorTable = operatorTable;
    this.connectionConfig = connectionConfig;
    this.validatorConfig = validatorConfig;
  }

  /** A plan and the privileges running it needs ({@link AccessAnalysis}). */
  record Planned(StatementPlan plan, List<TableAccess> access) {}

  StatementPlan plan(String sql, SchemaSnapshot schema) {
    return planWithAccess(sql, schema).plan();
  }

  Planned planWithAccess(String sql, SchemaSnapshot schema) {
    SqlNode statement = ShaleSqlParser.parseStatement(sql);
    StatementPlan special = SpecialStatements.plan(statement);
    if (special != null) {
      // DDL and transaction control are authorized when they run, against the catalog of then.
      return new Planned(special, List.of());
    }
    try {
      if (statement instanceof SqlExplain explain) {
        return explain(explain, schema);
      }
      return planDml(statement, schema, false);
    } catch (ShaleException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw SqlErrors.translate(e);
    }
  }

  private Planned planDml(SqlNode statement, SchemaSnapshot schema, boolean explaining) {
    Planning planning = new Planning(schema);
    try {
      return planDml(statement, planning, explaining);
    } catch (RuntimeException e) {
      if (planning.cancelFlag.get()) {
        // The optimizer reports its cancellation as a failure to find a plan; say what really happened.
        throw new ShaleException(SqlState.STATEMENT_TOO_COMPLEX,
            "planning took longer than " + planningTimeoutMs + " ms; simplify the statement");
      }
      throw e;
    }
  }

  private Planned planDml(SqlNode statement, Planning planning, boolean explaining) {
    SqlNode validated = planning.validator.validate(statement);
    List<RelDataType> parameterTypes = parameterTypes(planning.validator, validated);
    List<ResultColumn> columns = validated.getKind().belongsTo(SqlKind.QUERY)
        ? resultColumns(planning.validator, validated) : null;
    if (!explaining) {
      StatementPlan fast = FastPaths.plan(validated, planning.schema, parameterTypes, columns);
      if (fast != null) {
        return new Planned(fast, AccessAnalysis.ofFastPath(fast, validated));
      }
    }
    RelRoot root = planning.converter().convertQuery(validated, false, true);
    List<TableAccess> access = AccessAnalysis.of(root.rel, validated);
    if (root.rel instanceof TableModify modify) {
      return new Planned(planModify(planning, modify, parameterTypes), access);
    }
    if (!validated.getKind().belongsTo(SqlKind.QUERY)) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "statement kind " + validated.getKind() + " is not supported");
    }
    EnumerableRel physical = planning.optimize(root.project());
    Map<String, Object> internals = new HashMap<>();
    Bindable<Object> bindable = compile(internals, physical);
    return new Planned(new StatementPlan.Query(bindable, internals, columns, parameterTypes,
        RelOptUtil.toString(physical)), access);
  }

  private StatementPlan planModify(Planning planning, TableModify modify, List<RelDataType> parameterTypes) {
    ShaleTable table = modify.getTable().unwrap(ShaleTable.class);
    if (table == null) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "only ShaleDB tables can be modified");
    }
    int[] updatedColumns = new int[0];
    if (modify.getOperation() == TableModify.Operation.UPDATE) {
      List<String> names = modify.getUpdateColumnList();
      updatedColumns = new int[names.size()];
      for (int i = 0; i < names.size(); i++) {
        updatedColumns[i] = table.definition().columnIndex(names.get(i));
      }
    } else if (modify.getOperation() != TableModify.Operation.INSERT && modify.getOperation() != TableModify.Operation.DELETE) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, modify.getOperation() + " is not supported yet");
    }
    EnumerableRel physicalInput = planning.optimize(modify.getInput());
    Map<String, Object> internals = new HashMap<>();
    Bindable<Object> input = compile(internals, physicalInput);
    return new StatementPlan.Modify(modify.getOperation(), table, input, internals, updatedColumns, parameterTypes,
        modify.getOperation() + " " + table.definition().name() + "\n" + RelOptUtil.toString(physicalInput));
  }

  private Planned explain(SqlExplain explain, SchemaSnapshot schema) {
    // EXPLAIN shows the general plan: the access path is the same one a fast path takes.
    // It needs the privileges of the statement it explains, as in PostgreSQL.
    Planned planned = planDml(explain.getExplicandum(), schema, true);
    StatementPlan inner = planned.plan();
    String text;
    if (inner instanceof StatementPlan.Query query) {
      text = query.physicalPlan();
    } else if (inner instanceof StatementPlan.Modify modify) {
      text = modify.physicalPlan();
    } else {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "EXPLAIN supports queries and DML");
    }
    return new Planned(new StatementPlan.Explain(List.of(text.strip().split("\n"))), planned.access());
  }

  @SuppressWarnings("unchecked")
  private static Bindable<Object> compile(Map<String, Object> internals, EnumerableRel physical) {
    return EnumerableInterpretable.toBindable(internals, null, physical, EnumerableRel.Prefer.ARRAY);
  }

  private static List<RelDataType> parameterTypes(SqlValidator validator, SqlNode validated) {
    RelDataType parameterRow = validator.getParameterRowType(validated);
    List<RelDataType> types = new ArrayList<>(parameterRow.getFieldCount());
    for (RelDataTypeField field : parameterRow.getFieldList()) {
      types.add(field.getType());
    }
    return types;
  }

  private static List<ResultColumn> resultColumns(SqlValidator validator, SqlNode validated) {
    RelDataType rowType = validator.getValidatedNodeType(validated);
    List<List<String>> origins = validator.getFieldOrigins(validated);
    List<ResultColumn> columns = new ArrayList<>(rowType.getFieldCount());
    for (int i = 0; i < rowType.getFieldCount(); i++) {
      RelDataTypeField field = rowType.getFieldList().get(i);
      List<String> origin = i < origins.size() ? origins.get(i) : null;
      String table = origin != null && origin.size() >= 2 ? origin.get(origin.size() - 2) : null;
      String column = origin != null && !origin.isEmpty() ? origin.get(origin.size() - 1) : null;
      columns.add(new ResultColumn(field.getName(), field.getType(), table, column));
    }
    return columns;
  }

  /**
   * Raises the optimizer's cancel flag once the planning deadline passes. Calcite checks the flag
   * before every rule firing and reports each firing to listeners, so a deadline needs no timer.
   */
  private static final class PlanningDeadline implements RelOptListener {
    private final Clock clock;
    private final long deadlineMillis;
    private final AtomicBoolean cancelFlag;

    PlanningDeadline(Clock clock, long deadlineMillis, AtomicBoolean cancelFlag) {
      this.clock = clock;
      this.deadlineMillis = deadlineMillis;
      this.cancelFlag = cancelFlag;
    }

    @Override
    public void ruleAttempted(RuleAttemptedEvent event) {
      if (clock.millis() > deadlineMillis) {
        cancelFlag.set(true);
      }
    }

    @Override
    public void relEquivalenceFound(RelEquivalenceEvent event) {}

    @Override
    public void ruleProductionSucceeded(RuleProductionEvent event) {}

    @Override
    public void relDiscarded(RelDiscardedEvent event) {}

    @Override
    public void relChosen(RelChosenEvent event) {}
  }

  /** The validator, converter and planner of one statement. */
  private final class Planning {
    final SqlValidator validator;
    final AtomicBoolean cancelFlag = new AtomicBoolean();
    final SchemaSnapshot schema;
    private final CalciteCatalogReader catalogReader;
    private SqlToRelConverter converter;
    private VolcanoPlanner planner;

    Planning(SchemaSnapshot schema) {
      this.schema = schema;
      catalogReader = new CalciteCatalogReader(schema.rootSchema(), List.of(SchemaSnapshot.SCHEMA_NAME),
          typeFactory, connectionConfig);
      validator = new ShaleSqlValidator(
          org.apache.calcite.sql.util.SqlOperatorTables.chain(operatorTable, catalogReader), catalogReader, typeFactory,
          validatorConfig);
    }

    /** The converter, with the optimizer behind it; made only for statements that need them, as they cost more than validation. */
    SqlToRelConverter converter() {
      if (converter == null) {
        planner = new VolcanoPlanner(null, Contexts.of(connectionConfig, new CancelFlag(cancelFlag)));
        planner.addListener(new PlanningDeadline(clock, clock.millis() + planningTimeoutMs, cancelFlag));
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        RelOptUtil.registerDefaultRules(planner, false, false);
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        converter = new SqlToRelConverter(null, validator, catalogReader, cluster, StandardConvertletTable.INSTANCE,
            SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
      }
      return converter;
    }

    EnumerableRel optimize(RelNode logical) {
      RelTraitSet desired = logical.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify();
      RelNode best = OPTIMIZER.run(planner, logical, desired, List.of(), List.of());
      return (EnumerableRel) best;
    }
  }
}
