package io.shaledb.kv.encoding;

/** The class check every encoder applies before it writes a value. */
final class ColumnValues {
  private ColumnValues() {}

  /**
   * @throws IllegalArgumentException if {@code value} is neither null nor an instance of the
   *     type's Java class; the message names both the type and the offending class
   */
  static void check(ColumnType type, Object value) {
    if (value != null && !type.javaClass().isInstance(value)) {
      throw new IllegalArgumentException(
          type + " value must be a " + type.javaClass().getName() + ", got a " + value.getClass().getName());
    }
  }
}
