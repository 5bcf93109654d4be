package io.shaledb.cluster.rpc;

/**
 * No response within the request's timeout. The connection stays open and a response that
 * arrives later is dropped; the peer may have applied the request.
 */
public final class RpcTimeoutException extends RpcOutcomeUnknownException {
  private static final long serialVersionUID = 1L;

  private final long timeoutMs;

  public RpcTimeoutException(PeerAddress peer, int messageType, long timeoutMs) {
    super(peer, "request of type " + messageType + " to node at " + peer + " timed out after " + timeoutMs + " ms");
    this.timeoutMs = timeoutMs;
  }

  public long timeoutMs() {
    return timeoutMs;
  }
}
