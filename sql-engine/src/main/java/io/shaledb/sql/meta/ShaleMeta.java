package io.shaledb.sql.meta;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.exec.ExecutionResult;
import io.shaledb.sql.exec.PreparedSql;
import io.shaledb.sql.exec.QueryCursor;
import io.shaledb.sql.exec.ResultColumn;
import io.shaledb.sql.exec.Session;
import io.shaledb.sql.exec.ShaleEngine;
import io.shaledb.sql.exec.StatementPlan;
import io.shaledb.sql.security.Principal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Serves JDBC for one connection of an embedded engine: Avatica calls this {@link
 * org.apache.calcite.avatica.Meta} for every statement, fetch and metadata request, and it runs
 * them on the connection's {@link Session}.
 *
 * <p>Errors leave as Avatica exceptions that carry the SQLSTATE, so the client's {@code
 * SQLException} has it.
 */
public final class ShaleMeta extends MetaImpl {
  /** Rows in a first frame when the client did not ask for a number. */
  static final int DEFAULT_FRAME_ROWS = 100;
  private static final String TABLE_TYPE = "TABLE";
  private static final String SCHEMA = "public";

  private final ShaleEngine engine;
  private final Runnable onClose;
  private final Map<String, ConnectionState> connections = new ConcurrentHashMap<>();

  /**
   * @param onClose runs once when the connection closes, e.g. to release the embedded database
   */
  public ShaleMeta(AvaticaConnection connection, ShaleEngine engine, Runnable onClose) {
    super(connection);
    this.engine = engine;
    this.onClose = onClose;
  }

  private static final class ConnectionState {
    final Session session;
    final Map<Integer, StatementState> statements = new ConcurrentHashMap<>();
    final ConnectionPropertiesImpl properties = new ConnectionPropertiesImpl(true, false,
        Connection.TRANSACTION_REPEATABLE_READ, null, SCHEMA);

    ConnectionState(Session session) {
      this.session = session;
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

  /**
   * Opens a session for the connection. Embedded connections run as the admin user unless the
   * {@code user} property names someone, whose {@code password} is then checked (28P01 if wrong):
   * code in this process can read the data files anyway, so credentials serve to run
   * applications with less privilege, not to keep the process out.
   */
  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    Principal principal;
    try {
      principal = translating(() -> principal(info));
    } catch (RuntimeException e) {
      // The connection never opens, so closeConnection will not release the database.
      onClose.run();
      throw e;
    }
    connections.computeIfAbsent(ch.id, id -> new ConnectionState(engine.openSession(principal)));
  }

  private Principal principal(Map<String, String> info) {
    String user = info == null ? null : info.get("user");
    if (user == null || user.isEmpty()) {
      return Principal.ADMIN;
    }
    return engine.authenticator().authenticate(user, info.get("password"));
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    ConnectionState state = connections.remove(ch.id);
    if (state != null) {
      state.statements.values().forEach(StatementState::closeCursor);
      state.session.close();
      onClose.run();
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties changes) {
    ConnectionState state = state(ch);
    return translating(() -> {
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
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    ConnectionState state = state(ch);
    return translating(() -> {
      PreparedSql prepared = state.session.prepare(sql);
      StatementHandle handle = createStatement(ch);
      handle.signature = signature(prepared);
      StatementState statement = new StatementState();
      statement.prepared = prepared;
      state.statements.put(handle.id, statement);
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
    StatementState statement = connectionState.statements.computeIfAbsent(h.id, id -> new StatementState());
    return translating(() -> {
      statement.closeCursor();
      statement.prepared = connectionState.session.prepare(sql);
      Signature signature = signature(statement.prepared);
      h.signature = signature;
      MetaResultSet result = run(h, statement, connectionState.session, List.of(), maxRowCount, maxRowsInFirstFrame);
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
    StatementState statement = statement(connectionState, h);
    return translating(() -> {
      statement.closeCursor();
      List<Object> values = new ArrayList<>(parameterValues == null ? 0 : parameterValues.size());
      if (parameterValues != null) {
        for (TypedValue value : parameterValues) {
          values.add(value == null ? null : value.value);
        }
      }
      MetaResultSet result = run(h, statement, connectionState.session, values, -1, maxRowsInFirstFrame);
      return new ExecuteResult(List.of(result));
    });
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    return translating(() -> {
      long[] counts = new long[sqlCommands.size()];
      for (int i = 0; i < counts.length; i++) {
        ExecutionResult result = connectionState.session.execute(sqlCommands.get(i));
        counts[i] = updateCount(result);
      }
      return new ExecuteBatchResult(counts);
    });
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = statement(connectionState, h);
    return translating(() -> {
      long[] counts = new long[parameterValues.size()];
      for (int i = 0; i < counts.length; i++) {
        List<Object> values = new ArrayList<>();
        for (TypedValue value : parameterValues.get(i)) {
          values.add(value == null ? null : value.value);
        }
        ExecutionResult result = connectionState.session.execute(statement.prepared, values, statement.cancelFlag);
        counts[i] = updateCount(result);
      }
      return new ExecuteBatchResult(counts);
    });
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) throws NoSuchStatementException {
    ConnectionState connectionState = state(h.connectionId);
    StatementState statement = statement(connectionState, h);
    return translating(() -> {
      if (statement.cursor == null) {
        return Frame.create(offset, true, List.of());
      }
      return nextFrame(statement, offset, fetchMaxRowCount);
    });
  }

  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    // Results live in this process; there is never anything to re-create.
    return false;
  }

  @Override
  public void closeStatement(StatementHandle h) {
    ConnectionState connectionState = connections.get(h.connectionId);
    if (connectionState != null) {
      StatementState statement = connectionState.statements.remove(h.id);
      if (statement != null) {
        statement.cancelFlag.set(true);
        statement.closeCursor();
      }
    }
  }

  @Override
  public void commit(ConnectionHandle ch) {
    ConnectionState state = state(ch);
    translating(() -> {
      state.session.commit();
      return null;
    });
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    ConnectionState state = state(ch);
    translating(() -> {
      state.session.rollback();
      return null;
    });
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "ShaleDB");
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, "0.1.0");
    properties.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, 0);
    properties.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, 1);
    properties.put(DatabaseProperty.GET_DRIVER_NAME, "ShaleDB JDBC Driver");
    properties.put(DatabaseProperty.GET_DRIVER_VERSION, "0.1.0");
    properties.put(DatabaseProperty.GET_DRIVER_MAJOR_VERSION, 0);
    properties.put(DatabaseProperty.GET_DRIVER_MINOR_VERSION, 1);
    properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_REPEATABLE_READ);
    properties.put(DatabaseProperty.GET_S_Q_L_KEYWORDS, "AUTO_INCREMENT,SHARDS,TEXT");
    return properties;
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return createResultSet(List.of(), MetaCatalog.class);
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    List<Object> rows = new ArrayList<>();
    if (matches(schemaPattern, SCHEMA)) {
      rows.add(new MetaSchema(null, SCHEMA));
    }
    return createResultSet(rows, MetaSchema.class);
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return createResultSet(List.of(new MetaTableType(TABLE_TYPE)), MetaTableType.class);
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      List<String> typeList) {
    List<Object> rows = new ArrayList<>();
    if (matches(schemaPattern, SCHEMA) && (typeList == null || typeList.contains(TABLE_TYPE))) {
      for (TableDef table : engine.catalog().tables()) {
        if (matches(tableNamePattern, table.name())) {
          rows.add(new MetaTable(null, SCHEMA, table.name(), TABLE_TYPE));
        }
      }
    }
    return createResultSet(rows, MetaTable.class);
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      Pat columnNamePattern) {
    List<Object> rows = new ArrayList<>();
    if (matches(schemaPattern, SCHEMA)) {
      for (TableDef table : engine.catalog().tables()) {
        if (!matches(tableNamePattern, table.name())) {
          continue;
        }
        for (int i = 0; i < table.columns().size(); i++) {
          ColumnDef column = table.columns().get(i);
          if (!matches(columnNamePattern, column.name())) {
            continue;
          }
          SqlColumnType type = column.type();
          Integer size = columnSize(type);
          Integer digits = type.storage() == io.shaledb.kv.encoding.ColumnType.DECIMAL ? type.scale() : null;
          rows.add(new MetaColumn(null, SCHEMA, table.name(), column.name(), jdbcType(type), type.declaredName(), size,
              digits, 10, JdbcTypes.nullability(column.nullable()), size, i + 1, column.nullable() ? "YES" : "NO",
              column.generation().generates() ? "YES" : "NO", "NO"));
        }
      }
    }
    return createResultSet(rows, MetaColumn.class);
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String tableName) {
    List<Object> rows = new ArrayList<>();
    if (schema == null || schema.equals(SCHEMA)) {
      for (TableDef table : engine.catalog().tables()) {
        if (tableName != null && !tableName.equals(table.name())) {
          continue;
        }
        for (int position = 0; position < table.primaryKey().size(); position++) {
          String column = table.columns().get(table.primaryKey().get(position)).name();
          rows.add(new PrimaryKeyRow(SCHEMA, table.name(), column, (short) (position + 1), table.name() + "_pkey"));
        }
      }
    }
    return createResultSet(rows, PrimaryKeyRow.class);
  }

  /** A row of {@link DatabaseMetaData#getPrimaryKeys}; Avatica's own class is not constructible outside its package. */
  public static final class PrimaryKeyRow {
    @ColumnNullable public final String tableCat = null;
    public final String tableSchem;
    @ColumnNoNulls public final String tableName;
    @ColumnNoNulls public final String columnName;
    @ColumnNoNulls public final short keySeq;
    public final String pkName;

    PrimaryKeyRow(String tableSchem, String tableName, String columnName, short keySeq, String pkName) {
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.columnName = columnName;
      this.keySeq = keySeq;
      this.pkName = pkName;
    }
  }

  private MetaResultSet createResultSet(List<Object> rows, Class<?> rowClass) {
    List<ColumnMetaData> columns = fieldMetaData(rowClass).columns;
    return createResultSet(Map.of(), columns, CursorFactory.record(rowClass, Arrays.asList(rowClass.getFields()),
        columns.stream().map(c -> c.columnName).toList()), Frame.create(0, true, rows));
  }

  private static Integer columnSize(SqlColumnType type) {
    return switch (type.storage()) {
      case CHAR, VARCHAR -> type.precision() == SqlColumnType.UNSPECIFIED ? Integer.MAX_VALUE : type.precision();
      case DECIMAL -> type.precision();
      case SMALLINT -> 5;
      case INTEGER -> 10;
      case BIGINT -> 19;
      case REAL -> 7;
      case DOUBLE -> 15;
      case BOOLEAN -> 1;
      case DATE -> 10;
      case TIME -> 12;
      case TIMESTAMP -> 23;
    };
  }

  private static int jdbcType(SqlColumnType type) {
    return switch (type.storage()) {
      case BOOLEAN -> Types.BOOLEAN;
      case SMALLINT -> Types.SMALLINT;
      case INTEGER -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case DECIMAL -> Types.DECIMAL;
      case REAL -> Types.REAL;
      case DOUBLE -> Types.DOUBLE;
      case CHAR -> Types.CHAR;
      case VARCHAR -> Types.VARCHAR;
      case DATE -> Types.DATE;
      case TIME -> Types.TIME;
      case TIMESTAMP -> Types.TIMESTAMP;
    };
  }

  private static boolean matches(Pat pattern, String name) {
    if (pattern == null || pattern.s == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.s.toCharArray()) {
      switch (c) {
        case '%' -> regex.append(".*");
        case '_' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(regex.toString(), name);
  }

  private MetaResultSet run(StatementHandle h, StatementState statement, Session session, List<Object> values,
      long maxRowCount, int maxRowsInFirstFrame) {
    ExecutionResult result = session.execute(statement.prepared, values, statement.cancelFlag);
    Signature signature = signature(statement.prepared);
    if (result instanceof ExecutionResult.Rows rows) {
      statement.cursor = rows.cursor();
      statement.rowsLeft = maxRowCount > 0 ? maxRowCount : Long.MAX_VALUE;
      int firstFrameRows = maxRowsInFirstFrame > 0 ? maxRowsInFirstFrame : DEFAULT_FRAME_ROWS;
      Frame first = nextFrame(statement, 0, firstFrameRows);
      return MetaResultSet.create(h.connectionId, h.id, false, signature, first);
    }
    return MetaResultSet.count(h.connectionId, h.id, updateCount(result));
  }

  private static Frame nextFrame(StatementState statement, long offset, int maxRows) {
    int limit = (int) Math.min(maxRows > 0 ? maxRows : DEFAULT_FRAME_ROWS, statement.rowsLeft);
    List<Object[]> rows = statement.cursor.fetch(limit);
    statement.rowsLeft -= rows.size();
    boolean done = statement.cursor.isDone() || statement.rowsLeft <= 0;
    if (done) {
      statement.closeCursor();
    }
    return Frame.create(offset, done, new ArrayList<Object>(rows));
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
        default -> StatementType.OTHER_DDL;
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
      return ddl.statement().getKind() == org.apache.calcite.sql.SqlKind.DROP_TABLE ? StatementType.DROP : StatementType.CREATE;
    }
    if (plan instanceof StatementPlan.TransactionControl) {
      return StatementType.OTHER_DDL;
    }
    return StatementType.SELECT;
  }

  private ConnectionState state(ConnectionHandle ch) {
    return state(ch.id);
  }

  private ConnectionState state(String connectionId) {
    ConnectionState state = connections.get(connectionId);
    if (state == null) {
      throw clientError(new ShaleException(SqlState.CONNECTION_DOES_NOT_EXIST, "connection is closed"));
    }
    return state;
  }

  private static StatementState statement(ConnectionState connection, StatementHandle h) throws NoSuchStatementException {
    StatementState statement = connection.statements.get(h.id);
    if (statement == null || statement.prepared == null) {
      throw new NoSuchStatementException(h);
    }
    return statement;
  }

  private interface Work<T> {
    T run();
  }

  /** Runs {@code work}, turning every error into one that carries its SQLSTATE to the client. */
  private static <T> T translating(Work<T> work) {
    try {
      return work.run();
    } catch (ShaleException e) {
      throw clientError(e);
    } catch (AvaticaRuntimeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw clientError(new ShaleException(SqlState.INTERNAL_ERROR, "internal error: " + e, e));
    }
  }

  private static RuntimeException clientError(ShaleException e) {
    return new org.apache.calcite.avatica.AvaticaClientRuntimeException(e.getMessage(), 0, e.sqlState().code(),
        AvaticaSeverity.ERROR, List.of(), null);
  }
}
