package io.shaledb.cluster.rpc;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;

/**
 * A request that was certainly not delivered: the peer could not be connected to, refused or
 * failed authentication, or the request could not be written. Safe to retry, also for requests
 * that are not idempotent. SQLSTATE {@link SqlState#CONNECTION_FAILURE}.
 */
public final class PeerUnreachableException extends ShaleException {
  private static final long serialVersionUID = 1L;

  private final PeerAddress peer;

  public PeerUnreachableException(PeerAddress peer, String message, Throwable cause) {
    super(SqlState.CONNECTION_FAILURE, message, cause);
    this.peer = peer;
  }

  public PeerAddress peer() {
    return peer;
  }
}
