package io.shaledb.flyway;

import java.sql.SQLException;
import org.flywaydb.core.internal.database.base.Table;
import org.flywaydb.core.internal.jdbc.JdbcTemplate;

/** A table of ShaleDB, for Flyway: its schema history table and the tables clean drops. */
final class ShaleTable extends Table<ShaleDatabase, ShaleSchema> {

  ShaleTable(JdbcTemplate jdbcTemplate, ShaleDatabase database, ShaleSchema schema, String name) {
    super(jdbcTemplate, database, schema, name);
  }

  @Override
  protected boolean doExists() throws SQLException {
    return jdbcTemplate.queryForInt("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?"
        + " AND table_name = ?", schema.getName(), name) > 0;
  }

  @Override
  protected void doDrop() throws SQLException {
    jdbcTemplate.execute("DROP TABLE IF EXISTS " + database.quote(schema.getName(), name) + " CASCADE");
  }

  /**
   * Takes no lock: ShaleDB has no table lock. Two processes migrating at once cannot both record
   * the same migration, because its row's primary key (installed_rank) makes the second insert fail
   * (23505), but both may have run its statements by then: run migrations from one process.
   */
  @Override
  protected void doLock() {
  }
}
