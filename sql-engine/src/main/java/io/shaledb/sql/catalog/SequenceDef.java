package io.shaledb.sql.catalog;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Objects;

/**
 * A sequence as the catalog stores it ({@code CREATE SEQUENCE}); its next value lives apart, under
 * {@link SequenceAllocator#highWaterKey(int)} of its id.
 *
 * @param sequenceId unique among tables, indexes and sequences, never reused (a dropped and
 *     recreated sequence starts afresh)
 * @param dataType BIGINT, INTEGER or SMALLINT: bounds the default MINVALUE and MAXVALUE
 * @param cache how many values a node reserves at a time (one catalog write per block)
 */
public record SequenceDef(int sequenceId, String name, String dataType, long start, long increment, long minValue,
    long maxValue, long cache) {
  public SequenceDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    if (increment == 0) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "INCREMENT must not be zero");
    }
    if (minValue > maxValue) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
          "MINVALUE (" + minValue + ") must be less than MAXVALUE (" + maxValue + ")");
    }
    if (start < minValue || start > maxValue) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
          "START value (" + start + ") must be between MINVALUE (" + minValue + ") and MAXVALUE (" + maxValue + ")");
    }
    if (cache < 1) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "CACHE (" + cache + ") must be at least 1");
    }
  }

  /** The type's bounds, as PostgreSQL's defaults for a sequence AS that type. */
  public static long typeMin(String dataType) {
    return switch (dataType) {
      case "SMALLINT" -> Short.MIN_VALUE;
      case "INTEGER" -> Integer.MIN_VALUE;
      default -> Long.MIN_VALUE;
    };
  }

  public static long typeMax(String dataType) {
    return switch (dataType) {
      case "SMALLINT" -> Short.MAX_VALUE;
      case "INTEGER" -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }
}
