package io.shaledb.sql.runtime;

import io.shaledb.kv.Transaction;
import io.shaledb.sql.session.SqlErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

/**
 * The open rows of one query execution, fetched in batches. Holds the snapshot it reads (and, in
 * auto-commit mode, the statement's own read transaction, released on close). Not thread-safe.
 */
public final class QueryCursor implements AutoCloseable {
  private final Enumerator<Object> rows;
  private final int columnCount;
  private final Transaction ownTransaction;
  private boolean done;
  private boolean closed;

  public QueryCursor(Enumerator<Object> rows, int columnCount, Transaction ownTransaction) {
    this.rows = rows;
    this.columnCount = columnCount;
    this.ownTransaction = ownTransaction;
  }

  /** A cursor over rows already computed (metadata results), holding no snapshot. */
  public static QueryCursor over(List<Object[]> rows) {
    return new QueryCursor(Linq4j.enumerator(new ArrayList<Object>(rows)), -1, null);
  }

  /** Up to {@code maxRows} next rows, each an {@code Object[]} in Calcite's internal representation. */
  public List<Object[]> fetch(int maxRows) {
    if (closed) {
      throw new IllegalStateException("cursor is closed");
    }
    List<Object[]> batch = new ArrayList<>(Math.min(maxRows, 1024));
    try {
      while (batch.size() < maxRows && !done) {
        if (rows.moveNext()) {
          batch.add(asRow(rows.current()));
        } else {
          done = true;
        }
      }
    } catch (RuntimeException | Error e) {
      // An Error too: the cursor's read transaction must not outlive it.
      close();
      throw SqlErrors.statementError(e);
    }
    if (done) {
      close();
    }
    return batch;
  }

  /** Whether every row has been fetched. */
  public boolean isDone() {
    return done;
  }

  private Object[] asRow(Object element) {
    if (columnCount == 1 && !(element instanceof Object[])) {
      return new Object[] {element};
    }
    return (Object[]) element;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      rows.close();
    } finally {
      if (ownTransaction != null) {
        ownTransaction.close();
      }
    }
  }
}
