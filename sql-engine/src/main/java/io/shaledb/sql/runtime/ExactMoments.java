package io.shaledb.sql.runtime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * AVG, VAR and STDDEV of exact numbers, computed exactly from their sums and count and rounded
 * once, to the result's scale.
 *
 * <p>Calcite computes them as SUM / COUNT with its DECIMAL division, which keeps 16 significant
 * digits ({@code MathContext.DECIMAL64}): an average of large BIGINTs lost its last digits, and
 * the variance's {@code SUM(x*x) - SUM(x)*SUM(x)/COUNT(x)} cancelled into noise (109 for the
 * variance of two equal INTs). {@link io.shaledb.sql.plan.ExactArithmetic} gives these functions the sums and counts
 * and calls the methods below, which Calcite's code generator invokes by reflection (hence public).
 */
public final class ExactMoments {
  private ExactMoments() {}

  /** Calls {@link #average}; its result type is the call's own (the AVG's DECIMAL). */
  public static final SqlUserDefinedFunction AVERAGE = function("SHALE_EXACT_AVG", "average");
  /** Calls {@link #moment}; its result type is the call's own. */
  public static final SqlUserDefinedFunction MOMENT = function("SHALE_EXACT_MOMENT", "moment");

  private static SqlUserDefinedFunction function(String name, String method) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ReturnTypes.ARG0, null, null, ScalarFunctionImpl.create(ExactMoments.class, method));
  }

  /** {@code sum / count} rounded half up to {@code scale} digits; null without rows (count 0). */
  public static BigDecimal average(BigDecimal sum, long count, int scale) {
    if (count == 0) {
      return null;
    }
    return sum.divide(BigDecimal.valueOf(count), scale, RoundingMode.HALF_UP);
  }

  /**
   * Variance or standard deviation from the sum, the sum of squares and the count: {@code (n *
   * sumSquares - sum * sum) / (n * (n or n - 1))}, whose numerator is exact, rounded half up to
   * {@code scale} digits. Null when there are too few rows (none, or one for a sample).
   *
   * @param sample whether the sample statistic (divide by n - 1) is wanted, else the population's
   * @param root whether the standard deviation (the square root) is wanted, else the variance
   */
  public static BigDecimal moment(BigDecimal sum, BigDecimal sumSquares, long count, boolean sample, boolean root,
      int scale) {
    long denominatorRows = sample ? count - 1 : count;
    if (denominatorRows <= 0) {
      return null;
    }
    BigDecimal n = BigDecimal.valueOf(count);
    BigDecimal numerator = n.multiply(sumSquares).subtract(sum.multiply(sum));
    BigDecimal denominator = n.multiply(BigDecimal.valueOf(denominatorRows));
    if (!root) {
      return numerator.divide(denominator, scale, RoundingMode.HALF_UP);
    }
    // Enough digits that rounding the root to the scale is rounding the exact root.
    int digits = numerator.precision() + denominator.precision() + scale + 4;
    BigDecimal variance = numerator.divide(denominator, new MathContext(digits, RoundingMode.HALF_EVEN));
    return variance.sqrt(new MathContext(digits, RoundingMode.HALF_EVEN)).setScale(scale, RoundingMode.HALF_UP);
  }
}
