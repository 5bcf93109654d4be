package io.shaledb.kv.encoding;

import java.math.BigDecimal;
import java.util.List;

/** The SQL order of values, written independently of the encoding it checks. */
final class SqlOrder {
  private SqlOrder() {}

  /** SQL order of one column's values with NULL first, reversed whole for DESC. */
  static int compare(ColumnType type, SortOrder order, Object a, Object b) {
    int ascending = compare(type, a, b);
    return order == SortOrder.DESC ? -ascending : ascending;
  }

  /** Ascending SQL order, NULL first. -0.0 equals 0.0; NaN equals NaN and is above +Infinity. */
  static int compare(ColumnType type, Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return switch (type) {
      case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
      case SMALLINT -> Short.compare((Short) a, (Short) b);
      case INTEGER, DATE, TIME -> Integer.compare((Integer) a, (Integer) b);
      case BIGINT, TIMESTAMP -> Long.compare((Long) a, (Long) b);
      case REAL -> (float) a == (float) b ? 0 : Float.compare((Float) a, (Float) b);
      case DOUBLE -> (double) a == (double) b ? 0 : Double.compare((Double) a, (Double) b);
      case CHAR, VARCHAR -> compareCodePoints((String) a, (String) b);
      case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b);
    };
  }

  /** Lexicographic order of whole rows. */
  static int compareRows(List<ColumnType> types, List<SortOrder> orders, Object[] a, Object[] b) {
    for (int i = 0; i < types.size(); i++) {
      int c = compare(types.get(i), orders.get(i), a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
