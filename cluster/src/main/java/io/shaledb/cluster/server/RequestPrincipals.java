package io.shaledb.cluster.server;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.meta.PrincipalSource;
import io.shaledb.sql.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The principal of the HTTP request each thread is serving, set by the {@link AvaticaEndpoint}
 * after it authenticated the request and read by the {@link io.shaledb.sql.meta.ShaleMeta}: a
 * connection belongs to the user whose request opened it, and only that user's requests may use
 * it. Credentials in the connection's properties are ignored; the request's count. One instance
 * per server; thread-safe.
 */
final class RequestPrincipals implements PrincipalSource {
  private final ThreadLocal<Principal> current = new ThreadLocal<>();

  /** Runs {@code work} on this thread as {@code principal}. */
  <T> T runAs(Principal principal, Supplier<T> work) {
    Objects.requireNonNull(principal, "principal");
    Principal previous = current.get();
    current.set(principal);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        current.remove();
      } else {
        current.set(previous);
      }
    }
  }

  @Override
  public Principal forNewConnection(Map<String, String> properties) {
    return currentRequest().orElseThrow(() -> new ShaleException(SqlState.INVALID_AUTHORIZATION,
        "the request opening this connection was not authenticated"));
  }

  @Override
  public Optional<Principal> currentRequest() {
    return Optional.ofNullable(current.get());
  }
}
