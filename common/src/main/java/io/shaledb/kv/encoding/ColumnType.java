package io.shaledb.kv.encoding;

import java.math.BigDecimal;

/**
 * The storage types of column values, each with the one Java representation used everywhere in
 * ShaleDB (the same one Calcite's generated code uses internally), so no conversion happens
 * between storage and execution.
 */
public enum ColumnType {
  BOOLEAN(Boolean.class),
  SMALLINT(Short.class),
  INTEGER(Integer.class),
  BIGINT(Long.class),
  /** Exact decimal; values carry the column's scale. */
  DECIMAL(BigDecimal.class),
  REAL(Float.class),
  DOUBLE(Double.class),
  /** Fixed-length text, stored as given (padding is the SQL layer's concern). */
  CHAR(String.class),
  VARCHAR(String.class),
  /** Days since 1970-01-01. */
  DATE(Integer.class),
  /** Milliseconds since midnight. */
  TIME(Integer.class),
  /** Milliseconds since 1970-01-01 00:00:00, without time zone. */
  TIMESTAMP(Long.class);

  private final Class<?> javaClass;

  ColumnType(Class<?> javaClass) {
    this.javaClass = javaClass;
  }

  /** The class every non-null value of this type has. */
  public Class<?> javaClass() {
    return javaClass;
  }
}
