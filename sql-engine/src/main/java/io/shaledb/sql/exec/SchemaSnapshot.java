package io.shaledb.sql.exec;

import io.shaledb.sql.schema.ShaleTable;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * The tables of one catalog version as a Calcite schema tree ({@code public} under the root).
 * Immutable; a DDL statement makes the engine build a new one.
 */
record SchemaSnapshot(long catalogVersion, CalciteSchema rootSchema, Map<String, ShaleTable> tables) {
  static final String SCHEMA_NAME = "public";

  static SchemaSnapshot of(long catalogVersion, Map<String, ShaleTable> tables) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false);
    root.add(SCHEMA_NAME, new AbstractSchema() {
      @Override
      protected Map<String, Table> getTableMap() {
        return Map.copyOf(tables);
      }
    });
    return new SchemaSnapshot(catalogVersion, root, Map.copyOf(tables));
  }
}
