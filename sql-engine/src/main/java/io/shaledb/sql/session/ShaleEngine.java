package io.shaledb.sql.session;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.SequenceAllocator;
import io.shaledb.sql.catalog.SequenceDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.ViewDef;
import io.shaledb.sql.ddl.BackupStatements;
import io.shaledb.sql.ddl.ConstraintChangeExecutor;
import io.shaledb.sql.ddl.DdlExecutor;
import io.shaledb.sql.ddl.SchemaChangeExecutor;
import io.shaledb.sql.parser.ddl.ShaleAnalyze;
import io.shaledb.sql.parser.ddl.ShaleCreateSequence;
import io.shaledb.sql.parser.ddl.ShaleDropSequence;
import io.shaledb.sql.ddl.SequenceStatements;
import io.shaledb.sql.stats.StatisticsKeeper;
import io.shaledb.sql.ddl.SchemaServices;
import io.shaledb.sql.ddl.SecurityStatements;
import io.shaledb.sql.plan.SequenceFunctions;
import io.shaledb.sql.plan.SessionFunctions;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.plan.CaseInsensitiveOperatorTable;
import io.shaledb.sql.plan.PlanCache;
import io.shaledb.sql.plan.ShaleConformance;
import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.plan.StatementPlanner;
import io.shaledb.sql.plan.WriteRules;
import io.shaledb.sql.runtime.CheckEvaluator;
import io.shaledb.sql.runtime.StorageReadCounter;
import io.shaledb.sql.runtime.TableWriter;
import io.shaledb.sql.schema.InformationSchema;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.ShaleTypeFactory;
import io.shaledb.sql.schema.ShaleTypeSystem;
import io.shaledb.sql.schema.ShaleTypes;
import io.shaledb.sql.schema.ShaleView;
import io.shaledb.sql.security.AccessControl;
import io.shaledb.sql.security.Authenticator;
import io.shaledb.sql.security.MetadataVisibility;
import io.shaledb.sql.security.PasswordAuthenticator;
import io.shaledb.sql.security.PasswordHasher;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.security.UserStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * A database: the SQL engine over one {@link KvStore}. Owns the catalog, plans statements and
 * hands out {@link Session}s. Thread-safe; sessions are not.
 */
public final class ShaleEngine implements AutoCloseable {
  private final KvStore kv;
  private final SqlEngineConfig config;
  private final Catalog catalog;
  private final JavaTypeFactory typeFactory = new ShaleTypeFactory(ShaleTypeSystem.INSTANCE);
  private final StatementPlanner planner;
  private final DdlExecutor ddl;
  private final SchemaChangeExecutor schemaChanges;
  private final ConstraintChangeExecutor constraintChanges;
  private final Map<Integer, SequenceAllocator> sequences = new ConcurrentHashMap<>();
  private final StorageReadCounter readCounter = new StorageReadCounter();
  private final PlanCache planCache;
  private final UserStore users;
  private final AccessControl accessControl;
  private final MetadataVisibility metadataVisibility;
  private final Authenticator authenticator;
  private final SecurityStatements security;
  private final BackupStatements backups = new BackupStatements(this);
  /** Runs automatic ANALYZEs, one at a time, off the threads of the statements that made them due. */
  private final ExecutorService statisticsRefresh = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "shaledb-statistics-refresh");
    thread.setDaemon(true);
    return thread;
  });
  private final StatisticsKeeper statistics;
  private volatile SchemaSnapshot schema;
  private volatile WriteRules writeRules;

  private ShaleEngine(KvStore kv, SqlEngineConfig config, PasswordHasher hasher) {
    this.kv = kv;
    this.config = config;
    this.catalog = Catalog.open(kv);
    this.users = UserStore.open(kv, hasher);
    this.accessControl = new AccessControl(users);
    this.metadataVisibility = new MetadataVisibility(users);
    this.authenticator = new PasswordAuthenticator(users, new SecureRandom());
    this.security = new SecurityStatements(catalog, users, accessControl);
    this.ddl = new DdlExecutor(catalog, kv, config.defaultShardCount(), this::compileChecks);
    this.schemaChanges = new SchemaChangeExecutor(catalog, new EngineSchemaServices());
    this.constraintChanges = new ConstraintChangeExecutor(catalog, kv, new EngineSchemaServices(), this::compileChecks);
    this.planCache = new PlanCache(config.planCacheCapacity());
    this.statistics = new StatisticsKeeper(catalog, kv, config.clock(), config.autoAnalyze() ? statisticsRefresh : null);
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    properties.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), ShaleSqlParser.CONFIG.unquotedCasing().name());
    properties.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), ShaleSqlParser.CONFIG.quotedCasing().name());
    properties.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), ShaleSqlParser.CONFIG.conformance().toString());
    CalciteConnectionConfig connectionConfig = new CalciteConnectionConfigImpl(properties);
    SqlOperatorTable operators = new CaseInsensitiveOperatorTable(SqlOperatorTables.chain(
        SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL, SqlLibrary.MYSQL),
        SessionFunctions.operatorTable(), SequenceFunctions.operatorTable()));
    SqlValidator.Config validatorConfig = SqlValidator.Config.DEFAULT
        .withConformance(ShaleConformance.INSTANCE)
        .withDefaultNullCollation(NullCollation.LOW)
        .withIdentifierExpansion(true);
    this.planner = new StatementPlanner(typeFactory, operators, connectionConfig, validatorConfig, config.clock(),
        config.planningTimeoutMs());
  }

  /** Opens the database stored in {@code kv}, creating its catalog on first use. */
  public static ShaleEngine open(KvStore kv, SqlEngineConfig config) {
    return open(kv, config, PasswordHasher.standard());
  }

  /** Opens the database stored in {@code kv}, hashing new passwords with {@code hasher}. */
  public static ShaleEngine open(KvStore kv, SqlEngineConfig config, PasswordHasher hasher) {
    return new ShaleEngine(kv, config, hasher);
  }

  /**
   * A session acting as the admin user, for trusted callers inside this process (embedded mode
   * without credentials, tools, tests). Anything serving remote clients uses {@link
   * #openSession(Principal)} with the principal {@link #authenticator()} returned.
   */
  public Session openSession() {
    return openSession(Principal.ADMIN);
  }

  /** A session whose statements run with {@code principal}'s privileges. */
  public Session openSession(Principal principal) {
    return new Session(this, principal);
  }

  /** The database's users and grants. */
  public UserStore users() {
    return users;
  }

  /** Checks user names and passwords against {@link #users()}. */
  public Authenticator authenticator() {
    return authenticator;
  }

  /**
   * Re-reads what this engine caches from the store (catalog, users and grants) if another engine
   * over the same store (another node of the cluster) changed it.
   */
  public void reloadFromStore() {
    catalog.reloadIfChanged();
    users().reload();
  }

  /** Runs {@code listener} after every change of the catalog, users or grants made through this engine. */
  public void addChangeListener(Runnable listener) {
    catalog.addChangeListener(listener);
    users().addChangeListener(listener);
  }

  public Catalog catalog() {
    return catalog;
  }

  /**
   * The columns of view {@code name} as its query yields them now, for metadata; empty if there is
   * no such view.
   *
   * @throws ShaleException if the view's query no longer validates (e.g. a column it reads was dropped)
   */
  public Optional<RelDataType> viewRowType(String name) {
    CalciteSchema.TableEntry entry = schema().rootSchema().getSubSchema(SchemaSnapshot.SCHEMA_NAME, true)
        .getTable(name, true);
    if (entry == null || !(entry.getTable() instanceof ShaleView view)) {
      return Optional.empty();
    }
    return Optional.of(view.getRowType(typeFactory));
  }

  /** Storage reads made by all statements of this engine; for tests and diagnostics. */
  public StorageReadCounter readCounter() {
    return readCounter;
  }

  public KvStore kv() {
    return kv;
  }

  public SqlEngineConfig config() {
    return config;
  }

  JavaTypeFactory typeFactory() {
    return typeFactory;
  }

  /**
   * The plan of {@code sql}, from the plan cache when an identical text was planned for the
   * current catalog. A statement that names something this engine does not know is planned again
   * if the stored catalog turns out to be newer (DDL on another node of the cluster).
   */
  PreparedSql prepare(String sql) {
    return prepare(sql, new AtomicBoolean());
  }

  /** As {@link #prepare(String)}; setting {@code cancelFlag} stops planning with 57014. */
  PreparedSql prepare(String sql, AtomicBoolean cancelFlag) {
    long plannedWith = catalog.version();
    try {
      return prepareWithCurrentCatalog(sql, cancelFlag);
    } catch (ShaleException e) {
      // Reloaded here, or meanwhile by the notice the other node sent.
      if (!namesUnknownObject(e) || !(catalog.reloadIfChanged() || catalog.version() != plannedWith)) {
        throw e;
      }
      return prepareWithCurrentCatalog(sql, cancelFlag);
    }
  }

  private static boolean namesUnknownObject(ShaleException e) {
    SqlState state = e.sqlState();
    return state == SqlState.UNDEFINED_TABLE || state == SqlState.UNDEFINED_COLUMN || state == SqlState.UNDEFINED_OBJECT;
  }

  private PreparedSql prepareWithCurrentCatalog(String sql, AtomicBoolean cancelFlag) {
    SchemaSnapshot current = schema();
    return planCache.get(sql, current.catalogVersion(), text -> {
      StatementPlanner.Planned planned = planner.planWithAccess(text, current, cancelFlag);
      return new PreparedSql(text, planned.plan(), current.catalogVersion(), planned.access());
    });
  }

  /** How often {@link #prepare} found a cached plan and how often it planned; for tests and diagnostics. */
  public long[] planCacheHitsAndMisses() {
    return new long[] {planCache.hits(), planCache.misses()};
  }

  /** The plan for {@code prepared}, made again if DDL changed the catalog since it was made. */
  PreparedSql revalidate(PreparedSql prepared) {
    return prepared.catalogVersion() == catalog.version() ? prepared : prepare(prepared.sql());
  }

  /** The constraints writers enforce, for the current catalog version. */
  WriteRules writeRules() {
    SchemaSnapshot current = schema();
    WriteRules rules = writeRules;
    if (rules == null || rules.catalogVersion() != current.catalogVersion()) {
      rules = new WriteRules(current, table -> compileChecks(table.definition()));
      writeRules = rules;
    }
    return rules;
  }

  /** The compiled CHECK constraints of {@code table}, or null if it has none; throws if one does not compile. */
  private CheckEvaluator compileChecks(TableDef table) {
    return CheckEvaluator.compile(table, sql -> planner.plan(sql, schema()), (query, parameters, cancelFlag) ->
        query.bindable().bind(new StatementContext(schema().rootSchema().plus(), typeFactory, null, parameters,
            query.internals(), config.clock().millis(), cancelFlag, null, null, null)).enumerator());
  }

  /**
   * The next value of sequence {@code name} from this node's cached block; a sequence created on
   * another node is found by reloading the catalog.
   *
   * @throws ShaleException 42P01 if there is no such sequence, 2200H if it is exhausted
   */
  long nextSequenceValue(String name) {
    SequenceDef definition = catalog.sequence(name).or(() -> {
      catalog.reloadIfChanged();
      return catalog.sequence(name);
    }).orElseThrow(() -> new ShaleException(SqlState.UNDEFINED_TABLE, "sequence \"" + name + "\" does not exist"));
    return sequences.computeIfAbsent(definition.sequenceId(), id -> new SequenceAllocator(kv, definition)).nextValue();
  }

  /** Which tables and views each user's metadata shows. */
  public MetadataVisibility metadataVisibility() {
    return metadataVisibility;
  }

  /** Fails with 42501 unless {@code principal} holds every privilege {@code prepared} needs. */
  void checkAccess(Principal principal, PreparedSql prepared) {
    accessControl.check(principal, prepared.access());
  }

  BackupStatements backupStatements() {
    return backups;
  }

  void executeDdl(Principal principal, SqlNode statement) {
    if (SecurityStatements.handles(statement)) {
      security.execute(principal, statement);
      return;
    }
    Runnable afterwards = security.authorize(principal, statement);
    if (statement instanceof ShaleAnalyze analyze) {
      analyze(analyze);
    } else if (statement instanceof ShaleCreateSequence create) {
      SequenceStatements.create(catalog, create);
    } else if (statement instanceof ShaleDropSequence drop) {
      SequenceStatements.drop(catalog, drop).ifPresent(dropped -> sequences.remove(dropped.sequenceId()));
    } else if (SchemaChangeExecutor.handles(statement)) {
      schemaChanges.execute(statement);
    } else if (ConstraintChangeExecutor.handles(statement)) {
      constraintChanges.execute(statement);
    } else {
      ddl.execute(statement);
    }
    afterwards.run();
  }

  /** ANALYZE t, or ANALYZE of every table. */
  private void analyze(ShaleAnalyze analyze) {
    if (analyze.table() == null) {
      for (TableDef table : catalog.tables()) {
        statistics.analyze(table);
      }
      return;
    }
    String name = DdlExecutor.tableName(analyze.table());
    TableDef table = catalog.table(name).orElseThrow(() ->
        new ShaleException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist"));
    statistics.analyze(table);
  }

  /** The tables' statistics: ANALYZE and its automatic refresh. */
  public StatisticsKeeper statistics() {
    return statistics;
  }

  /**
   * A read-only transaction that reads the store as it was at {@code epochMillis}.
   *
   * @throws ShaleException 72000 if the instant is older than the retention window, 22023 if it
   *     is in the future
   */
  Transaction beginAsOf(long epochMillis) {
    long now = config.clock().millis();
    if (epochMillis > now) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "FOR SYSTEM_TIME AS OF "
          + Instant.ofEpochMilli(epochMillis) + " is in the future (now is " + Instant.ofEpochMilli(now) + ")");
    }
    long oldest = now - config.retention().toMillis();
    if (epochMillis < oldest) {
      throw new ShaleException(SqlState.SNAPSHOT_TOO_OLD, "FOR SYSTEM_TIME AS OF " + Instant.ofEpochMilli(epochMillis)
          + " is outside the retention window: versions are kept for " + config.retention() + ", so the oldest "
          + "readable time is " + Instant.ofEpochMilli(oldest));
    }
    long readTimestamp = kv.timestampAt(epochMillis);
    if (readTimestamp < kv.oldestReadableTimestamp()) {
      // Inside the configured window, but the store's collector has already gone further (its
      // retention is shorter than this engine's, e.g. configured separately).
      throw new ShaleException(SqlState.SNAPSHOT_TOO_OLD, "FOR SYSTEM_TIME AS OF " + Instant.ofEpochMilli(epochMillis)
          + " is older than the oldest version the store still keeps");
    }
    return kv.beginReadOnlyAt(readTimestamp);
  }

  SchemaSnapshot schema() {
    SchemaSnapshot current = schema;
    long version = catalog.version();
    if (current != null && current.catalogVersion() == version) {
      return current;
    }
    synchronized (this) {
      current = schema;
      if (current == null || current.catalogVersion() != catalog.version()) {
        version = catalog.version();
        Map<String, ShaleTable> tables = new HashMap<>();
        for (TableDef table : catalog.tables()) {
          SequenceAllocator sequence = sequences.computeIfAbsent(table.tableId(), id -> new SequenceAllocator(kv, id));
          tables.put(table.name(), new ShaleTable(table, sequence, catalog.statistics(table.tableId()).orElse(null)));
        }
        // A view's row type comes from validating its query against the snapshot it belongs to,
        // once per snapshot; the holder breaks the cycle between the snapshot and its views.
        AtomicReference<SchemaSnapshot> holder = new AtomicReference<>();
        Map<ShaleView, RelDataType> viewTypes = new ConcurrentHashMap<>();
        Map<String, ShaleView> views = new HashMap<>();
        for (ViewDef view : catalog.views()) {
          views.put(view.name(), new ShaleView(view, List.of(SchemaSnapshot.SCHEMA_NAME),
              shaleView -> viewRowType(viewTypes, shaleView, holder.get())));
        }
        current = SchemaSnapshot.of(version, tables, views,
            new InformationSchema(SchemaSnapshot.SCHEMA_NAME, catalog.tables(), catalog.views(), catalog.sequences(),
                viewName -> views.get(viewName).getRowType(typeFactory), metadataVisibility, config.clusterNodes()));
        holder.set(current);
        schema = current;
      }
      return current;
    }
  }

  private RelDataType viewRowType(Map<ShaleView, RelDataType> cache, ShaleView view, SchemaSnapshot snapshot) {
    RelDataType known = cache.get(view);
    if (known != null) {
      return known;
    }
    // Not computeIfAbsent: validating the view may resolve other views of the same cache.
    RelDataType type = planner.queryRowType(view.expandedSql(), snapshot);
    cache.put(view, type);
    return type;
  }

  /** Schema changes' access to the planner and the data. */
  private final class EngineSchemaServices implements SchemaServices {
    @Override
    public List<String> viewColumns(String querySql) {
      return planner.validateQuery(querySql, schema());
    }

    @Override
    public Object evaluateDefault(String expressionSql, ColumnDef column, String tableName) {
      StatementPlan.Query query = planner.planExpression(expressionSql, ShaleTypes.castType(column.type()), schema());
      Object value;
      try (Transaction txn = kv.begin()) {
        StatementContext context = new StatementContext(schema().rootSchema().plus(), typeFactory, txn, List.of(),
            query.internals(), config.clock().millis(), new AtomicBoolean(), readCounter, null, null);
        try (Enumerator<Object> rows = query.bindable().bind(context).enumerator()) {
          rows.moveNext();
          Object row = rows.current();
          value = row instanceof Object[] array ? array[0] : row;
        }
      } catch (RuntimeException | ExceptionInInitializerError e) {
        throw SqlErrors.translate(e);
      }
      return TableWriter.checkedValue(column, tableName, value);
    }

    @Override
    public boolean anyRow(String querySql) {
      StatementPlan plan = planner.plan(querySql, schema());
      if (!(plan instanceof StatementPlan.Query query)) {
        throw new IllegalStateException("a SELECT did not plan as a query");
      }
      try (Transaction txn = kv.begin()) {
        StatementContext context = new StatementContext(schema().rootSchema().plus(), typeFactory, txn, List.of(),
            query.internals(), config.clock().millis(), new AtomicBoolean(), readCounter, null, null);
        try (Enumerator<Object> rows = query.bindable().bind(context).enumerator()) {
          return rows.moveNext();
        }
      } catch (RuntimeException | ExceptionInInitializerError e) {
        throw SqlErrors.translate(e);
      }
    }

    @Override
    public boolean hasRows(TableDef table) {
      try (Transaction txn = kv.begin(); KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(table.tableId()))) {
        return cursor.hasNext();
      }
    }
  }

  @Override
  public void close() {
    // A refresh under way finishes on its own (daemon) thread; the KvStore belongs to whoever opened it.
    statisticsRefresh.shutdown();
  }
}
