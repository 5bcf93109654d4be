package io.shaledb.sql.session;

import io.shaledb.sql.runtime.QueryCursor;
import java.util.List;

/** What executing a statement produced. */
public sealed interface ExecutionResult {
  /** Rows to fetch; the cursor must be closed. */
  record Rows(QueryCursor cursor, List<ResultColumn> columns) implements ExecutionResult {}

  /** The number of rows an INSERT, UPDATE or DELETE changed. */
  record UpdateCount(long count) implements ExecutionResult {}

  /** A statement without result (DDL, transaction control). */
  record Done() implements ExecutionResult {}

  ExecutionResult DONE = new Done();
}
