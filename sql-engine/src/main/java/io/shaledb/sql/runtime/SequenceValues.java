package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;

/**
 * Where a statement draws the values of {@code NEXT VALUE FOR s} and {@code nextval('s')}: the
 * engine's cached blocks of each sequence. A statement finds it in its {@code DataContext} under
 * {@link #VARIABLE}; generated code calls {@link NextValue#nextValue}.
 */
@FunctionalInterface
public interface SequenceValues {
  String VARIABLE = "shaledb.sequences";

  /**
   * The next value of the sequence named {@code name}.
   *
   * @throws ShaleException 42P01 if there is no such sequence, 2200H if it is exhausted
   */
  long next(String name);
}
