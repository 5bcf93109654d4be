package io.shaledb.sql.plan;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.ddl.BackupStatements;
import io.shaledb.sql.ddl.DdlExecutor;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.parser.ddl.ShaleTruncateTable;
import io.shaledb.sql.parser.dml.ShaleLockingQuery;
import io.shaledb.sql.parser.dml.ShaleReturning;
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
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlMerge;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.ConvertToChecked;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.util.CancelFlag;

/**
 * Turns SQL text into a {@link StatementPlan}: parse, validate, convert to relational algebra,
 * optimize into Calcite's enumerable convention (with ShaleDB's scan push-down rules) and compile.
 *
 * <p>Thread-safe: every call builds its own validator and planner.
 */
public final class StatementPlanner {
  private static final Program OPTIMIZER = JoinOrdering.program();

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
    if (statement instanceof ShaleReturning returning) {
      return failingAsStatement(() -> planReturning(returning, schema, budget));
    }
    if (statement instanceof ShaleLockingQuery locking) {
      return failingAsStatement(() -> planLocking(locking, schema, budget));
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

  /**
   * INSERT / UPDATE / DELETE ... RETURNING: the write as planned without it, and the columns to
   * return. RETURNING takes column names and {@code *}; RETURNING GENERATED KEY returns the identity
   * column, or else the primary key, or else (a table without either) the hidden row id.
   */
  private Planned planReturning(ShaleReturning returning, SchemaSnapshot schema, PlanningBudget budget) {
    Planned write = planDml(returning.statement(), schema, true, budget);
    ShaleTable table;
    if (write.plan() instanceof StatementPlan.Modify modify && modify.operation() != TableModify.Operation.MERGE) {
      table = modify.table();
    } else if (write.plan() instanceof StatementPlan.KeyedWrite keyed) {
      table = keyed.table();
    } else if (write.plan() instanceof StatementPlan.DirectInsert insert) {
      table = insert.table();
    } else {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "RETURNING follows INSERT, UPDATE or DELETE only");
    }
    TableDef definition = table.definition();
    List<Integer> returned = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    if (returning.generatedKeys()) {
      for (int i = 0; i < definition.visibleColumns().size(); i++) {
        if (definition.columns().get(i).generation().generates()) {
          returned.add(i);
        }
      }
      if (returned.isEmpty()) {
        returned.addAll(definition.primaryKey());
      }
      returned.forEach(i -> labels.add(definition.columns().get(i).name()));
    } else {
      for (SqlNode item : returning.items()) {
        addReturnedColumns(item, definition, returned, labels);
      }
    }
    RelDataType rowType = table.getRowType(typeFactory);
    List<ResultColumn> columns = new ArrayList<>(returned.size());
    for (int i = 0; i < returned.size(); i++) {
      columns.add(new ResultColumn(labels.get(i), rowType.getFieldList().get(returned.get(i)).getType(),
          definition.name(), definition.columns().get(returned.get(i)).name()));
    }
    int[] indexes = returned.stream().mapToInt(Integer::intValue).toArray();
    return new Planned(new StatementPlan.Returning(write.plan(), table, indexes, columns, write.plan().parameterTypes()),
        write.access());
  }

  private static void addReturnedColumns(SqlNode item, TableDef definition, List<Integer> returned, List<String> labels) {
    SqlNode expression = item;
    String label = null;
    if (item.getKind() == SqlKind.AS) {
      expression = ((SqlCall) item).operand(0);
      label = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
    }
    if (!(expression instanceof SqlIdentifier identifier)) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
          "RETURNING takes column names and *, not expressions: " + expression);
    }
    String name = identifier.names.get(identifier.names.size() - 1);
    if (identifier.isStar()) {
      for (int i = 0; i < definition.visibleColumns().size(); i++) {
        returned.add(i);
        labels.add(definition.columns().get(i).name());
      }
      return;
    }
    int index = definition.columnIndex(name);
    if (index < 0) {
      throw new ShaleException(SqlState.UNDEFINED_COLUMN, "column \"" + name + "\" of relation \""
          + definition.name() + "\" does not exist");
    }
    returned.add(index);
    labels.add(label != null ? label : name);
  }

  /**
   * SELECT ... FOR UPDATE / FOR SHARE: the query with the primary key of its one table appended to
   * its select list, so that the session can lock exactly the rows returned. As in PostgreSQL,
   * DISTINCT, GROUP BY and HAVING have no rows to lock (0A000); ShaleDB also takes one table only.
   */
  private Planned planLocking(ShaleLockingQuery locking, SchemaSnapshot schema, PlanningBudget budget) {
    if (locking.waitPolicy() == ShaleLockingQuery.Wait.SKIP_LOCKED) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "SKIP LOCKED is not supported: ShaleDB locks rows "
          + "optimistically, at commit, so no row shows as locked while it is read; use FOR UPDATE and retry the "
          + "transaction that fails with 40001 (see README, Transactions)");
    }
    SqlNode query = locking.query();
    SqlNode body = query instanceof SqlOrderBy orderBy ? orderBy.query : query;
    if (!(body instanceof SqlSelect select) || select.getFrom() == null) {
      throw lockingNotSupported("it locks the rows of a SELECT ... FROM one table");
    }
    if (select.isDistinct() || select.getGroup() != null || select.getHaving() != null) {
      throw lockingNotSupported("it is not allowed with DISTINCT, GROUP BY or HAVING");
    }
    SqlNode from = select.getFrom();
    String alias = null;
    if (from.getKind() == SqlKind.AS && ((SqlCall) from).operandCount() == 2) {
      alias = ((SqlIdentifier) ((SqlCall) from).operand(1)).getSimple();
      from = ((SqlCall) from).operand(0);
    }
    if (!(from instanceof SqlIdentifier tableName) || tableName.isStar()) {
      throw lockingNotSupported("it locks the rows of one table: joins, subqueries and FOR SYSTEM_TIME AS OF in FROM "
          + "are not supported");
    }
    ShaleTable table = schema.tables().get(tableName.names.get(tableName.names.size() - 1));
    if (table == null) {
      throw lockingNotSupported("\"" + tableName + "\" is not a table (views and system tables have no rows to lock)");
    }
    String qualifier = alias != null ? alias : tableName.names.get(tableName.names.size() - 1);
    for (SqlIdentifier named : locking.of()) {
      if (!named.names.get(named.names.size() - 1).equals(qualifier)) {
        throw new ShaleException(SqlState.UNDEFINED_TABLE, "relation \"" + named
            + "\" in FOR UPDATE clause not found in FROM clause");
      }
    }
    // Aliased apart, so that ORDER BY and the query's own column names stay unambiguous.
    List<String> keyColumns = table.definition().primaryKeyNames();
    for (int i = 0; i < keyColumns.size(); i++) {
      select.getSelectList().add(SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO,
          new SqlIdentifier(List.of(qualifier, keyColumns.get(i)), SqlParserPos.ZERO),
          new SqlIdentifier(LOCK_KEY_ALIAS + i, SqlParserPos.ZERO)));
    }
    Planned planned;
    try {
      planned = planDml(query, schema, true, budget);
    } catch (RuntimeException e) {
      ShaleException error = SqlErrors.translate(e);
      // The appended key columns are what is "not being grouped": the query aggregates.
      throw error.sqlState() == SqlState.GROUPING_ERROR
          ? lockingNotSupported("it is not allowed with aggregate functions") : error;
    }
    List<ResultColumn> all = planned.plan().columns();
    int width = all.size() - table.definition().primaryKey().size();
    return new Planned(new StatementPlan.Locking(planned.plan(), table, all.subList(0, width),
        planned.plan().parameterTypes()), planned.access());
  }

  /** The alias of the key columns {@link #planLocking} appends; a quoted name no query would use. */
  private static final String LOCK_KEY_ALIAS = "$shaledb_lock_key_";

  private static ShaleException lockingNotSupported(String why) {
    return new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "FOR UPDATE / FOR SHARE is not supported here: " + why);
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
    return EnumerableInterpretable.toBindable(internals, null, ValuesLiteralTypes.apply(physical),
        EnumerableRel.Prefer.ARRAY);
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
        // Session functions (CURRENT_SCHEMA, version()) are constants of the session (SessionFunctions).
        if (SessionFunctions.converts(call)) {
          return SessionFunctions.INSTANCE;
        }
        if (SequenceFunctions.converts(call)) {
          return SequenceFunctions.INSTANCE;
        }
        // Casts of text to VARCHAR(n) and CHAR(n) cut and pad by code points (CodePointCasts);
        // windowed AVG, VAR and STDDEV of exact numbers are exact (ExactWindowMoments).
        if (CodePointCasts.converts(call)) {
          // Casts to REAL refuse what does not fit (RealCasts).
          return RealCasts.converts(call, statementValidator.getValidatedNodeTypeIfKnown(call))
              ? RealCasts.INSTANCE : CodePointCasts.INSTANCE;
        }
        return ExactWindowMoments.converts(call) ? ExactWindowMoments.INSTANCE : StandardConvertletTable.INSTANCE.get(call);
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
