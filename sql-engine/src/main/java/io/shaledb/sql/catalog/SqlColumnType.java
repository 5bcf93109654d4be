package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
import java.util.Objects;

/**
 * A column's declared SQL type: the storage type plus what the declaration said about it.
 *
 * @param storage how values are represented and stored
 * @param declaredName the type name as the user wrote it, normalized upper case (INT, TEXT, ...), shown by metadata
 * @param precision length for CHAR/VARCHAR, precision for DECIMAL; {@link #UNSPECIFIED} when not given
 * @param scale scale for DECIMAL; {@link #UNSPECIFIED} otherwise
 */
public record SqlColumnType(ColumnType storage, String declaredName, int precision, int scale) {
  public static final int UNSPECIFIED = -1;
  /** DECIMAL without precision: as wide as the type system allows. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  public SqlColumnType {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(declaredName, "declaredName");
    if (precision < UNSPECIFIED || scale < UNSPECIFIED) {
      throw new IllegalArgumentException("negative precision or scale");
    }
    if (storage == ColumnType.DECIMAL && precision != UNSPECIFIED && scale > precision) {
      throw new IllegalArgumentException("scale " + scale + " exceeds precision " + precision);
    }
  }

  public static SqlColumnType of(ColumnType storage) {
    return new SqlColumnType(storage, storage.name(), UNSPECIFIED, UNSPECIFIED);
  }

  /** Whether values longer than {@link #precision} characters must be refused. */
  public boolean hasMaxLength() {
    return (storage == ColumnType.VARCHAR || storage == ColumnType.CHAR) && precision != UNSPECIFIED;
  }

  /** How the type is shown to users, e.g. {@code VARCHAR(20)} or {@code DECIMAL(10, 2)}. */
  public String display() {
    if (precision == UNSPECIFIED) {
      return declaredName;
    }
    return scale == UNSPECIFIED ? declaredName + "(" + precision + ")" : declaredName + "(" + precision + ", " + scale + ")";
  }
}
