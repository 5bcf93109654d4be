package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.SortOrder;
import java.util.List;
import java.util.Objects;

/**
 * A secondary index of a table, stored in its own keyspace {@link #indexId()}.
 *
 * <p>Entry layout: a non-unique index entry's key is {@code index id | indexed columns | primary
 * key columns}; a unique index entry's key is {@code index id | indexed columns} when every indexed
 * value is non-null, so a second row with the same values finds the entry, and the non-unique form
 * otherwise (NULLs never collide, as the SQL standard says). The value of every entry is the row's
 * full key in the table's keyspace.
 *
 * @param columns names of the indexed columns, in key order
 * @param orders the sort order of each indexed column, parallel to {@code columns}
 * @param origin why the index exists; constraint indexes go away with their constraint only
 * @param ready false while CREATE INDEX fills the index: writers maintain it, the planner ignores it
 */
public record IndexDef(String name, int indexId, List<String> columns, List<SortOrder> orders, boolean unique,
    Origin origin, boolean ready) {

  /** Why an index exists. */
  public enum Origin {
    /** CREATE INDEX. */
    USER,
    /** Enforces a UNIQUE constraint of the same name. */
    UNIQUE_CONSTRAINT,
    /** Finds the referencing rows of a FOREIGN KEY of the same name (as MySQL creates them). */
    FOREIGN_KEY
  }

  public IndexDef {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    orders = List.copyOf(orders);
    Objects.requireNonNull(origin, "origin");
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("index " + name + " has no columns");
    }
    if (orders.size() != columns.size()) {
      throw new IllegalArgumentException("index " + name + " has " + columns.size() + " columns but " + orders.size() + " orders");
    }
  }

  public IndexDef withId(int newIndexId) {
    return new IndexDef(name, newIndexId, columns, orders, unique, origin, ready);
  }

  public IndexDef withReady(boolean newReady) {
    return new IndexDef(name, indexId, columns, orders, unique, origin, newReady);
  }
}
