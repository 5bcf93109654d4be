package io.shaledb.sql.session;

import io.shaledb.kv.Transaction;
import io.shaledb.sql.runtime.ScanExecution;
import io.shaledb.sql.runtime.SequenceValues;
import io.shaledb.sql.runtime.StorageReadCounter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The {@link DataContext} one execution of a statement runs in: its transaction, parameter values
 * (already in Calcite's internal representation), the statement time, the cancel flag and the user.
 */
final class StatementContext implements DataContext {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private final SchemaPlus rootSchema;
  private final JavaTypeFactory typeFactory;
  private final Transaction transaction;
  private final List<Object> parameters;
  private final Map<String, Object> planInternals;
  private final long statementTimeMillis;
  private final AtomicBoolean cancelFlag;
  private final StorageReadCounter readCounter;
  private final String userName;
  private final SequenceValues sequences;

  /**
   * @param userName whom CURRENT_USER, SESSION_USER and USER name; null where no session runs the statement
   * @param sequences where NEXT VALUE FOR draws values; null where sequences may not be used (CHECK constraints)
   */
  StatementContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, Transaction transaction, List<Object> parameters,
      Map<String, Object> planInternals, long statementTimeMillis, AtomicBoolean cancelFlag,
      StorageReadCounter readCounter, String userName, SequenceValues sequences) {
    this.rootSchema = rootSchema;
    this.typeFactory = typeFactory;
    this.transaction = transaction;
    this.parameters = parameters;
    this.planInternals = planInternals;
    this.statementTimeMillis = statementTimeMillis;
    this.cancelFlag = cancelFlag;
    this.readCounter = readCounter;
    this.userName = userName;
    this.sequences = sequences;
  }

  @Override
  public SchemaPlus getRootSchema() {
    return rootSchema;
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return typeFactory;
  }

  @Override
  public QueryProvider getQueryProvider() {
    // Only Calcite's own queryable tables need one; ShaleDB's tables scan through ScanExecution.
    throw new UnsupportedOperationException("ShaleDB statements have no query provider");
  }

  @Override
  public Object get(String name) {
    if (name.startsWith("?")) {
      // Generated code asks for a parameter by name each time it uses it, per row in a filter: no substring.
      return parameters.get(Integer.parseInt(name, 1, name.length(), 10));
    }
    switch (name) {
      case ScanExecution.TRANSACTION_VARIABLE:
        return transaction;
      case ScanExecution.READ_COUNTER_VARIABLE:
        return readCounter;
      case "currentTimestamp", "localTimestamp", "utcTimestamp", "sysTimestamp":
        // Sessions run in UTC, so local and UTC time coincide.
        return statementTimeMillis;
      case "timeZone":
        return UTC;
      case "locale":
        return Locale.ROOT;
      case "cancelFlag":
        return cancelFlag;
      case SequenceValues.VARIABLE:
        return sequences;
      case "user", "systemUser":
        // CURRENT_USER, SESSION_USER and USER ("user"), SYSTEM_USER ("systemUser"): ShaleDB has no
        // SET ROLE, so all name the session's user.
        return userName;
      default:
        return planInternals.get(name);
    }
  }
}
