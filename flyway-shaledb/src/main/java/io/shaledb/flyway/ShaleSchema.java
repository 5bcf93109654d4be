package io.shaledb.flyway;

import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.database.base.Schema;
import org.flywaydb.core.internal.database.base.Table;
import org.flywaydb.core.internal.jdbc.JdbcTemplate;

/** ShaleDB's schema; only {@code public} exists, so it can be cleaned but not created or dropped. */
final class ShaleSchema extends Schema<ShaleDatabase, ShaleTable> {

  ShaleSchema(JdbcTemplate jdbcTemplate, ShaleDatabase database, String name) {
    super(jdbcTemplate, database, name);
  }

  @Override
  protected boolean doExists() throws SQLException {
    return jdbcTemplate.queryForInt("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?", name) > 0;
  }

  @Override
  protected boolean doEmpty() throws SQLException {
    return jdbcTemplate.queryForInt("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?", name) == 0;
  }

  @Override
  protected void doCreate() {
    throw new FlywayException("ShaleDB has one schema, \"public\"; it cannot create schema \"" + name + "\"");
  }

  @Override
  protected void doDrop() {
    throw new FlywayException("ShaleDB has one schema, \"public\"; it cannot drop it (clean empties it)");
  }

  /** Drops every view and table; CASCADE takes the foreign keys between them and views on views along. */
  @Override
  protected void doClean() throws SQLException {
    List<String> views = jdbcTemplate.queryForStringList(
        "SELECT table_name FROM information_schema.views WHERE table_schema = ?", name);
    for (String view : views) {
      jdbcTemplate.execute("DROP VIEW IF EXISTS " + database.quote(name, view) + " CASCADE");
    }
    for (Table table : allTables()) {
      table.drop();
    }
  }

  @Override
  protected ShaleTable[] doAllTables() throws SQLException {
    List<String> names = jdbcTemplate.queryForStringList(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'", name);
    return names.stream().map(table -> new ShaleTable(jdbcTemplate, database, this, table)).toArray(ShaleTable[]::new);
  }

  @Override
  public Table getTable(String tableName) {
    return new ShaleTable(jdbcTemplate, database, this, tableName);
  }
}
