package io.shaledb.liquibase;

import java.util.Locale;
import liquibase.database.AbstractJdbcDatabase;
import liquibase.database.DatabaseConnection;
import liquibase.exception.DatabaseException;
import liquibase.structure.DatabaseObject;

/**
 * ShaleDB for Liquibase, found through {@code META-INF/services/liquibase.database.Database} for
 * connections whose product name is ShaleDB. ShaleDB has one schema, {@code public}, which
 * unqualified names already mean, so Liquibase is told there are neither catalogs nor schemas.
 * Unquoted names fold to lower case, as in PostgreSQL.
 */
public class ShaleLiquibaseDatabase extends AbstractJdbcDatabase {
  static final String PRODUCT_NAME = "ShaleDB";

  public ShaleLiquibaseDatabase() {
    setCurrentDateTimeFunction("CURRENT_TIMESTAMP");
  }

  @Override
  protected String getDefaultDatabaseProductName() {
    return PRODUCT_NAME;
  }

  @Override
  public boolean isCorrectDatabaseImplementation(DatabaseConnection connection) throws DatabaseException {
    return PRODUCT_NAME.equals(connection.getDatabaseProductName());
  }

  @Override
  public String getDefaultDriver(String url) {
    return url != null && url.startsWith("jdbc:shaledb:") ? "io.shaledb.jdbc.ShaleDriver" : null;
  }

  @Override
  public String getShortName() {
    return "shaledb";
  }

  @Override
  public Integer getDefaultPort() {
    return 8765;
  }

  @Override
  public int getPriority() {
    return PRIORITY_DATABASE;
  }

  /** DDL commits on its own in ShaleDB, outside the transaction. */
  @Override
  public boolean supportsDDLInTransaction() {
    return false;
  }

  @Override
  public boolean supportsInitiallyDeferrableColumns() {
    return false;
  }

  @Override
  public boolean supportsSequences() {
    return false;
  }

  @Override
  public boolean supportsTablespaces() {
    return false;
  }

  @Override
  public boolean supportsCatalogs() {
    return false;
  }

  @Override
  public boolean supportsSchemas() {
    return false;
  }

  /** Asked by Liquibase with {@code CALL current_schema} otherwise, which ShaleDB does not run. */
  @Override
  protected String getConnectionSchemaName() {
    return "public";
  }

  @Override
  public String correctObjectName(String name, Class<? extends DatabaseObject> objectType) {
    if (name == null || (name.startsWith(getQuotingStartCharacter()) && name.endsWith(getQuotingEndCharacter()))) {
      return name;
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
