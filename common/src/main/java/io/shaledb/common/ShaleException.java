package io.shaledb.common;

import java.util.Objects;

/**
 * An error that reaches the user as a {@code SQLException} with {@link #sqlState()}. Thrown by
 * every layer; the layer that talks to the client converts it, keeping state and message.
 */
public class ShaleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final SqlState sqlState;

  public ShaleException(SqlState sqlState, String message) {
    super(message);
    this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
  }

  public ShaleException(SqlState sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
  }

  public SqlState sqlState() {
    return sqlState;
  }
}
