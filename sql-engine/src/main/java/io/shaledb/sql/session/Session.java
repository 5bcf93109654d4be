package io.shaledb.sql.session;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.plan.KeyOperand;
import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.runtime.QueryCursor;
import io.shaledb.sql.runtime.TableWriter;
import io.shaledb.sql.runtime.Values;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.TableLayout;
import io.shaledb.sql.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One client connection's state: its transaction and auto-commit mode.
 *
 * <p>In auto-commit mode every statement runs in its own transaction, unless START TRANSACTION (or
 * BEGIN) opened one that lasts until COMMIT or ROLLBACK. With auto-commit off, the first statement
 * opens a transaction that lasts until {@link #commit()} or {@link #rollback()}. A statement that
 * fails changes nothing and leaves an open transaction usable. DDL commits on its own, immediately.
 *
 * <p>A statement that fails with an {@link Error} (a failed consistency check, a stack overflow)
 * while writing may have handed part of its writes to the transaction, which has no savepoints to
 * take them back: the whole transaction is rolled back at once and, as in PostgreSQL, every
 * further statement fails with 25P02 until the client ends the transaction (ROLLBACK, or COMMIT,
 * which then fails with 25P02 too), so the client cannot mistake the lost writes for pending ones.
 *
 * <p>Thread-safe by confinement: all methods synchronize on the session.
 */
public final class Session implements AutoCloseable {
  private final ShaleEngine engine;
  private final Principal principal;
  private Transaction transaction;
  private boolean autoCommit = true;
  private boolean closed;
  /** Why the open transaction was rolled back behind the client's back, or null (see the class comment). */
  private String abortedBecause;
  /** Rows written per table by the statements of the open transaction, counted towards a statistics refresh at commit. */
  private final java.util.Map<TableDef, Long> uncommittedWrites = new java.util.HashMap<>();

  Session(ShaleEngine engine, Principal principal) {
    this.engine = engine;
    this.principal = java.util.Objects.requireNonNull(principal, "principal");
  }

  /** Whose privileges this session's statements run with. */
  public Principal principal() {
    return principal;
  }

  /** Parses and plans {@code sql}. */
  public PreparedSql prepare(String sql) {
    return prepare(sql, new AtomicBoolean());
  }

  /** Parses and plans {@code sql}; setting {@code cancelFlag} stops planning with 57014. */
  public PreparedSql prepare(String sql, AtomicBoolean cancelFlag) {
    checkOpen();
    return engine.prepare(sql, cancelFlag);
  }

  /** Prepares and executes {@code sql} without parameters. */
  public synchronized ExecutionResult execute(String sql) {
    return execute(prepare(sql), List.of(), new AtomicBoolean());
  }

  /**
   * Executes a prepared statement.
   *
   * @param parameters one value per {@code ?}, as JDBC objects or Avatica serial values
   * @param cancelFlag set to true to cancel the running statement
   */
  public synchronized ExecutionResult execute(PreparedSql prepared, List<Object> parameters, AtomicBoolean cancelFlag) {
    checkOpen();
    PreparedSql current = engine.revalidate(prepared);
    // Checked at every execution, not at prepare: privileges may have changed in between.
    engine.checkAccess(principal, current);
    StatementPlan plan = current.plan();
    if (abortedBecause != null && !(plan instanceof StatementPlan.TransactionControl control
        && control.kind() != StatementPlan.TransactionControl.Kind.BEGIN)) {
      throw abortedError();
    }
    List<Object> values = bindParameters(plan.parameterTypes(), parameters);
    // A cancel (or query timeout) that came while the statement was being planned or waiting for
    // this session stops it here; fast paths read no scan that would notice it later.
    checkCancelled(cancelFlag);
    if (plan instanceof StatementPlan.Query query) {
      return executeQuery(query, values, cancelFlag);
    }
    if (plan instanceof StatementPlan.Modify || plan instanceof StatementPlan.KeyedWrite
        || plan instanceof StatementPlan.DirectInsert) {
      return write(txn -> runWrite(txn, plan, values, cancelFlag, null));
    }
    if (plan instanceof StatementPlan.Returning returning) {
      return executeReturning(returning, values, cancelFlag);
    }
    if (plan instanceof StatementPlan.PointQuery point) {
      return executePointQuery(point, values, cancelFlag);
    }
    if (plan instanceof StatementPlan.Locking locking) {
      return executeLocking(locking, values, cancelFlag);
    }
    if (plan instanceof StatementPlan.TransactionControl control) {
      transactionControl(control.kind());
      return ExecutionResult.DONE;
    }
    if (plan instanceof StatementPlan.SessionSetting) {
      return ExecutionResult.DONE;
    }
    if (plan instanceof StatementPlan.Backup backup) {
      try {
        return engine.backupStatements().execute(principal, backup);
      } catch (RuntimeException e) {
        throw SqlErrors.translate(e);
      }
    }
    if (plan instanceof StatementPlan.Ddl ddl) {
      engine.executeDdl(principal, ddl.statement());
      return ExecutionResult.DONE;
    }
    StatementPlan.Explain explain = (StatementPlan.Explain) plan;
    return new ExecutionResult.Rows(
        new QueryCursor(Linq4j.enumerator(new ArrayList<Object>(explain.lines())), 1, null),
        List.of(new ResultColumn("PLAN", engine.typeFactory().createSqlType(SqlTypeName.VARCHAR), null, null)));
  }

  public synchronized boolean autoCommit() {
    return autoCommit;
  }

  /** Switching auto-commit on commits an open transaction, as JDBC specifies. */
  public synchronized void setAutoCommit(boolean autoCommit) {
    checkOpen();
    if (autoCommit && !this.autoCommit) {
      commit();
    }
    this.autoCommit = autoCommit;
  }

  /** Whether a transaction is open (explicitly, or implicitly with auto-commit off). */
  public synchronized boolean inTransaction() {
    return transaction != null;
  }

  /** Commits the open transaction, if any. On a conflict (40001) the transaction is rolled back. */
  public synchronized void commit() {
    checkOpen();
    if (abortedBecause != null) {
      ShaleException error = abortedError();
      abortedBecause = null;
      throw error;
    }
    Transaction txn = transaction;
    transaction = null;
    if (txn != null) {
      try {
        txn.commit();
        reportCommittedWrites();
      } finally {
        uncommittedWrites.clear();
        txn.close();
      }
    }
  }

  /** Rolls back the open transaction, if any. */
  public synchronized void rollback() {
    abortedBecause = null;
    uncommittedWrites.clear();
    Transaction txn = transaction;
    transaction = null;
    if (txn != null) {
      txn.rollback();
      txn.close();
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      rollback();
      closed = true;
    }
  }

  private void transactionControl(StatementPlan.TransactionControl.Kind kind) {
    switch (kind) {
      case BEGIN -> {
        // Like PostgreSQL, BEGIN inside a transaction keeps the transaction that is open.
        if (transaction == null) {
          transaction = engine.kv().begin();
        }
      }
      case COMMIT -> commit();
      case ROLLBACK -> rollback();
    }
  }

  private ExecutionResult executeQuery(StatementPlan.Query query, List<Object> values, AtomicBoolean cancelFlag) {
    Transaction own;
    if (query.asOf() != null) {
      // Time travel reads in its own read-only transaction, also inside an open transaction.
      own = timeTravel(query.asOf(), values, query.internals(), cancelFlag);
    } else {
      own = transaction == null && autoCommit ? engine.kv().begin() : null;
    }
    Transaction txn = own != null ? own : sessionTransaction();
    try {
      Enumerable<Object> rows = query.bindable().bind(context(txn, values, query.internals(), cancelFlag));
      Enumerator<Object> enumerator = rows.enumerator();
      return new ExecutionResult.Rows(new QueryCursor(enumerator, query.columns().size(), own), query.columns());
    } catch (RuntimeException | Error e) {
      if (own != null) {
        own.close();
      }
      throw SqlErrors.statementError(e);
    }
  }

  /**
   * Runs a {@link StatementPlan.Modify}, {@link StatementPlan.KeyedWrite} or {@link
   * StatementPlan.DirectInsert} in {@code txn}; returns the number of rows written.
   *
   * @param returned receives the written rows (see {@link TableWriter}), or null
   */
  private long runWrite(Transaction txn, StatementPlan plan, List<Object> values, AtomicBoolean cancelFlag,
      List<Object[]> returned) {
    if (plan instanceof StatementPlan.Modify modify) {
      return written(modify.table(), modify(txn, modify, values, cancelFlag, returned));
    }
    if (plan instanceof StatementPlan.KeyedWrite write) {
      return written(write.table(), keyedWrite(txn, write, values, cancelFlag, returned));
    }
    StatementPlan.DirectInsert insert = (StatementPlan.DirectInsert) plan;
    StatementContext context = context(txn, values, java.util.Map.of(), cancelFlag);
    List<Object[]> rows = new ArrayList<>(insert.rows().size());
    for (List<KeyOperand> operands : insert.rows()) {
      checkCancelled(cancelFlag);
      rows.add(resolve(operands, context));
    }
    return written(insert.table(), new TableWriter(txn, insert.table(), engine.writeRules(), returned).insert(rows));
  }

  /** Notes {@code rows} written to {@code table}, to count at commit towards refreshing its statistics; returns {@code rows}. */
  private long written(ShaleTable table, long rows) {
    uncommittedWrites.merge(table.definition(), rows, Long::sum);
    return rows;
  }

  /** Counts the rows the committed transaction wrote towards refreshing each table's statistics. */
  private void reportCommittedWrites() {
    uncommittedWrites.forEach(engine.statistics()::recordModified);
    uncommittedWrites.clear();
  }

  /** Runs the write, then returns its rows projected to the RETURNING columns. */
  private ExecutionResult executeReturning(StatementPlan.Returning returning, List<Object> values,
      AtomicBoolean cancelFlag) {
    List<Object[]> written = new ArrayList<>();
    write(txn -> runWrite(txn, returning.write(), values, cancelFlag, written));
    int[] columns = returning.returnedColumns();
    List<Object[]> rows = new ArrayList<>(written.size());
    for (Object[] row : written) {
      Object[] projected = new Object[columns.length];
      for (int i = 0; i < columns.length; i++) {
        projected[i] = row[columns[i]];
      }
      rows.add(projected);
    }
    return new ExecutionResult.Rows(QueryCursor.over(rows), returning.columns());
  }

  /**
   * SELECT ... FOR UPDATE: inside a transaction, every row returned is locked by writing it back
   * unchanged, so it conflicts as a write does: a transaction that wrote the row after this one
   * started, or writes it before this one commits, makes one of the two fail with 40001 (first
   * committer wins). In auto-commit mode the lock would end with the statement, so none is taken.
   * The rows are read completely before any lock is written: the scan must not see its own writes.
   */
  private ExecutionResult executeLocking(StatementPlan.Locking locking, List<Object> values, AtomicBoolean cancelFlag) {
    boolean locks = transaction != null || !autoCommit;
    ExecutionResult.Rows result = (ExecutionResult.Rows) (locking.query() instanceof StatementPlan.PointQuery point
        ? executePointQuery(point, values, cancelFlag)
        : executeQuery((StatementPlan.Query) locking.query(), values, cancelFlag));
    List<Object[]> rows;
    try (QueryCursor cursor = result.cursor()) {
      rows = new ArrayList<>();
      while (!cursor.isDone()) {
        checkCancelled(cancelFlag);
        rows.addAll(cursor.fetch(1024));
      }
    }
    int width = locking.columns().size();
    TableLayout layout = locking.table().layout();
    List<Object[]> visible = new ArrayList<>(rows.size());
    try {
      for (Object[] row : rows) {
        if (locks) {
          byte[] key = layout.keyPrefix(java.util.Arrays.copyOfRange(row, width, row.length));
          byte[] stored = transaction.get(key);
          if (stored != null) {
            transaction.put(key, stored);
          }
        }
        visible.add(java.util.Arrays.copyOf(row, width));
      }
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
    return new ExecutionResult.Rows(QueryCursor.over(visible), locking.columns());
  }

  private long modify(Transaction txn, StatementPlan.Modify modify, List<Object> values, AtomicBoolean cancelFlag,
      List<Object[]> returned) {
    // INSERT ... SELECT ... FOR SYSTEM_TIME AS OF reads the past and writes the present.
    Transaction source = modify.asOf() == null ? null : timeTravel(modify.asOf(), values, modify.internals(), cancelFlag);
    try {
      List<Object[]> inputs = new ArrayList<>();
      int width = modify.table().definition().columns().size() + modify.updatedColumns().length;
      StatementContext inputContext = context(source != null ? source : txn, values, modify.internals(), cancelFlag);
      try (Enumerator<Object> rows = modify.input().bind(inputContext).enumerator()) {
        while (rows.moveNext()) {
          checkCancelled(cancelFlag);
          Object row = rows.current();
          inputs.add(width == 1 && !(row instanceof Object[]) ? new Object[] {row} : (Object[]) row);
        }
      }
      TableWriter writer = new TableWriter(txn, modify.table(), engine.writeRules(), returned);
      return switch (modify.operation()) {
        case INSERT -> writer.insert(inputs);
        case UPDATE -> writer.update(inputs, modify.updatedColumns());
        case DELETE -> writer.delete(inputs);
        // The insert part of a MERGE row is as wide as the table; with it the row is wider than an update's.
        case MERGE -> writer.merge(inputs, modify.updatedColumns(),
            !inputs.isEmpty() && inputs.get(0).length > width);
        default -> throw new IllegalStateException("unexpected operation " + modify.operation());
      };
    } finally {
      if (source != null) {
        source.close();
      }
    }
  }

  /** The read-only transaction of a FOR SYSTEM_TIME AS OF statement, at the instant it names. */
  private Transaction timeTravel(TimeTravel asOf, List<Object> values, java.util.Map<String, Object> internals,
      AtomicBoolean cancelFlag) {
    try {
      return engine.beginAsOf(asOf.instantMillis(context(null, values, internals, cancelFlag)));
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw SqlErrors.translate(e);
    }
  }

  private long keyedWrite(Transaction txn, StatementPlan.KeyedWrite write, List<Object> values, AtomicBoolean cancelFlag,
      List<Object[]> returned) {
    StatementContext context = context(txn, values, java.util.Map.of(), cancelFlag);
    Object[] key = resolve(write.key(), context);
    for (Object value : key) {
      if (value == null) {
        return 0;
      }
    }
    TableLayout layout = write.table().layout();
    engine.readCounter().pointGet();
    byte[] stored = txn.get(layout.keyPrefix(key));
    if (stored == null) {
      return 0;
    }
    Object[] oldRow = layout.decodeRow(stored);
    TableWriter writer = new TableWriter(txn, write.table(), engine.writeRules(), returned);
    if (write.operation() == org.apache.calcite.rel.core.TableModify.Operation.DELETE) {
      return writer.delete(List.<Object[]>of(oldRow));
    }
    Object[] newValues = resolve(write.values(), context);
    Object[] input = java.util.Arrays.copyOf(oldRow, oldRow.length + newValues.length);
    System.arraycopy(newValues, 0, input, oldRow.length, newValues.length);
    return writer.update(List.<Object[]>of(input), write.updatedColumns());
  }

  private ExecutionResult executePointQuery(StatementPlan.PointQuery point, List<Object> values, AtomicBoolean cancelFlag) {
    Transaction own = transaction == null && autoCommit ? engine.kv().begin() : null;
    Transaction txn = own != null ? own : sessionTransaction();
    try {
      Object[] key = resolve(point.key(), context(txn, values, java.util.Map.of(), cancelFlag));
      List<Object> rows = new ArrayList<>(1);
      if (java.util.Arrays.stream(key).allMatch(java.util.Objects::nonNull)) {
        TableLayout layout = point.table().layout();
        engine.readCounter().pointGet();
        byte[] stored = txn.get(layout.keyPrefix(key));
        if (stored != null) {
          rows.add(layout.decodeRow(stored, point.projection()));
        }
      }
      return new ExecutionResult.Rows(new QueryCursor(Linq4j.enumerator(rows), point.columns().size(), own),
          point.columns());
    } catch (RuntimeException | Error e) {
      if (own != null) {
        own.close();
      }
      throw SqlErrors.statementError(e);
    }
  }

  /**
   * Runs a write in the session's transaction, or in auto-commit mode in its own transaction that
   * commits when the write succeeds. Returns the number of rows written.
   */
  private ExecutionResult write(java.util.function.Function<Transaction, Long> work) {
    Transaction own = transaction == null && autoCommit ? engine.kv().begin() : null;
    Transaction txn = own != null ? own : sessionTransaction();
    try {
      long count = work.apply(txn);
      if (own != null) {
        own.commit();
        reportCommittedWrites();
      }
      return new ExecutionResult.UpdateCount(count);
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } catch (Error e) {
      if (own == null) {
        abort(e);
      }
      throw SqlErrors.statementError(e);
    } finally {
      if (own != null) {
        uncommittedWrites.clear();
        own.close();
      }
    }
  }

  /** Rolls back the session's transaction after {@code error} left it with part of a statement's writes. */
  private void abort(Error error) {
    Transaction txn = transaction;
    if (txn == null) {
      return;
    }
    abortedBecause = SqlErrors.translate(error).getMessage();
    transaction = null;
    uncommittedWrites.clear();
    try {
      txn.rollback();
    } finally {
      txn.close();
    }
  }

  private ShaleException abortedError() {
    return new ShaleException(SqlState.IN_FAILED_SQL_TRANSACTION, "current transaction is aborted, commands ignored "
        + "until end of transaction block: it was rolled back when a statement failed (" + abortedBecause + ")");
  }

  private static void checkCancelled(AtomicBoolean cancelFlag) {
    if (cancelFlag.get()) {
      throw new ShaleException(SqlState.QUERY_CANCELED, "statement was cancelled");
    }
  }

  private static Object[] resolve(List<KeyOperand> operands, StatementContext context) {
    Object[] values = new Object[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = operands.get(i).resolve(context);
    }
    return values;
  }

  private Transaction sessionTransaction() {
    if (transaction == null) {
      transaction = engine.kv().begin();
    }
    return transaction;
  }

  private StatementContext context(Transaction txn, List<Object> values, java.util.Map<String, Object> internals,
      AtomicBoolean cancelFlag) {
    SchemaSnapshot schema = engine.schema();
    return new StatementContext(schema.rootSchema().plus(), engine.typeFactory(), txn, values, internals,
        engine.config().clock().millis(), cancelFlag, engine.readCounter(), principal.name(),
        engine::nextSequenceValue);
  }

  private static List<Object> bindParameters(List<RelDataType> types, List<Object> parameters) {
    if (parameters.size() != types.size()) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
          "statement has " + types.size() + " parameters but " + parameters.size() + " values were given");
    }
    List<Object> values = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      try {
        values.add(Values.toInternal(parameters.get(i), types.get(i)));
      } catch (NumberFormatException e) {
        throw new ShaleException(SqlState.INVALID_TEXT_REPRESENTATION,
            "parameter " + (i + 1) + ": '" + parameters.get(i) + "' is not a valid " + types.get(i).getSqlTypeName());
      }
    }
    return values;
  }

  private void checkOpen() {
    if (closed) {
      throw new ShaleException(SqlState.CONNECTION_DOES_NOT_EXIST, "session is closed");
    }
  }
}
