package io.shaledb.flyway;

import java.sql.Connection;
import java.sql.Types;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.base.BaseDatabaseType;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;

/**
 * ShaleDB for Flyway: found through Flyway's plugin mechanism (listed in
 * {@code META-INF/services/org.flywaydb.core.extensibility.Plugin}) and chosen for
 * {@code jdbc:shaledb:} URLs and for connections whose product name is ShaleDB.
 */
public final class ShaleDatabaseType extends BaseDatabaseType {
  static final String DRIVER_CLASS = "io.shaledb.jdbc.ShaleDriver";

  @Override
  public String getName() {
    return "ShaleDB";
  }

  @Override
  public int getNullType() {
    return Types.NULL;
  }

  @Override
  public boolean handlesJDBCUrl(String url) {
    return url.startsWith("jdbc:shaledb:");
  }

  @Override
  public String getDriverClass(String url, ClassLoader classLoader) {
    return DRIVER_CLASS;
  }

  @Override
  public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion,
      Connection connection) {
    return databaseProductName.startsWith("ShaleDB");
  }

  @Override
  public Database createDatabase(Configuration configuration, JdbcConnectionFactory jdbcConnectionFactory,
      StatementInterceptor statementInterceptor) {
    return new ShaleDatabase(configuration, jdbcConnectionFactory, statementInterceptor);
  }

  @Override
  public Parser createParser(Configuration configuration, ResourceProvider resourceProvider,
      ParsingContext parsingContext) {
    return new ShaleParser(configuration, parsingContext);
  }
}
