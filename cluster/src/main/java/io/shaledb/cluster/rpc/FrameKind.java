package io.shaledb.cluster.rpc;

/** What a {@link Frame} is; each kind has a stable wire id. */
enum FrameKind {
  /** A call: request id, message type and body. */
  REQUEST(1),
  /** The handler's result for the request with the same id. */
  RESPONSE(2),
  /** The handler's failure for the request with the same id: a {@link RemoteError}. */
  ERROR(3),
  /** Client to server, first frame: the client's node id and nonce. */
  HELLO(4),
  /** Server to client: the server's node id, nonce and proof of the secret. */
  CHALLENGE(5),
  /** Client to server: the client's proof of the secret. */
  PROOF(6),
  /** Server to client: authenticated, requests may follow. */
  ACCEPTED(7),
  /** Server to client before closing: why the connection is refused, as UTF-8 text. */
  REFUSED(8);

  private final byte wireId;

  FrameKind(int wireId) {
    this.wireId = (byte) wireId;
  }

  byte wireId() {
    return wireId;
  }

  /** The kind with this wire id, or null for an unknown one. */
  static FrameKind fromWireId(byte wireId) {
    for (FrameKind kind : values()) {
      if (kind.wireId == wireId) {
        return kind;
      }
    }
    return null;
  }
}
