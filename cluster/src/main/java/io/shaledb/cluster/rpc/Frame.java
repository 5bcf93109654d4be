package io.shaledb.cluster.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One message on an RPC connection. On the wire (after the 4-byte length prefix):
 * protocol version (1 byte), kind (1 byte), request id (8 bytes), message type (4 bytes), payload.
 * The version and kind bytes keep their place in every protocol version, so a peer of another
 * version can still be told why it is refused.
 *
 * @param version the sender's protocol version
 * @param requestId pairs a response with its request; 0 for handshake frames
 * @param messageType the caller's message type for requests, 0 otherwise
 * @param payload the body; the frame owns it
 */
record Frame(byte version, FrameKind kind, long requestId, int messageType, byte[] payload) {

  /** The protocol version this code speaks. */
  static final byte PROTOCOL_VERSION = 1;
  static final int HEADER_BYTES = 1 + 1 + 8 + 4;

  Frame {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
  }

  /** A frame of the current protocol version. */
  static Frame of(FrameKind kind, long requestId, int messageType, byte[] payload) {
    return new Frame(PROTOCOL_VERSION, kind, requestId, messageType, payload);
  }

  /** A handshake frame of the current protocol version. */
  static Frame handshake(FrameKind kind, byte[] payload) {
    return of(kind, 0, 0, payload);
  }

  static Frame refused(String reason) {
    return handshake(FrameKind.REFUSED, reason.getBytes(StandardCharsets.UTF_8));
  }

  int encodedBytes() {
    return HEADER_BYTES + payload.length;
  }

  /** Names the frame without its payload, for log messages. */
  @Override
  public String toString() {
    return "Frame[v" + version + " " + kind + " id=" + requestId + " type=" + messageType + " " + payload.length
        + " bytes]";
  }
}
