package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Converts values that clients send (JDBC objects, or Avatica's serial forms: numbers for dates
 * and times) into Calcite's internal representation of a SQL type, with SQL's errors for values
 * that do not fit.
 */
public final class Values {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private Values() {}

  public static Object toInternal(Object value, RelDataType type) {
    if (value == null) {
      return null;
    }
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> toBoolean(value);
      case TINYINT -> (byte) integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
      case SMALLINT -> (short) integral(value, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
      case INTEGER -> (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER");
      case BIGINT -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
      case DECIMAL -> decimal(value);
      case REAL, FLOAT -> value instanceof Number n ? n.floatValue() : Float.parseFloat(text(value));
      case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(text(value));
      case CHAR, VARCHAR -> value.toString();
      case DATE -> date(value);
      case TIME -> time(value);
      case TIMESTAMP -> timestamp(value);
      default -> value;
    };
  }

  private static String text(Object value) {
    return value.toString().trim();
  }

  private static Boolean toBoolean(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.intValue() != 0;
    }
    String text = text(value).toLowerCase(java.util.Locale.ROOT);
    return switch (text) {
      case "true", "t", "yes", "on", "1" -> Boolean.TRUE;
      case "false", "f", "no", "off", "0" -> Boolean.FALSE;
      default -> throw new ShaleException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid boolean: '" + value + "'");
    };
  }

  private static long integral(Object value, long min, long max, String typeName) {
    BigDecimal exact;
    try {
      exact = value instanceof Number n ? decimalOf(n) : new BigDecimal(text(value));
    } catch (NumberFormatException e) {
      throw new ShaleException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid " + typeName + ": '" + value + "'");
    }
    BigDecimal rounded = exact.setScale(0, java.math.RoundingMode.HALF_UP);
    if (rounded.compareTo(BigDecimal.valueOf(min)) < 0 || rounded.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, typeName + " out of range: " + value);
    }
    return rounded.longValue();
  }

  private static BigDecimal decimal(Object value) {
    try {
      return value instanceof Number n ? decimalOf(n) : new BigDecimal(text(value));
    } catch (NumberFormatException e) {
      throw new ShaleException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid DECIMAL: '" + value + "'");
    }
  }

  private static BigDecimal decimalOf(Number number) {
    if (number instanceof BigDecimal d) {
      return d;
    }
    if (number instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "not a finite number: " + number);
      }
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(number.longValue());
  }

  private static int date(Object value) {
    try {
      if (value instanceof Number n) {
        return n.intValue();
      }
      if (value instanceof java.sql.Date d) {
        return (int) d.toLocalDate().toEpochDay();
      }
      if (value instanceof LocalDate d) {
        return (int) d.toEpochDay();
      }
      if (value instanceof java.util.Date d) {
        return (int) Math.floorDiv(d.getTime(), MILLIS_PER_DAY);
      }
      return (int) LocalDate.parse(text(value)).toEpochDay();
    } catch (DateTimeParseException e) {
      throw new ShaleException(SqlState.INVALID_DATETIME_FORMAT, "invalid DATE: '" + value + "' (expected YYYY-MM-DD)");
    }
  }

  private static int time(Object value) {
    try {
      if (value instanceof Number n) {
        return n.intValue();
      }
      if (value instanceof java.sql.Time t) {
        return (int) (t.toLocalTime().toNanoOfDay() / 1_000_000);
      }
      if (value instanceof LocalTime t) {
        return (int) (t.toNanoOfDay() / 1_000_000);
      }
      return (int) (LocalTime.parse(text(value)).toNanoOfDay() / 1_000_000);
    } catch (DateTimeParseException e) {
      throw new ShaleException(SqlState.INVALID_DATETIME_FORMAT, "invalid TIME: '" + value + "' (expected HH:MM:SS)");
    }
  }

  private static long timestamp(Object value) {
    try {
      if (value instanceof Number n) {
        return n.longValue();
      }
      if (value instanceof java.sql.Timestamp t) {
        return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      if (value instanceof LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      if (value instanceof java.util.Date d) {
        return d.getTime();
      }
      String text = text(value).replace(' ', 'T');
      if (text.length() == 10) {
        text = text + "T00:00:00";
      }
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ShaleException(SqlState.INVALID_DATETIME_FORMAT,
          "invalid TIMESTAMP: '" + value + "' (expected YYYY-MM-DD HH:MM:SS[.fff])");
    }
  }
}
