package io.shaledb.jdbc;

import io.shaledb.common.MetadataCall;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;

/**
 * ShaleDB's {@link java.sql.DatabaseMetaData}. Generic tools read keys, indexes and the
 * capabilities below to decide how to browse and edit tables; Avatica answers keys and indexes
 * with empty results over the network (its protocol has no message for them), so these go to the
 * database as {@link MetadataCall}s, the same way for embedded and remote connections.
 */
final class ShaleDatabaseMetaData extends AvaticaDatabaseMetaData {
  private final AvaticaConnection connection;

  ShaleDatabaseMetaData(AvaticaConnection connection) {
    super(connection);
    this.connection = connection;
  }

  private ResultSet call(MetadataCall call) throws SQLException {
    Statement statement = connection.createStatement();
    try {
      ResultSet result = statement.executeQuery(call.toSql());
      statement.closeOnCompletion();
      return result;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return call(MetadataCall.of("getPrimaryKeys", catalog, schema, table));
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
    return call(MetadataCall.of("getImportedKeys", catalog, schema, table));
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
    return call(MetadataCall.of("getExportedKeys", catalog, schema, table));
  }

  @Override
  public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
      String foreignCatalog, String foreignSchema, String foreignTable) throws SQLException {
    return call(MetadataCall.of("getCrossReference", parentCatalog, parentSchema, parentTable, foreignCatalog,
        foreignSchema, foreignTable));
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
    return call(MetadataCall.of("getIndexInfo", catalog, schema, table, Boolean.toString(unique)));
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern)
      throws SQLException {
    return call(MetadataCall.of("getFunctions", catalog, schemaPattern, functionNamePattern));
  }

  @Override
  public boolean supportsTransactions() {
    return true;
  }

  /** Every level is served at snapshot isolation (stronger than asked), except SERIALIZABLE, which is refused. */
  @Override
  public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_READ_UNCOMMITTED || level == Connection.TRANSACTION_READ_COMMITTED
        || level == Connection.TRANSACTION_REPEATABLE_READ;
  }

  @Override
  public boolean supportsDataDefinitionAndDataManipulationTransactions() {
    return false;
  }

  /** DDL commits on its own, immediately, outside the open transaction. */
  @Override
  public boolean supportsDataManipulationTransactionsOnly() {
    return true;
  }

  @Override
  public boolean dataDefinitionCausesTransactionCommit() {
    return false;
  }

  @Override
  public String getIdentifierQuoteString() {
    return "\"";
  }

  // Identifiers follow PostgreSQL: unquoted ones fold to lower case, quoted ones keep their case.

  @Override
  public boolean supportsMixedCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseIdentifiers() {
    return true;
  }

  @Override
  public boolean storesUpperCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesMixedCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean supportsMixedCaseQuotedIdentifiers() {
    return true;
  }

  @Override
  public boolean storesMixedCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesUpperCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public String getSearchStringEscape() {
    return "\\";
  }

  @Override
  public boolean nullsAreSortedLow() {
    return true;
  }

  @Override
  public boolean nullsAreSortedHigh() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtStart() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtEnd() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInDataManipulation() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInTableDefinitions() {
    return false;
  }

  @Override
  public String getCatalogTerm() {
    return "database";
  }

  @Override
  public boolean supportsGetGeneratedKeys() {
    return true;
  }

  @Override
  public boolean supportsBatchUpdates() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }
}
