package io.shaledb.sql.meta;

import io.shaledb.sql.security.Authenticator;
import io.shaledb.sql.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells a {@link ShaleMeta} whom its requests act for. A connection's session belongs to the
 * principal that opened it; when requests carry their own principal (a server authenticates every
 * HTTP request), a request on another principal's connection is treated as if the connection did
 * not exist.
 *
 * <p>Implementations are thread-safe.
 */
public interface PrincipalSource {

  /**
   * The principal a new connection's session runs as.
   *
   * @param properties the connection's properties, as the client sent them
   * @throws io.shaledb.common.ShaleException 28P01 or 28000 if the connection may not open
   */
  Principal forNewConnection(Map<String, String> properties);

  /** The principal of the request being served on this thread, or empty if requests carry none. */
  Optional<Principal> currentRequest();

  /**
   * For embedded databases: a connection runs as the admin user unless its {@code user} property
   * names someone, whose {@code password} property {@code authenticator} then checks. Code in the
   * same process can read the data files anyway, so credentials serve to run an application with
   * less privilege, not to keep the process out.
   */
  static PrincipalSource embedded(Authenticator authenticator) {
    Objects.requireNonNull(authenticator, "authenticator");
    return new PrincipalSource() {
      @Override
      public Principal forNewConnection(Map<String, String> properties) {
        String user = properties == null ? null : properties.get("user");
        if (user == null || user.isEmpty()) {
          return Principal.ADMIN;
        }
        return authenticator.authenticate(user, properties.get("password"));
      }

      @Override
      public Optional<Principal> currentRequest() {
        return Optional.empty();
      }
    };
  }
}
