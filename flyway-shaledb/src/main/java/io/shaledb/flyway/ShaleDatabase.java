package io.shaledb.flyway;

import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.database.base.Table;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;

/**
 * A ShaleDB database as Flyway sees it: one schema ({@code public}), identifiers quoted with
 * {@code "}, and DDL that commits on its own, so Flyway does not count on rolling a failed
 * migration's DDL back.
 */
final class ShaleDatabase extends Database<ShaleConnection> {

  ShaleDatabase(Configuration configuration, JdbcConnectionFactory jdbcConnectionFactory,
      StatementInterceptor statementInterceptor) {
    super(configuration, jdbcConnectionFactory, statementInterceptor);
  }

  @Override
  protected ShaleConnection doGetConnection(Connection connection) {
    return new ShaleConnection(this, connection);
  }

  @Override
  public void ensureSupported(Configuration configuration) {
    // Every ShaleDB version runs the statements this plugin sends.
  }

  /**
   * Flyway's schema history table, with the primary key ShaleDB needs (Flyway numbers migrations
   * with installed_rank, so it is unique) and the index Flyway's other databases have.
   */
  @Override
  public String getRawCreateScript(Table table, boolean baseline) {
    return "CREATE TABLE " + table + " (\n"
        + "    \"installed_rank\" INT NOT NULL PRIMARY KEY,\n"
        + "    \"version\" VARCHAR(50),\n"
        + "    \"description\" VARCHAR(200) NOT NULL,\n"
        + "    \"type\" VARCHAR(20) NOT NULL,\n"
        + "    \"script\" VARCHAR(1000) NOT NULL,\n"
        + "    \"checksum\" INT,\n"
        + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
        + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
        + "    \"execution_time\" INT NOT NULL,\n"
        + "    \"success\" BOOLEAN NOT NULL\n"
        + ");\n"
        + (baseline ? getBaselineStatement(table) + ";\n" : "")
        + "CREATE INDEX " + quote(table.getName() + "_s_idx") + " ON " + table + " (\"success\");";
  }

  /** The session's user, which the schema history records as installed_by. */
  @Override
  protected String doGetCurrentUser() throws SQLException {
    return getMainConnection().getJdbcTemplate().queryForString("SELECT CURRENT_USER");
  }

  @Override
  public boolean supportsDdlTransactions() {
    return false;
  }

  @Override
  public String getBooleanTrue() {
    return "TRUE";
  }

  @Override
  public String getBooleanFalse() {
    return "FALSE";
  }

  @Override
  protected String getEscapedQuote() {
    return "\"\"";
  }

  @Override
  public String doQuote(String identifier) {
    return getOpenQuote() + identifier.replace(getCloseQuote(), getEscapedQuote()) + getCloseQuote();
  }

  @Override
  public boolean catalogIsSchema() {
    return false;
  }
}
