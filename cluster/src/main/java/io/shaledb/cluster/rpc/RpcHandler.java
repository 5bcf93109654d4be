package io.shaledb.cluster.rpc;

/**
 * Serves the requests an {@link RpcServer} receives from authenticated peers.
 *
 * <p>Called on a worker thread of the server's bounded executor, never on a network event loop, so
 * it may block (e.g. on a storage sync); calls for different requests run concurrently, also from
 * the same peer, so an implementation must be thread-safe. Throwing a {@link
 * io.shaledb.common.ShaleException} sends its SQLSTATE and message back to the caller; any other
 * exception is sent as {@link io.shaledb.common.SqlState#INTERNAL_ERROR} with its message.
 */
@FunctionalInterface
public interface RpcHandler {

  /**
   * Serves one request.
   *
   * @param callerNodeId the node id the caller proved during the handshake
   * @param messageType the caller's message type, passed through unchanged
   * @param payload the request body, owned by the handler
   * @return the response body; null is sent as an empty body
   */
  byte[] handle(int callerNodeId, int messageType, byte[] payload) throws Exception;
}
