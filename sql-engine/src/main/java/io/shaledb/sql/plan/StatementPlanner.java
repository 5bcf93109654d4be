package io.shaledb.sql.plan;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.ddl.BackupStatements;
import io.shaledb.sql.ddl.DdlExecutor;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.parser.ddl.ShaleTruncateTable;
import io.shaledb.sql.rel.ShaleLargeValues;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.security.TableAccess;
import io.shaledb.sql.session.ResultColumn;
import io.shaledb.sql.session.SchemaSnapshot;
import io.shaledb.sql.session.SpecialStatements;
import io.shaledb.sql.session.SqlErrors;
import io.shaledb.sql.session.TimeTravel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptListener;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlMerge;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.ConvertToChecked;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
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
public final class StatementPlanner {
  private static final Program OPTIMIZER = Programs.standard();

  private final JavaTypeFactory typeFactory;
  private final SqlOperatorTable operatorTable;
  private final CalciteConnectionConfig connectionConfig;
  private final SqlValidator.Config validatorConfig;
  private final Clock clock;
  private final long planningTimeoutMs;

  public StatementPlanner(JavaTypeFactory typeFactory, SqlOperatorTable operatorTable, CalciteConnectionConfig connectionConfig,
      SqlValidator.Config validatorConfig, Clock clock, long planningTimeoutMs) {
    this.clock = clock;
    this.planningTimeoutMs = planningTimeoutMs;
    this.typeFactory = typeFactory;
    this.operatorTable = operatorTable;
    this.connectionConfig = connectionConfig;
    this.validatorConfig = validatorConfig;
  }

  /** A plan and the privileges running it needs ({@link AccessAnalysis}). */
  public record Planned(StatementPlan plan, List<TableAccess> access) {}

  public StatementPlan plan(String sql, SchemaSnapshot schema) {
    return planWithAccess(sql, schema, new AtomicBoolean()).plan();
  }

  /**
   * @param cancelFlag the statement's cancel flag: setting it stops planning with 57014
   */
  public Planned planWithAccess(String sql, SchemaSnapshot schema, AtomicBoolean cancelFlag) {
    PlanningBudget.checkText(sql);
    SqlNode statement;
    try {
      statement = ShaleSqlParser.parseStatement(sql);
    } catch (StackOverflowError e) {
      // The parser descends once per parenthesis; the thread and the connection live on.
      throw new ShaleException(SqlState.STATEMENT_TOO_COMPLEX, "statement too complex: it nests too deep to parse");
    }
    PlanningBudget.checkDepth(statement);
    PlanningBudget budget = new PlanningBudget(cancelFlag, clock, planningTimeoutMs);
    if (statement instanceof io.shaledb.sql.parser.ddl.ShaleBackupStatement backup) {
      // Authorized when it runs, as DDL is.
      return new Planned(BackupStatements.plan(backup, typeFactory), List.of());
    }
    StatementPlan special = SpecialStatements.plan(statement);
    if (special != null) {
      // DDL and transaction control are authorized when they run, against the catalog of then.
      return new Planned(special, List.of());
    }
    checkSupported(statement);
    return failingAsStatement(() -> {
      if (statement instanceof SqlExplain explain) {
        return explain(explain, schema, budget);
      }
      if (statement instanceof ShaleTruncateTable truncate) {
        // TRUNCATE is DELETE without a WHERE: transactional, MVCC-visible to time travel, and
        // subject to the same checks as any delete (foreign keys included); it maintains indexes.
        // It needs its own privilege, as in PostgreSQL, not DELETE.
        Planned delete = planDml(new SqlDelete(truncate.getParserPosition(), truncate.name(), null, null, null),
            schema, false, budget);
        return new Planned(delete.plan(), AccessAnalysis.ofTruncate(delete.access()));
      }
      return planDml(statement, schema, true, budget);
    });
  }

  /**
   * Refuses, with 0A000, a statement the grammar accepts but the planner has no plan for (CALL,
   * DESCRIBE, ...), which Calcite's converter would otherwise fail on with an internal error.
   */
  private static void checkSupported(SqlNode statement) {
    SqlKind kind = statement.getKind();
    boolean supported = statement.isA(SqlKind.QUERY) || statement instanceof ShaleTruncateTable
        || kind == SqlKind.INSERT || kind == SqlKind.UPDATE || kind == SqlKind.DELETE || kind == SqlKind.MERGE
        || kind == SqlKind.EXPLAIN;
    if (!supported) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
          "ShaleDB does not support " + kind.name().replace('_', ' ') + " statements");
    }
  }

  /**
   * Runs one planning step and turns whatever it throws into the {@link ShaleException} of a failed
   * statement. Calcite signals its own bugs with {@link AssertionError} (its {@code Litmus} checks
   * throw one even without {@code -ea}), a class it generates may fail to link, and deep nesting
   * overflows the stack. Planning writes nothing and shares no state between statements, so none of
   * these concerns more than the statement: the client gets SQLSTATE XX000 and its connection (and
   * the server thread) live on. Other {@link Error}s, such as running out of memory, are not the
   * statement's to handle and keep propagating.
   */
  private static <T> T failingAsStatement(Supplier<T> step) {
    try {
      return step.get();
    } catch (ShaleException e) {
      throw e;
    } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
      throw SqlErrors.translate(e);
    }
  }

  /** @param fastPathAllowed whether a {@link FastPaths} plan may stand in for the general one (not for EXPLAIN) */
  private Planned planDml(SqlNode statement, SchemaSnapshot schema, boolean fastPathAllowed, PlanningBudget budget) {
    if (statement instanceof SqlMerge merge) {
      return planMerge(merge, schema, budget);
    }
    Planning planning = new Planning(schema, budget);
    try {
      return planDml(statement, planning, fastPathAllowed);
    } catch (RuntimeException e) {
      if (budget.shouldStop()) {
        // The optimizer reports its cancellation as a failure to find a plan, and Calcite may wrap
        // what a checkpoint threw; say what really happened.
        throw budget.stopped();
      }
      throw e;
    }
  }

  private Planned planDml(SqlNode statement, Planning planning, boolean fastPathAllowed) {
    TimeTravel.typeParameters(statement);
    SqlNode validated = planning.validator.validate(statement);
    List<RelDataType> parameterTypes = parameterTypes(planning.validator, validated);
    List<ResultColumn> columns = validated.getKind().belongsTo(SqlKind.QUERY)
        ? resultColumns(planning.validator, validated) : null;
    if (fastPathAllowed) {
      // FastPaths matches plain table names only, so no FOR SYSTEM_TIME AS OF, view or system table reaches it.
      StatementPlan fast = FastPaths.plan(validated, planning.schema, parameterTypes, columns);
      if (fast != null) {
        return new Planned(fast, AccessAnalysis.ofFastPath(fast, validated));
      }
    }
    RelRoot root = planning.converter().convertQuery(validated, false, true);
    List<TableAccess> access = AccessAnalysis.of(root.rel, validated);
    // Overflowing integer arithmetic raises 22003 instead of wrapping around silently (ExactArithmetic
    // covers what ConvertToChecked does not: sums of BIGINT and ABS); string functions count characters
    // as code points (CodePointCalls).
    root = root.withRel(new ConvertToChecked(root.rel.getCluster().getRexBuilder(), true)
        .visit(ExactArithmetic.rewrite(CodePointCalls.rewrite(root.rel))));
    TimeTravel.Extracted timeTravel = TimeTravel.extract(root.rel);
    root = root.withRel(timeTravel.rel());
    if (root.rel instanceof TableModify modify) {
      if (timeTravel.asOf() != null && modify.getOperation() != TableModify.Operation.INSERT) {
        throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
            "FOR SYSTEM_TIME AS OF can be used in queries and in INSERT ... SELECT only");
      }
      return new Planned(planModify(planning, modify, parameterTypes, timeTravel.asOf()), access);
    }
    if (!validated.getKind().belongsTo(SqlKind.QUERY)) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "statement kind " + validated.getKind() + " is not supported");
    }
    EnumerableRel physical = planning.optimize(root.project());
    Map<String, Object> internals = new HashMap<>();
    Bindable<Object> bindable = compile(internals, physical);
    String plan = EstimatedRowsWriter.explain(physical);
    if (timeTravel.asOf() != null) {
      plan = "AS OF " + timeTravel.asOf().describe() + "\n" + plan;
    }
    return new Planned(new StatementPlan.Query(bindable, internals, columns, parameterTypes, plan, timeTravel.asOf()),
        access);
  }

  /** MERGE: the query {@link MergeStatement} builds, whose rows the writer inserts or applies as updates. */
  private Planned planMerge(SqlMerge merge, SchemaSnapshot schema, PlanningBudget budget) {
    if (!(merge.getTargetTable() instanceof SqlIdentifier target)) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "MERGE INTO needs a table name");
    }
    String name = DdlExecutor.tableName(target);
    ShaleTable table = schema.tables().get(name);
    if (table == null) {
      throw new ShaleException(schema.rootSchema().getSubSchema(SchemaSnapshot.SCHEMA_NAME, true).getTable(name, true) != null
          ? SqlState.WRONG_OBJECT_TYPE : SqlState.UNDEFINED_TABLE, "\"" + name + "\" is not a table");
    }
    MergeStatement statement = MergeStatement.of(merge, table.definition());
    // The query joins source and target, which no fast path matches; it must be the general plan.
    Planned planned = planDml(statement.query(), schema, false, budget);
    if (!(planned.plan() instanceof StatementPlan.Query query) || query.asOf() != null) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "MERGE cannot read FOR SYSTEM_TIME AS OF");
    }
    return new Planned(new StatementPlan.Modify(TableModify.Operation.MERGE, table, query.bindable(), query.internals(),
        statement.updatedColumns(), query.parameterTypes(), "MERGE " + name + "\n" + query.physicalPlan()),
        AccessAnalysis.ofMerge(table.definition(), planned.access()));
  }

  /** The names of the columns {@code querySql} produces, after validating it against {@code schema}. */
  public List<String> validateQuery(String querySql, SchemaSnapshot schema) {
    return queryRowType(querySql, schema).getFieldNames();
  }

  /** The row type of a query (a view's) validated against {@code schema}. */
  public RelDataType queryRowType(String querySql, SchemaSnapshot schema) {
    SqlNode query = ShaleSqlParser.parseStatement(querySql);
    if (!query.getKind().belongsTo(SqlKind.QUERY)) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "a view must be defined by a query");
    }
    return failingAsStatement(() -> {
      Planning planning = new Planning(schema, new PlanningBudget(new AtomicBoolean(), clock, planningTimeoutMs));
      SqlNode validated = planning.validator.validate(query);
      return planning.validator.getValidatedNodeType(validated);
    });
  }

  /**
   * A plan that evaluates one constant expression, for values computed once by DDL (the DEFAULT
   * that rows existing before ALTER TABLE ADD COLUMN read).
   */
  public StatementPlan.Query planExpression(String expressionSql, String castType, SchemaSnapshot schema) {
    StatementPlan plan = plan("SELECT CAST(" + expressionSql + " AS " + castType + ")", schema);
    if (!(plan instanceof StatementPlan.Query query)) {
      throw new IllegalStateException("a SELECT did not plan as a query");
    }
    return query;
  }

  private StatementPlan planModify(Planning planning, TableModify modify, List<RelDataType> parameterTypes,
      TimeTravel asOf) {
    ShaleTable table = modify.getTable().unwrap(ShaleTable.class);
    if (table == null) {
      throw new ShaleException(SqlState.WRONG_OBJECT_TYPE, "cannot change \""
          + modify.getTable().getQualifiedName().get(modify.getTable().getQualifiedName().size() - 1)
          + "\": only tables can be modified, not views or system tables");
    }
    int[] updatedColumns = new int[0];
    RelNode source = modify.getInput();
    if (modify.getOperation() == TableModify.Operation.UPDATE) {
      List<String> names = modify.getUpdateColumnList();
      updatedColumns = new int[names.size()];
      for (int i = 0; i < names.size(); i++) {
        updatedColumns[i] = table.definition().columnIndex(names.get(i));
      }
    } else if (modify.getOperation() != TableModify.Operation.INSERT && modify.getOperation() != TableModify.Operation.DELETE) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, modify.getOperation() + " is not supported yet");
    }
    EnumerableRel physicalInput = planning.optimize(source);
    Map<String, Object> internals = new HashMap<>();
    Bindable<Object> input = compile(internals, physicalInput);
    String plan = modify.getOperation() + " " + table.definition().name() + "\n"
        + (asOf == null ? "" : "AS OF " + asOf.describe() + "\n") + EstimatedRowsWriter.explain(physicalInput);
    return new StatementPlan.Modify(modify.getOperation(), table, input, internals, updatedColumns, parameterTypes,
        plan, asOf);
  }

  private Planned explain(SqlExplain explain, SchemaSnapshot schema, PlanningBudget budget) {
    // EXPLAIN shows the general plan: the access path is the same one a fast path takes.
    // It needs the privileges of the statement it explains, as in PostgreSQL.
    Planned planned = planDml(explain.getExplicandum(), schema, false, budget);
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

  /**
   * The type of each {@code ?}, in the order of the statement's text (JDBC's parameter numbers).
   *
   * <p>Not Calcite's {@link SqlValidator#getParameterRowType}: that lists parameters in the order
   * a depth-first walk of the validated tree meets them, which is not the text's order where the
   * tree is laid out differently: a CASE keeps all WHEN operands before all THEN operands, a
   * validated SELECT holds OFFSET before FETCH, and the query ShaleDB builds for a MERGE puts the
   * inserted row before the SET values and in the table's column order. A type taken from the
   * wrong column makes the value bound to a parameter be converted to it (12.75 bound for a
   * DECIMAL column stored as 13). Each parameter keeps the number the parser gave it, so the types
   * are placed by that number.
   */
  static List<RelDataType> parameterTypes(SqlValidator validator, SqlNode validated) {
    Map<Integer, RelDataType> byIndex = new TreeMap<>();
    validated.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlDynamicParam parameter) {
        // A node the validator copied keeps its number; the first typed copy stands for it.
        RelDataType type = validator.getValidatedNodeTypeIfKnown(parameter);
        if (type != null) {
          byIndex.putIfAbsent(parameter.getIndex(), type);
        }
        return null;
      }
    });
    List<RelDataType> types = new ArrayList<>(byIndex.size());
    for (Map.Entry<Integer, RelDataType> entry : byIndex.entrySet()) {
      if (entry.getKey() != types.size()) {
        // The validator refuses a parameter it cannot type, so a gap is a bug: never bind by guess.
        throw new IllegalStateException("no type for parameter " + (types.size() + 1));
      }
      types.add(entry.getValue());
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
   * Raises the optimizer's cancel flag once the planning deadline passes or the statement is
   * cancelled. Calcite checks the flag before every rule firing and reports each firing to
   * listeners, so neither needs a timer.
   */
  private static final class PlanningDeadline implements RelOptListener {
    private final PlanningBudget budget;
    private final AtomicBoolean optimizerCancelFlag;

    PlanningDeadline(PlanningBudget budget, AtomicBoolean optimizerCancelFlag) {
      this.budget = budget;
      this.optimizerCancelFlag = optimizerCancelFlag;
    }

    @Override
    public void ruleAttempted(RuleAttemptedEvent event) {
      if (budget.shouldStop()) {
        optimizerCancelFlag.set(true);
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

  /**
   * The validator, converter and planner of one statement. It is also the statement's view
   * expander: a view's query is validated and converted into the same cluster, as Calcite's own
   * preparation does.
   */
  private final class Planning implements RelOptTable.ViewExpander {
    /** Views nested deeper than this are refused (a cycle, or a mistake). */
    private static final int VIEW_DEPTH_MAX = 32;

    final SqlValidator validator;
    /** The optimizer's own flag, raised by {@link PlanningDeadline}. */
    final AtomicBoolean cancelFlag = new AtomicBoolean();
    final SchemaSnapshot schema;
    private final PlanningBudget budget;
    private final CalciteCatalogReader catalogReader;
    private SqlToRelConverter converter;
    private VolcanoPlanner planner;
    private Decorrelation decorrelation;
    private RelOptCluster cluster;
    private int viewDepth;

    Planning(SchemaSnapshot schema, PlanningBudget budget) {
      this.schema = schema;
      this.budget = budget;
      catalogReader = new CalciteCatalogReader(schema.rootSchema(), List.of(SchemaSnapshot.SCHEMA_NAME),
          typeFactory, connectionConfig);
      validator = newValidator(catalogReader);
    }

    private SqlValidator newValidator(CalciteCatalogReader reader) {
      return new ShaleSqlValidator(
          org.apache.calcite.sql.util.SqlOperatorTables.chain(operatorTable, reader), reader, typeFactory,
          validatorConfig, budget::check);
    }

    /** The converter, with the optimizer behind it; made only for statements that need them, as they cost more than validation. */
    SqlToRelConverter converter() {
      if (converter == null) {
        // Calcite's standard program decorrelates only when the context's config says so; see Decorrelation.
        decorrelation = new Decorrelation(connectionConfig);
        planner = new VolcanoPlanner(null, Contexts.chain(decorrelation, Contexts.of(new CancelFlag(cancelFlag))));
        planner.addListener(new PlanningDeadline(budget, cancelFlag));
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        RelOptUtil.registerDefaultRules(planner, false, false);
        planner.addRule(ShaleLargeValues.RULE);
        // Calcite 1.42's ProjectAggregateMergeRule turns COALESCE(SUM(x), 0) into a new SUM0(x)
        // call but references it by its position among the aggregate calls, not counting the
        // GROUP BY keys: with GROUP BY the projection reads the wrong column (SUM itself, or the
        // next aggregate, such as a COUNT(*)). It fails Calcite's type check or, if the types
        // happen to agree, silently returns wrong rows. Without it COALESCE stays a projection.
        planner.removeRule(CoreRules.PROJECT_AGGREGATE_MERGE);
        // Calcite's semi-join rules drop every row when a subquery under OR is empty; see SemiJoinRules.
        SemiJoinRules.replaceIn(planner);
        cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        // Join sizes from distinct counts (StatisticsMetadata); scans answer from their tables' statistics.
        cluster.setMetadataProvider(StatisticsMetadata.PROVIDER);
        cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(StatisticsMetadata.HANDLERS));
        converter = newConverter(validator, catalogReader);
      }
      return converter;
    }

    private SqlToRelConverter newConverter(SqlValidator statementValidator, CalciteCatalogReader reader) {
      // Every call converted passes the budget's checkpoint, as every expression validated does.
      SqlRexConvertletTable convertlets = call -> {
        budget.check();
        // Casts of text to VARCHAR(n) and CHAR(n) cut and pad by code points (CodePointCasts).
        return CodePointCasts.converts(call) ? CodePointCasts.INSTANCE : StandardConvertletTable.INSTANCE.get(call);
      };
      return new SqlToRelConverter(this, statementValidator, reader, cluster, convertlets,
          SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
    }

    @Override
    public RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath,
        List<String> viewPath) {
      if (viewDepth >= VIEW_DEPTH_MAX) {
        throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "views nest more than " + VIEW_DEPTH_MAX + " deep");
      }
      viewDepth++;
      try {
        SqlNode query = ShaleSqlParser.parseStatement(queryString);
        CalciteCatalogReader reader = catalogReader.withSchemaPath(schemaPath);
        SqlValidator viewValidator = newValidator(reader);
        RelRoot root = newConverter(viewValidator, reader).convertQuery(query, true, false);
        return root.withRel(new ConvertToChecked(cluster.getRexBuilder(), true)
            .visit(ExactArithmetic.rewrite(CodePointCalls.rewrite(root.rel))));
      } finally {
        viewDepth--;
      }
    }

    EnumerableRel optimize(RelNode logical) {
      RelTraitSet desired = logical.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify();
      decorrelation.decide(logical);
      RelNode best = OPTIMIZER.run(planner, logical, desired, List.of(), List.of());
      return (EnumerableRel) best;
    }
  }
}
