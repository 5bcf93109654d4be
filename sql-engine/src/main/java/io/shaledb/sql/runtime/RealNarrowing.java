package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import org.apache.calcite.linq4j.function.Strict;

/**
 * CAST of a DOUBLE to REAL with PostgreSQL's range checks: a finite value too large for a REAL is
 * an overflow and a non-zero value too small for one an underflow, both 22003; infinities and NaN
 * stay what they are. Java's {@code (float)} narrowing gives Infinity and 0 instead, which Calcite
 * returned as the cast's result. Called by the code {@link io.shaledb.sql.plan.RealCasts} makes
 * Calcite generate (hence public); strict: a null argument gives null without a call.
 */
public final class RealNarrowing {
  private RealNarrowing() {}

  @Strict
  public static float castToReal(double value) {
    float narrowed = (float) value;
    if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
      throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range for type real: overflow (" + value + ")");
    }
    if (narrowed == 0.0f && value != 0.0) {
      throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range for type real: underflow (" + value + ")");
    }
    return narrowed;
  }
}
