package io.shaledb.sql.meta;

import io.shaledb.common.MetadataCall;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.runtime.QueryCursor;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.PreparedSql;
import io.shaledb.sql.session.ResultColumn;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.ShaleEngine;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Serves JDBC for every connection of one database: Avatica calls this {@link
 * org.apache.calcite.avatica.Meta} for every statement, fetch and metadata request, and it runs
 * them on the connection's {@link Session}. One instance serves all connections, whether they come
 * from Avatica's in-process client (embedded URLs) or from Avatica's server ({@code LocalService}
 * over HTTP): it keeps its own connection and statement tables and never uses an {@code
 * AvaticaConnection}.
 *
 * <p>Errors leave as Avatica exceptions that carry the SQLSTATE, the message and a vendor code
 * (see {@link #vendorCode}), in the form {@link MetaOptions#errors()} says, so the client's {@code
 * SQLException} has them whichever way it connected.
 *
 * <p>Thread-safe: connections are independent; requests on one connection are serialized by its
 * session.
 */
public final class ShaleMeta extends MetaImpl implements ProtobufMeta {
  /** Rows in a frame when the client did not ask for a number. */
  static final int DEFAULT_FRAME_ROWS = 100;
  /** Largest frame served, whatever the client asks for, so one fetch cannot exhaust the heap. */
  static final int MAX_FRAME_ROWS = 10_000;
  private static final String TABLE_TYPE = "TABLE";
  static final String SCHEMA = "public";

  private final ShaleEngine engine;
  private final MetaOptions options;
  private final PrincipalSource principals;
  private final Map<String, ConnectionState> connections = new ConcurrentHashMap<>();
  /** Guards the connection counts against {@link MetaOptions#maxConnections()} and the user limits. */
  private final Object admission = new Object();
  /** Open connections per user name; guarded by {@link #admission}. */
  private final Map<String, Integer> connectionsByUser = new java.util.HashMap<>();
  /** Requests running per user name, against {@link UserLimits#maxStatementsInFlightPerUser()}. */
  private final Map<String, AtomicInteger> requestsByUser = new ConcurrentHashMap<>();

  /** A Meta for an embedded database: connections authenticate through {@link PrincipalSource#embedded}. */
  public ShaleMeta(ShaleEngine engine, MetaOptions options) {
    this(engine, options, PrincipalSource.embedded(engine.authenticator()));
  }

  /** @param principals whom connections and requests act for */
  public ShaleMeta(ShaleEngine engine, MetaOptions options, PrincipalSource principals) {
    super(null);
    this.engine = engine;
    this.options = options;
    this.principals = java.util.Objects.requireNonNull(principals, "principals");
  }

  private final class ConnectionState {
    final String id;
    final Session session;
    final Map<Integer, StatementState> statements = new ConcurrentHashMap<>();
    final AtomicInteger nextStatementId = new AtomicInteger();
    final ConnectionPropertiesImpl properties = new ConnectionPropertiesImpl(true, false,
        Connection.TRANSACTION_REPEATABLE_READ, null, SCHEMA);
    /** Requests running on this connection now; an expiring connection must have none. */
    final AtomicInteger inFlight = new AtomicInteger();
    volatile long lastUsedMillis;

    ConnectionState(String id, Session session) {
      this.id = id;
      this.session = session;
      this.lastUsedMillis = options.clock().millis();
    }
  }

  private static final class StatementState {
    PreparedSql prepared;
    QueryCursor cursor;
    long rowsLeft;
    final AtomicBoolean cancelFlag = new AtomicBoolean();

    void closeCursor() {
      if (cursor != null) {
        cursor.close();
        cursor = null;
      }
    }
  }

  // ---------------------------------------------------------------- connections

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    Principal principal;
    try {
      principal = principals.forNewConnection(info);
    } catch (ShaleException e) {
      // The connection never opens, so no closeConnection will report it closed.
      options.onConnectionClosed().accept(ch.id);
      throw clientError(e);
    }
    synchronized (admission) {
      ConnectionState existing = connections.get(ch.id);
      if (existing != null) {
        if (existing.session.principal().equals(principal)) {
          // The same client opening its connection again (Avatica does after some errors): nothing to do.
          return;
        }
        // Success here would leave the caller with a connection every later call refuses (08003).
        throw clientError(new ShaleException(SqlState.DUPLICATE_OBJECT, "connection id \"" + ch.id
            + "\" is already in use; open the connection with another id"));
      }
      checkAdmission(principal);
      connections.put(ch.id, new ConnectionState(ch.id, engine.openSession(principal)));
      connectionsByUser.merge(principal.name(), 1, Integer::sum);
    }
  }

  /** Refuses a new connection for {@code principal} beyond the server's or the user's limit. Holds {@link #admission}. */
  private void checkAdmission(Principal principal) {
    UserLimits limits = options.userLimits();
    boolean limited = limits.appliesTo(principal);
    int serverLimit = limited ? options.maxConnections() - limits.reservedAdminConnections() : options.maxConnections();
    if (connections.size() >= serverLimit) {
      throw clientError(new ShaleException(SqlState.TOO_MANY_CONNECTIONS, "too many connections: the server "
          + "allows " + options.maxConnections() + " at once (max-connections"
          + (limited && limits.reservedAdminConnections() > 0 ? ", of which " + limits.reservedAdminConnections()
              + " are reserved for the admin" : "") + "); close idle connections or raise the limit"));
    }
    if (limited && connectionsByUser.getOrDefault(principal.name(), 0) >= limits.maxConnectionsPerUser()) {
      throw clientError(new ShaleException(SqlState.TOO_MANY_CONNECTIONS, "too many connections for user \""
          + principal.name() + "\": a user may hold " + limits.maxConnectionsPerUser()
          + " at once (max-connections-per-user); close idle connections"));
    }
  }

  /** Counts a connection of {@code state}'s user as closed. */
  private void forgetConnection(ConnectionState state) {
    synchronized (admission) {
      connectionsByUser.computeIfPresent(state.session.principal().name(), (user, count) -> count > 1 ? count - 1 : null);
    }
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    ConnectionState state = connections.get(ch.id);
    if (state != null && ownedByCaller(state) && connections.remove(ch.id, state)) {
      release(state);
    }
  }

  /** Whether the request being served may use {@code state}: it acts for the connection's principal, or carries none. */
  private boolean ownedByCaller(ConnectionState state) {
    Optional<Principal> caller = principals.currentRequest();
    return caller.isEmpty() || caller.get().equals(state.session.principal());
  }

  /** The number of open connections. */
  public int openConnections() {
    return connections.size();
  }

  /**
   * Closes every connection that has been idle (no request running, none received) for longer
   * than {@code idleTimeout}, rolling back its open transaction. A client that uses such a
   * connection afterwards gets SQLSTATE 08003.
   *
   * @return the ids of the connections closed
   */
  public List<String> closeIdleConnections(Duration idleTimeout) {
    long cutoff = options.clock().millis() - idleTimeout.toMillis();
    List<String> closed = new ArrayList<>();
    for (ConnectionState state : connections.values()) {
      if (state.inFlight.get() == 0 && state.lastUsedMillis < cutoff && connections.remove(state.id, state)) {
        release(state);
        closed.add(state.id);
      }
    }
    return closed;
  }

  /** Closes every connection, rolling back open transactions; for shutdown. */
  public void closeAllConnections() {
    for (ConnectionState state : connections.values()) {
      if (connections.remove(state.id, state)) {
        state.statements.values().forEach(s -> s.cancelFlag.set(true));
        release(state);
      }
    }
  }

  private void release(ConnectionState state) {
    forgetConnection(state);
    try {
      state.statements.values().forEach(s -> {
        s.cancelFlag.set(true);
        synchronized (s) {
          s.closeCursor();
        }
      });
      state.statements.clear();
      state.session.close();
    } finally {
      options.onConnectionClosed().accept(state.id);
    }
  }

  /**
   * Asks the statement running on {@code statementId}, if any, to stop; it fails with SQLSTATE
   * 57014. Does not wait for the statement and does not need the connection's session, so it
   * works while the statement runs. Unknown ids are ignored: the statement may have just ended.
   */
  public void cancel(String connectionId, int statementId) {
    ConnectionState state = connections.get(connectionId);
    if (state != null && ownedByCaller(state)) {
      StatementState statement = state.statements.get(statementId);
      if (statement != null) {
        statement.cancelFlag.set(true);
      }
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties changes) {
    return onConnection(ch.id, state -> {
      if (changes.getTransactionIsolation() != null) {
        int level = changes.getTransactionIsolation();
        if (level == Connection.TRANSACTION_SERIALIZABLE) {
          throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "SERIALIZABLE isolation is not available yet; "
              + "ShaleDB runs every transaction at snapshot isolation (TRANSACTION_REPEATABLE_READ)");
        }
        // Weaker levels are served at snapshot isolation, which is stronger than asked (as PostgreSQL does).
      }
      if (changes.isAutoCommit() != null) {
        state.session.setAutoCommit(changes.isAutoCommit());
      }
      if (changes.isReadOnly() != null) {
        state.properties.setReadOnly(changes.isReadOnly());
      }
      state.properties.setAutoCommit(state.session.autoCommit());
      state.properties.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      return state.properties;
    });
  }

  @Override
  public void commit(ConnectionHandle ch) {
    onConnection(ch.id, state -> {
      state.session.commit();
      return null;
    });
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    onConnection(ch.id, state -> {
      state.session.rollback();
      return null;
    });
  }

  // ---------------------------------------------------------------- statements

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    return onConnection(ch.id, state -> newStatement(state, new StatementState()));
  }

  private StatementHandle newStatement(ConnectionState state, StatementState statement) {
    if (state.statements.size() >= options.maxStatementsPerConnection()) {
      throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "too many open statements on this connection (limit "
          + options.maxStatementsPerConnection() + "); close statements that are no longer needed");
    }
    int id = state.nextStatementId.getAndIncrement();
    state.statements.put(id, statement);
    return new StatementHandle(state.id, id, null);
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return onConnection(ch.id, state -> {
      PreparedSql prepared = state.session.prepare(sql);
      StatementState statement = new StatementState();
      statement.prepared = prepared;
      StatementHandle handle = newStatement(state, statement);
      handle.signature = signature(prepared);
      return handle;
    });
  }

  @Override
  @Deprecated
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
      throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
      PrepareCallback callback) throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = existingStatement(connectionState, h);
    return onConnection(connectionState, state -> {
      MetaResultSet result;
      // A cancel that arrives from here on, even while the statement is still being planned, stops it.
      statement.cancelFlag.set(false);
      synchronized (statement) {
        statement.closeCursor();
        Optional<MetadataCall> call = MetadataCall.parse(sql);
        if (call.isPresent()) {
          statement.prepared = null;
          result = metadataCall(h, metadata(state), call.get());
        } else {
          statement.prepared = state.session.prepare(sql, statement.cancelFlag);
          h.signature = signature(statement.prepared);
          result = run(h, statement, state.session, List.of(), maxRowCount, maxRowsInFirstFrame);
        }
      }
      Signature signature = result.signature != null ? result.signature : h.signature;
      try {
        synchronized (callback.getMonitor()) {
          callback.clear();
          callback.assign(signature, result.firstFrame, result.updateCount);
        }
        callback.execute();
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      return new ExecuteResult(List.of(result));
    });
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = preparedStatement(connectionState, h);
    statement.cancelFlag.set(false);
    return onConnection(connectionState, state -> {
      synchronized (statement) {
        statement.closeCursor();
        MetaResultSet result = run(h, statement, state.session, values(parameterValues), -1, maxRowsInFirstFrame);
        return new ExecuteResult(List.of(result));
      }
    });
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = existingStatement(connectionState, h);
    return onConnection(connectionState, state -> {
      long[] counts = new long[sqlCommands.size()];
      statement.cancelFlag.set(false);
      for (int i = 0; i < counts.length; i++) {
        PreparedSql prepared = state.session.prepare(sqlCommands.get(i), statement.cancelFlag);
        counts[i] = updateCount(state.session.execute(prepared, List.of(), statement.cancelFlag));
      }
      return new ExecuteBatchResult(counts);
    });
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = preparedStatement(connectionState, h);
    return onConnection(connectionState, state -> {
      long[] counts = new long[parameterValues.size()];
      statement.cancelFlag.set(false);
      for (int i = 0; i < counts.length; i++) {
        counts[i] = updateCount(state.session.execute(statement.prepared, values(parameterValues.get(i)),
            statement.cancelFlag));
      }
      return new ExecuteBatchResult(counts);
    });
  }

  /** Batches from Avatica's protobuf server arrive still in protobuf form. */
  @Override
  public ExecuteBatchResult executeBatchProtobuf(StatementHandle h, List<Requests.UpdateBatch> updateBatches)
      throws NoSuchStatementException {
    List<List<TypedValue>> batches = new ArrayList<>(updateBatches.size());
    for (Requests.UpdateBatch batch : updateBatches) {
      List<TypedValue> values = new ArrayList<>(batch.getParameterValuesCount());
      for (Common.TypedValue value : batch.getParameterValuesList()) {
        values.add(TypedValue.fromProto(value));
      }
      batches.add(values);
    }
    return executeBatch(h, batches);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = existingStatement(connectionState, h);
    return onConnection(connectionState, state -> {
      synchronized (statement) {
        if (statement.cursor == null) {
          return Frame.create(offset, true, List.of());
        }
        return nextFrame(statement, offset, fetchMaxRowCount);
      }
    });
  }

  /**
   * Rows after the first frame, fetched from this Meta directly: Avatica's in-process client calls
   * this, and MetaImpl's version would need an {@code AvaticaConnection}.
   */
  @Override
  public Iterable<Object> createIterable(StatementHandle h, QueryState state, Signature signature,
      List<TypedValue> parameterValues, Frame firstFrame) {
    if (firstFrame != null && firstFrame.done) {
      return firstFrame.rows;
    }
    return () -> new FrameIterator(h, firstFrame);
  }

  private final class FrameIterator implements Iterator<Object> {
    private final StatementHandle handle;
    private Iterator<Object> rows;
    private boolean done;
    private long offset;

    FrameIterator(StatementHandle handle, Frame first) {
      this.handle = handle;
      this.rows = first == null ? List.of().iterator() : first.rows.iterator();
      this.done = first != null && first.done;
      this.offset = first == null ? 0 : first.offset;
    }

    @Override
    public boolean hasNext() {
      while (!rows.hasNext() && !done) {
        Frame frame;
        try {
          frame = fetch(handle, offset, DEFAULT_FRAME_ROWS);
        } catch (NoSuchStatementException e) {
          throw clientError(new ShaleException(SqlState.INVALID_TRANSACTION_STATE, "statement was closed"));
        }
        List<Object> list = new ArrayList<>();
        frame.rows.forEach(list::add);
        offset += list.size();
        rows = list.iterator();
        done = frame.done;
      }
      return rows.hasNext();
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      offset++;
      return rows.next();
    }
  }

  /**
   * Re-creates the results a {@link QueryState} describes on statement {@code sh}, positioned at
   * row {@code offset}, for the client to {@link #fetch} from there. Avatica clients send this to
   * recover a statement, and Python's phoenixdb sends it for the metadata Avatica has no request
   * message for ({@code meta().get_primary_keys()}, {@code get_index_info()}): a state of type
   * METADATA names a {@code DatabaseMetaData} operation and its arguments.
   *
   * @return whether there are rows to fetch
   */
  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) throws NoSuchStatementException {
    ConnectionState connectionState = state(sh.connectionId);
    StatementState statement = existingStatement(connectionState, sh);
    return onConnection(connectionState, connection -> {
      statement.cancelFlag.set(false);
      synchronized (statement) {
        statement.closeCursor();
        statement.prepared = null;
        if (state.type == QueryState.StateType.METADATA) {
          List<Object[]> rows = MetadataOperations.run(metadata(connection), state).rows();
          if (offset >= rows.size()) {
            return false;
          }
          statement.cursor = QueryCursor.over(rows);
        } else if (state.type == QueryState.StateType.SQL && MetadataCall.parse(state.sql).isEmpty()) {
          PreparedSql prepared = connection.session.prepare(state.sql);
          ExecutionResult result = connection.session.execute(prepared, List.of(), statement.cancelFlag);
          if (!(result instanceof ExecutionResult.Rows rows)) {
            return false;
          }
          statement.prepared = prepared;
          statement.cursor = rows.cursor();
        } else {
          throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "cannot re-create results of type " + state.type);
        }
        statement.rowsLeft = Long.MAX_VALUE;
        // Skip the rows the client already has, so its next fetch continues where it stopped.
        for (long skipped = 0; skipped < offset && !statement.cursor.isDone(); ) {
          skipped += statement.cursor.fetch((int) Math.min(offset - skipped, MAX_FRAME_ROWS)).size();
        }
        if (statement.cursor.isDone()) {
          statement.closeCursor();
          return false;
        }
        // A query's cursor only knows it is done after a fetch reaches the end; until then there may be rows.
        return true;
      }
    });
  }

  @Override
  public void closeStatement(StatementHandle h) {
    ConnectionState connectionState = connections.get(h.connectionId);
    if (connectionState != null && ownedByCaller(connectionState)) {
      StatementState statement = connectionState.statements.remove(h.id);
      if (statement != null) {
        statement.cancelFlag.set(true);
        synchronized (statement) {
          statement.closeCursor();
        }
      }
    }
  }

  // ---------------------------------------------------------------- metadata

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return ShaleMetadata.databaseProperties();
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadataResult(ch, metadata -> metadata.catalogs());
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return metadataResult(ch, metadata -> metadata.schemas(catalog, schemaPattern.s));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadataResult(ch, metadata -> metadata.tableTypes());
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      List<String> typeList) {
    return metadataResult(ch, metadata -> metadata.tables(catalog, schemaPattern.s, tableNamePattern.s, typeList));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      Pat columnNamePattern) {
    return metadataResult(ch, metadata -> metadata.columns(catalog, schemaPattern.s, tableNamePattern.s, columnNamePattern.s));
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadataResult(ch, metadata -> metadata.primaryKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadataResult(ch, metadata -> metadata.importedKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadataResult(ch, metadata -> metadata.exportedKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table, boolean unique,
      boolean approximate) {
    return metadataResult(ch, metadata -> metadata.indexInfo(catalog, schema, table, unique));
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadataResult(ch, metadata -> metadata.typeInfo());
  }

  @Override
  public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
    return metadataResult(ch, metadata -> metadata.functions());
  }

  /** Foreign keys of {@code foreignTable} that reference {@code parentTable}. */
  @Override
  public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema,
      String parentTable, String foreignCatalog, String foreignSchema, String foreignTable) {
    return metadataResult(ch, metadata -> metadata.crossReference(parentCatalog, parentSchema, parentTable,
        foreignCatalog, foreignSchema, foreignTable));
  }

  // What ShaleDB has none of answers with no rows and JDBC's columns, as tools that crawl a schema
  // ask for all of it; MetaImpl's own answers need an AvaticaConnection this Meta never has.

  @Override
  public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
    return none(ch, MetaProcedure.class);
  }

  @Override
  public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat procedureNamePattern, Pat columnNamePattern) {
    return none(ch, MetaProcedureColumn.class);
  }

  @Override
  public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat functionNamePattern, Pat columnNamePattern) {
    return none(ch, MetaFunctionColumn.class);
  }

  @Override
  public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table,
      Pat columnNamePattern) {
    return none(ch, MetaColumnPrivilege.class);
  }

  @Override
  public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern) {
    return none(ch, MetaTablePrivilege.class);
  }

  @Override
  public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema, String table,
      int scope, boolean nullable) {
    return none(ch, MetaBestRowIdentifier.class);
  }

  @Override
  public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema, String table) {
    return none(ch, MetaVersionColumn.class);
  }

  @Override
  public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
      int[] types) {
    return none(ch, MetaUdt.class);
  }

  @Override
  public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern) {
    return none(ch, MetaSuperType.class);
  }

  @Override
  public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    return none(ch, MetaSuperTable.class);
  }

  @Override
  public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
      Pat attributeNamePattern) {
    return none(ch, MetaAttribute.class);
  }

  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return none(ch, MetaClientInfoProperty.class);
  }

  @Override
  public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      Pat columnNamePattern) {
    return none(ch, MetaPseudoColumn.class);
  }

  private MetaResultSet none(ConnectionHandle ch, Class<?> rowClass) {
    return metadataResult(ch, metadata -> new ShaleMetadata.Result(fieldMetaData(rowClass).columns, List.of()));
  }

  /** Metadata results are complete in their first frame and need no server-side statement. */
  private MetaResultSet metadataResult(ConnectionHandle ch,
      java.util.function.Function<ShaleMetadata, ShaleMetadata.Result> query) {
    return onConnection(ch.id, state -> {
      int id = state.nextStatementId.getAndIncrement();
      return metadataResultSet(state.id, id, query.apply(metadata(state)));
    });
  }

  /** Metadata as the connection's user sees it: the tables they hold a privilege on. */
  private ShaleMetadata metadata(ConnectionState state) {
    return new ShaleMetadata(engine.catalog(), engine::viewRowType, engine.metadataVisibility(),
        state.session.principal().name());
  }

  private static MetaResultSet metadataResultSet(String connectionId, int statementId, ShaleMetadata.Result result) {
    Signature signature = Signature.create(result.columns(), "", List.of(), CursorFactory.ARRAY, StatementType.SELECT);
    return MetaResultSet.create(connectionId, statementId, true, signature,
        Frame.create(0, true, new ArrayList<Object>(result.rows())));
  }

  /** Answers a {@link MetadataCall}: metadata that Avatica's wire protocol has no message for. */
  private MetaResultSet metadataCall(StatementHandle h, ShaleMetadata metadata, MetadataCall call) {
    List<String> a = call.arguments();
    ShaleMetadata.Result result = switch (call.operation()) {
      case "getPrimaryKeys" -> metadata.primaryKeys(arg(a, 0), arg(a, 1), arg(a, 2));
      case "getImportedKeys" -> metadata.importedKeys(arg(a, 0), arg(a, 1), arg(a, 2));
      case "getExportedKeys" -> metadata.exportedKeys(arg(a, 0), arg(a, 1), arg(a, 2));
      case "getCrossReference" -> metadata.crossReference(arg(a, 0), arg(a, 1), arg(a, 2), arg(a, 3), arg(a, 4),
          arg(a, 5));
      case "getIndexInfo" -> metadata.indexInfo(arg(a, 0), arg(a, 1), arg(a, 2), Boolean.parseBoolean(arg(a, 3)));
      case "getFunctions" -> metadata.functions();
      default -> throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
          "unknown metadata call " + call.operation());
    };
    return metadataResultSet(h.connectionId, h.id, result);
  }

  private static String arg(List<String> arguments, int index) {
    return index < arguments.size() ? arguments.get(index) : null;
  }

  // ---------------------------------------------------------------- execution

  private MetaResultSet run(StatementHandle h, StatementState statement, Session session, List<Object> values,
      long maxRowCount, int maxRowsInFirstFrame) {
    ExecutionResult result = session.execute(statement.prepared, values, statement.cancelFlag);
    Signature signature = signature(statement.prepared);
    if (result instanceof ExecutionResult.Rows rows) {
      statement.cursor = rows.cursor();
      statement.rowsLeft = maxRowCount > 0 ? maxRowCount : Long.MAX_VALUE;
      Frame first = nextFrame(statement, 0, maxRowsInFirstFrame);
      return MetaResultSet.create(h.connectionId, h.id, false, signature, first);
    }
    return MetaResultSet.count(h.connectionId, h.id, updateCount(result));
  }

  private static Frame nextFrame(StatementState statement, long offset, int maxRows) {
    int asked = maxRows > 0 ? Math.min(maxRows, MAX_FRAME_ROWS) : DEFAULT_FRAME_ROWS;
    int limit = (int) Math.min(asked, statement.rowsLeft);
    if (statement.cancelFlag.get()) {
      statement.closeCursor();
      throw new ShaleException(SqlState.QUERY_CANCELED, "statement was cancelled");
    }
    List<Object[]> rows = statement.cursor.fetch(limit);
    statement.rowsLeft -= rows.size();
    boolean done = statement.cursor.isDone() || statement.rowsLeft <= 0;
    if (done) {
      statement.closeCursor();
    }
    return Frame.create(offset, done, new ArrayList<Object>(rows));
  }

  private static List<Object> values(List<TypedValue> parameterValues) {
    List<Object> values = new ArrayList<>(parameterValues == null ? 0 : parameterValues.size());
    if (parameterValues != null) {
      for (TypedValue value : parameterValues) {
        values.add(value == null ? null : value.value);
      }
    }
    return values;
  }

  private static long updateCount(ExecutionResult result) {
    if (result instanceof ExecutionResult.UpdateCount count) {
      return count.count();
    }
    if (result instanceof ExecutionResult.Rows rows) {
      rows.cursor().close();
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "a batch may not contain queries");
    }
    return 0;
  }

  private Signature signature(PreparedSql prepared) {
    StatementPlan plan = prepared.plan();
    List<ColumnMetaData> columns = new ArrayList<>();
    List<ResultColumn> resultColumns = plan instanceof StatementPlan.Explain
        ? List.of() : plan.columns();
    for (int i = 0; i < resultColumns.size(); i++) {
      ResultColumn column = resultColumns.get(i);
      columns.add(JdbcTypes.column(i, column.label(), column.type(), column.tableName(), column.columnName()));
    }
    if (plan instanceof StatementPlan.Explain) {
      columns.add(new ColumnMetaData(0, false, true, false, false, DatabaseMetaData.columnNoNulls, false, 4096, "PLAN",
          "PLAN", null, 0, 0, null, null, ColumnMetaData.scalar(Types.VARCHAR, "VARCHAR", ColumnMetaData.Rep.STRING),
          true, false, false, String.class.getName()));
    }
    List<AvaticaParameter> parameters = new ArrayList<>();
    List<RelDataType> parameterTypes = plan.parameterTypes();
    for (int i = 0; i < parameterTypes.size(); i++) {
      parameters.add(JdbcTypes.parameter(i, parameterTypes.get(i)));
    }
    return Signature.create(columns, prepared.sql(), parameters, CursorFactory.ARRAY, statementType(plan));
  }

  private static StatementType statementType(StatementPlan plan) {
    if (plan instanceof StatementPlan.Modify modify) {
      return switch (modify.operation()) {
        case INSERT -> StatementType.INSERT;
        case UPDATE -> StatementType.UPDATE;
        case DELETE -> StatementType.DELETE;
        case MERGE -> StatementType.MERGE;
        default -> StatementType.OTHER_DML;
      };
    }
    if (plan instanceof StatementPlan.KeyedWrite write) {
      return write.operation() == org.apache.calcite.rel.core.TableModify.Operation.DELETE
          ? StatementType.DELETE : StatementType.UPDATE;
    }
    if (plan instanceof StatementPlan.DirectInsert) {
      return StatementType.INSERT;
    }
    if (plan instanceof StatementPlan.Ddl ddl) {
      org.apache.calcite.sql.SqlKind kind = ddl.statement().getKind();
      if (kind == org.apache.calcite.sql.SqlKind.DROP_TABLE || kind == org.apache.calcite.sql.SqlKind.DROP_VIEW
          || kind == org.apache.calcite.sql.SqlKind.DROP_INDEX || kind == org.apache.calcite.sql.SqlKind.DROP_SEQUENCE) {
        return StatementType.DROP;
      }
      return kind == org.apache.calcite.sql.SqlKind.ALTER_TABLE ? StatementType.ALTER : StatementType.CREATE;
    }
    if (plan instanceof StatementPlan.TransactionControl) {
      return StatementType.OTHER_DDL;
    }
    return StatementType.SELECT;
  }

  // ---------------------------------------------------------------- plumbing

  private ConnectionState state(String connectionId) {
    ConnectionState state = connections.get(connectionId);
    // Another user's connection looks like a missing one, so connection ids cannot be probed.
    if (state == null || !ownedByCaller(state)) {
      throw clientError(new ShaleException(SqlState.CONNECTION_DOES_NOT_EXIST,
          "connection does not exist: it was closed, expired after being idle, or never opened"));
    }
    return state;
  }

  private static StatementState existingStatement(ConnectionState connection, StatementHandle h)
      throws NoSuchStatementException {
    StatementState statement = connection.statements.get(h.id);
    if (statement == null) {
      throw new NoSuchStatementException(h);
    }
    return statement;
  }

  private static StatementState preparedStatement(ConnectionState connection, StatementHandle h)
      throws NoSuchStatementException {
    StatementState statement = existingStatement(connection, h);
    if (statement.prepared == null) {
      throw new NoSuchStatementException(h);
    }
    return statement;
  }

  private interface Work<T> {
    T run(ConnectionState state);
  }

  private <T> T onConnection(String connectionId, Work<T> work) {
    return onConnection(state(connectionId), work);
  }

  /**
   * Runs {@code work} as a request on {@code state}, keeping the connection from expiring while it
   * runs, and turns every error into one that carries its SQLSTATE to the client.
   */
  private <T> T onConnection(ConnectionState state, Work<T> work) {
    Principal principal = state.session.principal();
    AtomicInteger userRequests = null;
    if (options.userLimits().appliesTo(principal)) {
      userRequests = requestsByUser.computeIfAbsent(principal.name(), name -> new AtomicInteger());
      if (userRequests.incrementAndGet() > options.userLimits().maxStatementsInFlightPerUser()) {
        userRequests.decrementAndGet();
        throw clientError(new ShaleException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, "too many statements running for "
            + "user \"" + principal.name() + "\": a user may run " + options.userLimits().maxStatementsInFlightPerUser()
            + " at once (max-statements-per-user); wait for one to finish"));
      }
    }
    state.inFlight.incrementAndGet();
    try {
      return work.run(state);
    } catch (ShaleException e) {
      throw clientError(e);
    } catch (AvaticaRuntimeException | AvaticaClientRuntimeException e) {
      throw e;
    } catch (RuntimeException | AssertionError | LinkageError e) {
      // A bug in the engine or in Calcite fails this request; the connection and the thread serving it live on.
      throw clientError(new ShaleException(SqlState.INTERNAL_ERROR, "internal error: " + e, e));
    } finally {
      state.lastUsedMillis = options.clock().millis();
      state.inFlight.decrementAndGet();
      if (userRequests != null) {
        userRequests.decrementAndGet();
      }
    }
  }

  private RuntimeException clientError(ShaleException e) {
    String message = e.getMessage();
    if (options.errors() == MetaOptions.ErrorTransport.SERVER) {
      return new AvaticaRuntimeException(message, vendorCode(e.sqlState()), e.sqlState().code(), AvaticaSeverity.ERROR);
    }
    return new AvaticaClientRuntimeException(message, vendorCode(e.sqlState()), e.sqlState().code(),
        AvaticaSeverity.ERROR, List.of(), null);
  }

  /**
   * The vendor error code ({@link java.sql.SQLException#getErrorCode()}) for {@code state}: the
   * SQLSTATE read as a base-36 number, so it is stable, distinct per SQLSTATE, and the same
   * whichever way the client connected.
   */
  public static int vendorCode(SqlState state) {
    return Integer.parseInt(state.code(), 36);
  }
}
