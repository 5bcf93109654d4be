package io.shaledb.flyway;

import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.database.base.Connection;
import org.flywaydb.core.internal.database.base.Schema;

/** A connection to ShaleDB, whose only schema is {@code public}. */
final class ShaleConnection extends Connection<ShaleDatabase> {
  static final String SCHEMA = "public";

  ShaleConnection(ShaleDatabase database, java.sql.Connection connection) {
    super(database, connection);
  }

  @Override
  protected String getCurrentSchemaNameOrSearchPath() throws SQLException {
    return jdbcTemplate.queryForString("SELECT CURRENT_SCHEMA");
  }

  @Override
  protected void doChangeCurrentSchemaOrSearchPathTo(String schema) {
    if (schema != null && !schema.isEmpty() && !schema.equals(SCHEMA)) {
      throw new FlywayException("ShaleDB has one schema, \"public\"; it cannot switch to \"" + schema + "\"");
    }
  }

  @Override
  public Schema getSchema(String name) {
    return new ShaleSchema(jdbcTemplate, database, name);
  }
}
