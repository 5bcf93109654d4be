package io.shaledb.sql.plan;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The SQL dialect rules the validator applies: the parser's LENIENT conformance, plus checked
 * arithmetic, which PostgreSQL users rely on.
 */
public final class ShaleConformance extends SqlDelegatingConformance {
  public static final ShaleConformance INSTANCE = new ShaleConformance();

  private ShaleConformance() {
    super(SqlConformanceEnum.LENIENT);
  }

  /** Integer overflow is an error (SQLSTATE 22003), never a silent wrap-around. */
  @Override
  public boolean checkedArithmetic() {
    return true;
  }
}
