package io.shaledb.sql.exec;

import io.shaledb.kv.KvStore;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.SequenceAllocator;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.ShaleTypeSystem;
import io.shaledb.sql.schema.StorageReadCounter;
import io.shaledb.sql.security.AccessControl;
import io.shaledb.sql.security.Authenticator;
import io.shaledb.sql.security.PasswordAuthenticator;
import io.shaledb.sql.security.PasswordHasher;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.security.UserStore;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * A database: the SQL engine over one {@link KvStore}. Owns the catalog, plans statements and
 * hands out {@link Session}s. Thread-safe; sessions are not.
 */
public final class ShaleEngine implements AutoCloseable {
  private final KvStore kv;
  private final SqlEngineConfig config;
  private final Catalog catalog;
  private final JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(ShaleTypeSystem.INSTANCE);
  private final StatementPlanner planner;
  private final DdlExecutor ddl;
  private final Map<Integer, SequenceAllocator> sequences = new ConcurrentHashMap<>();
  private final StorageReadCounter readCounter = new StorageReadCounter();
  private final PlanCache planCache;
  private final UserStore users;
  private final AccessControl accessControl;
  private final Authenticator authenticator;
  private final SecurityStatements security;
  private volatile SchemaSnapshot schema;
  private volatile WriteRules writeRules;

  private ShaleEngine(KvStore kv, SqlEngineConfig config, PasswordHasher hasher) {
    this.kv = kv;
    this.config = config;
    this.catalog = Catalog.open(kv);
    this.users = UserStore.open(kv, hasher);
    this.accessControl = new AccessControl(users);
    this.authenticator = new PasswordAuthenticator(users, new SecureRandom());
    this.security = new SecurityStatements(catalog, users, accessControl);
    this.ddl = new DdlExecutor(catalog, kv, config.defaultShardCount(), this::compileChecks);
    this.planCache = new PlanCache(config.planCacheCapacity());
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    properties.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), ShaleSqlParser.CONFIG.unquotedCasing().name());
    properties.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), ShaleSqlParser.CONFIG.quotedCasing().name());
    properties.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), ShaleSqlParser.CONFIG.conformance().toString());
    CalciteConnectionConfig connectionConfig = new CalciteConnectionConfigImpl(properties);
    SqlOperatorTable operators = SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
        SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL, SqlLibrary.MYSQL);
    SqlValidator.Config validatorConfig = SqlValidator.Config.DEFAULT
        .withConformance(ShaleSqlParser.CONFIG.conformance())
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

  public Catalog catalog() {
    return catalog;
  }

  /** Storage reads made by all statements of this engine; for tests and diagnostics. */
  public StorageReadCounter readCounter() {
    return readCounter;
  }

  KvStore kv() {
    return kv;
  }

  SqlEngineConfig config() {
    return config;
  }

  JavaTypeFactory typeFactory() {
    return typeFactory;
  }

  /** The plan of {@code sql}, from the plan cache when an identical text was planned for the current catalog. */
  PreparedSql prepare(String sql) {
    SchemaSnapshot current = schema();
    return planCache.get(sql, current.catalogVersion(), text -> {
      StatementPlanner.Planned planned = planner.planWithAccess(text, current);
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
            query.internals(), config.clock().millis(), cancelFlag, null)).enumerator());
  }

  /** Fails with 42501 unless {@code principal} holds every privilege {@code prepared} needs. */
  void checkAccess(Principal principal, PreparedSql prepared) {
    accessControl.check(principal, prepared.access());
  }

  void executeDdl(Principal principal, SqlNode statement) {
    if (SecurityStatements.handles(statement)) {
      security.execute(principal, statement);
      return;
    }
    Runnable afterwards = security.authorize(principal, statement);
    ddl.execute(statement);
    afterwards.run();
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
          tables.put(table.name(), new ShaleTable(table, sequence));
        }
        current = SchemaSnapshot.of(version, tables);
        schema = current;
      }
      return current;
    }
  }

  @Override
  public void close() {
    // The engine holds no resources of its own; the KvStore belongs to whoever opened it.
  }
}
