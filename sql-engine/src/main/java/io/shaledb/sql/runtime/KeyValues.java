package io.shaledb.sql.runtime;

import io.shaledb.kv.encoding.ColumnType;
import java.math.BigDecimal;

/** Converts values between compatible key column types, e.g. a BIGINT join column to an INT key. */
public final class KeyValues {
  private KeyValues() {}

  /** Whether values of {@code from} can be looked up in a key column of type {@code to}. */
  public static boolean compatible(ColumnType from, ColumnType to) {
    return from == to || (exactNumeric(from) && exactNumeric(to)) || (text(from) && text(to));
  }

  /**
   * {@code value} in the storage representation of {@code target}, or null when it is null or no
   * value of that type equals it (e.g. 1.5 for an INT key), so that no key can match.
   */
  public static Object convert(Object value, ColumnType target) {
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
