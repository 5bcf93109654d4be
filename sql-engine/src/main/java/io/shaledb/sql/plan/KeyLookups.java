package io.shaledb.sql.plan;

import io.shaledb.kv.encoding.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * When a condition is an exact key lookup: the one decision both planners make, the fast path on
 * the validated SQL ({@code FastPaths}) and the {@code ShaleKeyFilterIntoScan} rule on Calcite's
 * expressions. Each reads its own tree and hands the constants here in a neutral form, so both
 * paths look up the same keys (and leave the same conditions to the filter).
 */
public final class KeyLookups {
  private KeyLookups() {}

  /**
   * The storage value a key column of {@code type} must hold to equal {@code constant}, or null if
   * the constant has no exact value of that type (the condition is then no key lookup, only a
   * filter). Constants come as {@link BigDecimal} (numbers), {@link String}, {@link Boolean},
   * {@link LocalDate}, {@link LocalTime} or {@link LocalDateTime} (without time zone).
   *
   * <p>Floating-point keys are never looked up: the comparison may happen in another type than the
   * column's (a REAL column against a DOUBLE constant compares as DOUBLE, and 0.1 as a float is not
   * 0.1 as a double), so only the filter decides, with SQL's semantics.
   */
  public static Object exactKeyValue(ColumnType type, Object constant) {
    if (constant == null) {
      return null;
    }
    try {
      return switch (type) {
        case SMALLINT -> constant instanceof BigDecimal number ? (Object) number.shortValueExact() : null;
        case INTEGER -> constant instanceof BigDecimal number ? (Object) number.intValueExact() : null;
        case BIGINT -> constant instanceof BigDecimal number ? (Object) number.longValueExact() : null;
        case DECIMAL -> constant instanceof BigDecimal number ? number : null;
        case REAL, DOUBLE -> null;
        case CHAR, VARCHAR -> constant instanceof String text ? text : null;
        case BOOLEAN -> constant instanceof Boolean bool ? bool : null;
        case DATE -> constant instanceof LocalDate date ? (Object) Math.toIntExact(date.toEpochDay()) : null;
        case TIME -> constant instanceof LocalTime time ? (Object) (int) (time.toNanoOfDay() / 1_000_000) : null;
        case TIMESTAMP -> constant instanceof LocalDateTime timestamp
            ? (Object) timestamp.toInstant(ZoneOffset.UTC).toEpochMilli() : null;
      };
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** A DATE key's storage value (days since 1970-01-01) as the neutral constant {@link #exactKeyValue} takes. */
  public static LocalDate date(int daysSinceEpoch) {
    return LocalDate.ofEpochDay(daysSinceEpoch);
  }

  /** A TIME value in milliseconds of the day as the neutral constant. */
  public static LocalTime time(int millisOfDay) {
    return LocalTime.ofNanoOfDay(millisOfDay * 1_000_000L);
  }

  /** A TIMESTAMP value in milliseconds since 1970-01-01 00:00:00 as the neutral constant. */
  public static LocalDateTime timestamp(long millisSinceEpoch) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(millisSinceEpoch, 1000),
        (int) Math.floorMod(millisSinceEpoch, 1000) * 1_000_000, ZoneOffset.UTC);
  }

  /**
   * The key in {@code keyColumns} order if {@code equalities} (table column to operand) binds every
   * one of them; null otherwise.
   */
  public static List<KeyOperand> completeKey(int[] keyColumns, Map<Integer, KeyOperand> equalities) {
    List<KeyOperand> key = new ArrayList<>(keyColumns.length);
    for (int column : keyColumns) {
      KeyOperand operand = equalities.get(column);
      if (operand == null) {
        return null;
      }
      key.add(operand);
    }
    return key;
  }
}
