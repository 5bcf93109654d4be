package io.shaledb.cluster.rpc;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;

/**
 * A request that was sent but whose response never came: the connection was lost, the client was
 * closed, or (subclass {@link RpcTimeoutException}) the timeout passed. The peer may or may not
 * have applied it, so a caller must find out (or the request must be idempotent) before retrying.
 * SQLSTATE {@link SqlState#CONNECTION_FAILURE}.
 */
public class RpcOutcomeUnknownException extends ShaleException {
  private static final long serialVersionUID = 1L;

  private final PeerAddress peer;

  public RpcOutcomeUnknownException(PeerAddress peer, String message) {
    super(SqlState.CONNECTION_FAILURE, message);
    this.peer = peer;
  }

  public PeerAddress peer() {
    return peer;
  }
}
