package io.shaledb.jdbc;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The connection's {@link Meta} (remote or embedded), with every failure turned into the {@link
 * SQLException} a JDBC client expects, thrown straight through Avatica's code: one clean message with
 * its SQLSTATE ({@link DriverErrors}).
 *
 * <p>Why here and not in Avatica's own error path: Avatica wraps what its {@code Meta} throws in
 * messages of its own ("while preparing SQL: ..." without the reason, "Error while executing SQL
 * ...: Remote driver error: ..."), drops the SQLSTATE of transport failures, and builds {@code
 * AvaticaSqlException}s whose constructor throws a NullPointerException when {@code
 * DriverManager.setLogWriter} is set (the SQLException constructor prints the stack trace before
 * the subclass has its fields). Every JDBC method that reaches the database calls through here, so
 * an SQLException thrown here (Java lets it pass, undeclared, through the Meta interface) is what
 * the client gets: Avatica's JDBC methods declare SQLException and only catch runtime exceptions.
 */
final class ErrorTranslatingMeta implements Meta {
  private final Meta delegate;
  /** The user of the connection, for the message of a refused password; null if none. */
  private final String user;

  ErrorTranslatingMeta(Meta delegate, String user) {
    this.delegate = delegate;
    this.user = user;
  }

  /** The Meta this one translates the errors of. */
  Meta delegate() {
    return delegate;
  }

  @Override
  public Map<Meta.DatabaseProperty, Object> getDatabaseProperties(Meta.ConnectionHandle connection) {
    try {
      return delegate.getDatabaseProperties(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getTables(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, List<String> arg4) {
    try {
      return delegate.getTables(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getColumns(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, Meta.Pat arg4) {
    try {
      return delegate.getColumns(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getSchemas(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2) {
    try {
      return delegate.getSchemas(connection, arg1, arg2);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getCatalogs(Meta.ConnectionHandle connection) {
    try {
      return delegate.getCatalogs(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getTableTypes(Meta.ConnectionHandle connection) {
    try {
      return delegate.getTableTypes(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getProcedures(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3) {
    try {
      return delegate.getProcedures(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getProcedureColumns(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, Meta.Pat arg4) {
    try {
      return delegate.getProcedureColumns(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getColumnPrivileges(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3, Meta.Pat arg4) {
    try {
      return delegate.getColumnPrivileges(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getTablePrivileges(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3) {
    try {
      return delegate.getTablePrivileges(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getBestRowIdentifier(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3, int arg4, boolean arg5) {
    try {
      return delegate.getBestRowIdentifier(connection, arg1, arg2, arg3, arg4, arg5);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getVersionColumns(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3) {
    try {
      return delegate.getVersionColumns(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getPrimaryKeys(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3) {
    try {
      return delegate.getPrimaryKeys(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getImportedKeys(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3) {
    try {
      return delegate.getImportedKeys(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getExportedKeys(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3) {
    try {
      return delegate.getExportedKeys(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getCrossReference(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3, String arg4, String arg5, String arg6) {
    try {
      return delegate.getCrossReference(connection, arg1, arg2, arg3, arg4, arg5, arg6);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getTypeInfo(Meta.ConnectionHandle connection) {
    try {
      return delegate.getTypeInfo(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getIndexInfo(Meta.ConnectionHandle connection, String arg1, String arg2, String arg3, boolean arg4, boolean arg5) {
    try {
      return delegate.getIndexInfo(connection, arg1, arg2, arg3, arg4, arg5);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getUDTs(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, int[] arg4) {
    try {
      return delegate.getUDTs(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getSuperTypes(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3) {
    try {
      return delegate.getSuperTypes(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getSuperTables(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3) {
    try {
      return delegate.getSuperTables(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getAttributes(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, Meta.Pat arg4) {
    try {
      return delegate.getAttributes(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getClientInfoProperties(Meta.ConnectionHandle connection) {
    try {
      return delegate.getClientInfoProperties(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getFunctions(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3) {
    try {
      return delegate.getFunctions(connection, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getFunctionColumns(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, Meta.Pat arg4) {
    try {
      return delegate.getFunctionColumns(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.MetaResultSet getPseudoColumns(Meta.ConnectionHandle connection, String arg1, Meta.Pat arg2, Meta.Pat arg3, Meta.Pat arg4) {
    try {
      return delegate.getPseudoColumns(connection, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Iterable<Object> createIterable(Meta.StatementHandle statement, QueryState arg1, Meta.Signature arg2, List<TypedValue> arg3, Meta.Frame arg4) {
    try {
      return new TranslatingIterable(delegate.createIterable(statement, arg1, arg2, arg3, arg4), user);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.StatementHandle prepare(Meta.ConnectionHandle connection, String arg1, long arg2) {
    try {
      return delegate.prepare(connection, arg1, arg2);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ExecuteResult prepareAndExecute(Meta.StatementHandle statement, String arg1, long arg2, Meta.PrepareCallback arg3) throws NoSuchStatementException {
    try {
      return delegate.prepareAndExecute(statement, arg1, arg2, arg3);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ExecuteResult prepareAndExecute(Meta.StatementHandle statement, String arg1, long arg2, int arg3, Meta.PrepareCallback arg4) throws NoSuchStatementException {
    try {
      return delegate.prepareAndExecute(statement, arg1, arg2, arg3, arg4);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ExecuteBatchResult prepareAndExecuteBatch(Meta.StatementHandle statement, List<String> arg1) throws NoSuchStatementException {
    try {
      return delegate.prepareAndExecuteBatch(statement, arg1);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ExecuteBatchResult executeBatch(Meta.StatementHandle statement, List<List<TypedValue>> arg1) throws NoSuchStatementException {
    try {
      return delegate.executeBatch(statement, arg1);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.Frame fetch(Meta.StatementHandle statement, long arg1, int arg2) throws NoSuchStatementException, MissingResultsException {
    try {
      return delegate.fetch(statement, arg1, arg2);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ExecuteResult execute(Meta.StatementHandle statement, List<TypedValue> arg1, long arg2) throws NoSuchStatementException {
    try {
      return delegate.execute(statement, arg1, arg2);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ExecuteResult execute(Meta.StatementHandle statement, List<TypedValue> arg1, int arg2) throws NoSuchStatementException {
    try {
      return delegate.execute(statement, arg1, arg2);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.StatementHandle createStatement(Meta.ConnectionHandle connection) {
    try {
      return delegate.createStatement(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public void closeStatement(Meta.StatementHandle statement) {
    try {
      delegate.closeStatement(statement);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public void openConnection(Meta.ConnectionHandle connection, Map<String, String> arg1) {
    try {
      delegate.openConnection(connection, arg1);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public void closeConnection(Meta.ConnectionHandle connection) {
    try {
      delegate.closeConnection(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public boolean syncResults(Meta.StatementHandle statement, QueryState arg1, long arg2) throws NoSuchStatementException {
    try {
      return delegate.syncResults(statement, arg1, arg2);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public void commit(Meta.ConnectionHandle connection) {
    try {
      delegate.commit(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, true));
    }
  }

  @Override
  public void rollback(Meta.ConnectionHandle connection) {
    try {
      delegate.rollback(connection);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  @Override
  public Meta.ConnectionProperties connectionSync(Meta.ConnectionHandle connection, Meta.ConnectionProperties arg1) {
    try {
      return delegate.connectionSync(connection, arg1);
    } catch (RuntimeException e) {
      throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
    }
  }

  /** Rows fetched on demand (later frames of a remote result): their failures are translated too. */
  private record TranslatingIterable(Iterable<Object> rows, String user) implements Iterable<Object> {
    @Override
    public Iterator<Object> iterator() {
      Iterator<Object> iterator = rows.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          try {
            return iterator.hasNext();
          } catch (RuntimeException e) {
            throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
          }
        }

        @Override
        public Object next() {
          try {
            return iterator.next();
          } catch (RuntimeException e) {
            throw DriverErrors.sneaky(DriverErrors.translate(e, user, false));
          }
        }
      };
    }
  }
}
