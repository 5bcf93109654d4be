package io.shaledb.sql.session;

import java.util.Objects;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A column of a query result.
 *
 * @param tableName the table the column comes from unchanged, or null if computed
 * @param columnName the table column it comes from, or null if computed
 */
public record ResultColumn(String label, RelDataType type, String tableName, String columnName) {
  public ResultColumn {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(type, "type");
  }
}
