package io.shaledb.cluster.rpc;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A handler's failure as it travels in an {@code ERROR} frame: the five SQLSTATE characters, then
 * the message as UTF-8.
 */
record RemoteError(SqlState sqlState, String message) {

  private static final int STATE_BYTES = 5;
  /** Keeps an error frame far below any frame limit, whatever the handler put in its message. */
  static final int MAX_MESSAGE_CHARS = 8 * 1024;

  RemoteError {
    Objects.requireNonNull(sqlState, "sqlState");
    Objects.requireNonNull(message, "message");
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
  }

  /** What a handler's exception tells the caller. */
  static RemoteError of(Throwable failure) {
    if (failure instanceof ShaleException) {
      ShaleException shale = (ShaleException) failure;
      return new RemoteError(shale.sqlState(), String.valueOf(shale.getMessage()));
    }
    String message = failure.getMessage();
    return new RemoteError(SqlState.INTERNAL_ERROR, message != null ? message : failure.getClass().getName());
  }

  byte[] encode() {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[STATE_BYTES + text.length];
    System.arraycopy(sqlState.code().getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, STATE_BYTES);
    System.arraycopy(text, 0, bytes, STATE_BYTES, text.length);
    return bytes;
  }

  /** Decodes an {@code ERROR} payload; a SQLSTATE this node does not know becomes an internal error. */
  static RemoteError decode(byte[] payload) {
    if (payload.length < STATE_BYTES) {
      return new RemoteError(SqlState.INTERNAL_ERROR, "malformed error response of " + payload.length + " bytes");
    }
    String code = new String(payload, 0, STATE_BYTES, StandardCharsets.US_ASCII);
    String message = new String(payload, STATE_BYTES, payload.length - STATE_BYTES, StandardCharsets.UTF_8);
    return Arrays.stream(SqlState.values())
        .filter(state -> state.code().equals(code))
        .findFirst()
        .map(state -> new RemoteError(state, message))
        .orElseGet(() -> new RemoteError(SqlState.INTERNAL_ERROR, message + " (SQLSTATE " + code + ")"));
  }

  ShaleException toException() {
    return new ShaleException(sqlState, message);
  }
}
