package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Locale;
import org.apache.calcite.DataContext;

/**
 * What the generated code of {@code nextval('s')} calls (public for it; a class, not a static method
 * of {@link SequenceValues}, because Calcite's compiler cannot call static interface methods).
 */
public final class NextValue {
  private NextValue() {}

  /**
   * The next value of sequence {@code nameText}, named as PostgreSQL's {@code nextval} takes it: folded
   * to lower case unless double-quoted, optionally qualified with the schema {@code public}.
   */
  public static long nextValue(DataContext root, String nameText) {
    Object sequences = root.get(SequenceValues.VARIABLE);
    if (!(sequences instanceof SequenceValues values)) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "sequences cannot be used here");
    }
    return values.next(sequenceName(nameText));
  }

  private static String sequenceName(String nameText) {
    String name = nameText.strip();
    if (name.regionMatches(true, 0, "public.", 0, "public.".length())) {
      name = name.substring("public.".length());
    } else if (name.startsWith("\"public\".")) {
      name = name.substring("\"public\".".length());
    }
    if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
      return name.substring(1, name.length() - 1).replace("\"\"", "\"");
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
