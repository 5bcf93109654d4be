package io.shaledb.sql.plan;

import org.apache.calcite.DataContext;

/** A primary-key value an access path looks up: known when planning, or a statement parameter. */
public sealed interface KeyOperand {
  Object resolve(DataContext context);

  /** A constant, already in the key column's storage representation. */
  record Constant(Object value) implements KeyOperand {
    @Override
    public Object resolve(DataContext context) {
      return value;
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /**
   * Component {@code position} of the key a {@link io.shaledb.sql.rel.ShaleLookupJoin} takes from each outer row;
   * it has no value of its own.
   */
  record OuterColumn(int position) implements KeyOperand {
    @Override
    public Object resolve(DataContext context) {
      throw new IllegalStateException("an outer row's key component is supplied per row");
    }

    @Override
    public String toString() {
      return "outer." + position;
    }
  }

  /** Parameter {@code ?index} (zero-based), converted to the column's type before execution. */
  record Parameter(int index) implements KeyOperand {
    @Override
    public Object resolve(DataContext context) {
      return context.get("?" + index);
    }

    @Override
    public String toString() {
      return "?" + index;
    }
  }
}
