package io.shaledb.sql.meta;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link ShaleMeta} serves its clients.
 *
 * @param errors how errors travel to the client: thrown into Avatica's in-process client, or
 *     serialized by Avatica's server into an {@code ErrorResponse}
 * @param maxConnections open connections allowed at once; one more is refused with SQLSTATE 53300
 * @param maxStatementsPerConnection open statements allowed per connection; one more is refused
 *     with SQLSTATE 54000
 * @param userLimits what one user may take: connections, statements in flight; room kept for the admin
 * @param clock measures how long connections are idle
 * @param onConnectionClosed called with the connection id after a connection closed, whether the
 *     client closed it or it expired
 */
public record MetaOptions(ErrorTransport errors, int maxConnections, int maxStatementsPerConnection,
    UserLimits userLimits, Clock clock, Consumer<String> onConnectionClosed) {

  /** Where a {@link ShaleMeta}'s errors go, which decides the exception type that keeps the SQLSTATE. */
  public enum ErrorTransport {
    /** Avatica's local client in the same process ({@code AvaticaClientRuntimeException}). */
    IN_PROCESS,
    /** Avatica's server, which turns {@code AvaticaRuntimeException} into an {@code ErrorResponse}. */
    SERVER
  }

  public static final int DEFAULT_MAX_STATEMENTS_PER_CONNECTION = 10_000;

  public MetaOptions {
    Objects.requireNonNull(errors, "errors");
    Objects.requireNonNull(userLimits, "userLimits");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(onConnectionClosed, "onConnectionClosed");
    if (maxConnections < 1 || maxStatementsPerConnection < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** For an embedded database: no connection limit beyond what the process can hold. */
  public static MetaOptions embedded(Clock clock, Consumer<String> onConnectionClosed) {
    return new MetaOptions(ErrorTransport.IN_PROCESS, Integer.MAX_VALUE, DEFAULT_MAX_STATEMENTS_PER_CONNECTION,
        UserLimits.NONE, clock, onConnectionClosed);
  }

  /** For a server. */
  public static MetaOptions server(int maxConnections, UserLimits userLimits, Clock clock) {
    return new MetaOptions(ErrorTransport.SERVER, maxConnections, DEFAULT_MAX_STATEMENTS_PER_CONNECTION, userLimits,
        clock, id -> { });
  }
}
