package io.shaledb.sql.meta;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;

/**
 * The shape of a {@link DatabaseMetaData} result: column names and types, as JDBC specifies them.
 * Rows are plain {@code Object[]} (Avatica's ARRAY cursor), which every Avatica serialization can
 * carry; every column has a concrete type, never NULL, so clients' typed getters work.
 */
final class MetadataTable {
  private final List<ColumnMetaData> columns = new ArrayList<>();

  static MetadataTable of() {
    return new MetadataTable();
  }

  MetadataTable text(String name) {
    return add(name, Types.VARCHAR, "VARCHAR", ColumnMetaData.Rep.STRING, String.class);
  }

  MetadataTable integer(String name) {
    return add(name, Types.INTEGER, "INTEGER", ColumnMetaData.Rep.INTEGER, Integer.class);
  }

  MetadataTable smallint(String name) {
    return add(name, Types.SMALLINT, "SMALLINT", ColumnMetaData.Rep.SHORT, Short.class);
  }

  MetadataTable bigint(String name) {
    return add(name, Types.BIGINT, "BIGINT", ColumnMetaData.Rep.LONG, Long.class);
  }

  MetadataTable bool(String name) {
    return add(name, Types.BOOLEAN, "BOOLEAN", ColumnMetaData.Rep.BOOLEAN, Boolean.class);
  }

  List<ColumnMetaData> columns() {
    return List.copyOf(columns);
  }

  int width() {
    return columns.size();
  }

  private MetadataTable add(String name, int jdbcType, String typeName, ColumnMetaData.Rep rep, Class<?> clazz) {
    ColumnMetaData.AvaticaType type = ColumnMetaData.scalar(jdbcType, typeName, rep);
    columns.add(new ColumnMetaData(columns.size(), false, true, false, false, DatabaseMetaData.columnNullable,
        jdbcType != Types.VARCHAR && jdbcType != Types.BOOLEAN, -1, name, name, null, 0, 0, null, null, type, true,
        false, false, clazz.getName()));
    return this;
  }
}
