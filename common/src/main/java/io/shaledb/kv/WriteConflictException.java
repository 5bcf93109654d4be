package io.shaledb.kv;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;

/**
 * A transaction lost a write-write race (snapshot isolation's first-committer-wins) and was
 * rolled back. Retrying the whole transaction from its beginning is the client's job.
 */
public final class WriteConflictException extends ShaleException {
  private static final long serialVersionUID = 1L;

  public WriteConflictException(String message) {
    super(SqlState.SERIALIZATION_FAILURE, message + "; the transaction was rolled back, retry it");
  }
}
