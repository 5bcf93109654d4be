package io.shaledb.sql.session;

import io.shaledb.sql.schema.InformationSchema;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.ShaleView;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * The tables and views of one catalog version as a Calcite schema tree ({@code public} and
 * {@code information_schema} under the root). Immutable; a DDL statement makes the engine build a
 * new one.
 */
public record SchemaSnapshot(long catalogVersion, CalciteSchema rootSchema, Map<String, ShaleTable> tables) {
  public static final String SCHEMA_NAME = "public";

  static SchemaSnapshot of(long catalogVersion, Map<String, ShaleTable> tables) {
    return of(catalogVersion, tables, Map.of(), null);
  }

  /** @param information the information schema, or null for none */
  static SchemaSnapshot of(long catalogVersion, Map<String, ShaleTable> tables, Map<String, ShaleView> views,
      InformationSchema information) {
    Map<String, Table> relations = new HashMap<>(tables);
    relations.putAll(views);
    Map<String, Table> publicTables = Map.copyOf(relations);
    CalciteSchema root = CalciteSchema.createRootSchema(false, false);
    root.add(SCHEMA_NAME, new AbstractSchema() {
      @Override
      protected Map<String, Table> getTableMap() {
        return publicTables;
      }
    });
    if (information != null) {
      Map<String, Table> systemTables = information.tables();
      root.add(InformationSchema.SCHEMA_NAME, new AbstractSchema() {
        @Override
        protected Map<String, Table> getTableMap() {
          return systemTables;
        }
      });
    }
    return new SchemaSnapshot(catalogVersion, root, Map.copyOf(tables));
  }
}
