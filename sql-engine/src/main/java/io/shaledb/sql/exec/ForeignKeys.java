package io.shaledb.sql.exec;

import io.shaledb.kv.encoding.ColumnType;
import java.math.BigDecimal;

/** Which column types a foreign key may pair, and how a child's value becomes the parent's key value. */
final class ForeignKeys {
  private ForeignKeys() {}

  /** Whether a child column of type {@code child} may reference a parent column of type {@code parent}. */
  static boolean compatible(ColumnType child, ColumnType parent) {
    return child == parent || (exactNumeric(child) && exactNumeric(parent)) || (text(child) && text(parent));
  }

  /**
   * {@code value} in the storage representation of {@code target}, or null when no value of that
   * type equals it (e.g. 1.5 for an INT key), so no parent row can match.
   */
  static Object convert(Object value, ColumnType target) {
    if (!(value instanceof Number number) || !exactNumeric(target)) {
      return value;
    }
    BigDecimal decimal = number instanceof BigDecimal d ? d : BigDecimal.valueOf(number.longValue());
    try {
      return switch (target) {
        case SMALLINT -> decimal.shortValueExact();
        case INTEGER -> decimal.intValueExact();
        case BIGINT -> decimal.longValueExact();
        default -> decimal;
      };
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static boolean exactNumeric(ColumnType type) {
    return type == ColumnType.SMALLINT || type == ColumnType.INTEGER || type == ColumnType.BIGINT || type == ColumnType.DECIMAL;
  }

  private static boolean text(ColumnType type) {
    return type == ColumnType.CHAR || type == ColumnType.VARCHAR;
  }
}
