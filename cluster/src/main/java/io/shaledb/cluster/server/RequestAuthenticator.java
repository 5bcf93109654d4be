package io.shaledb.cluster.server;

import io.shaledb.sql.security.Principal;
import java.util.Objects;

/**
 * Decides, for every HTTP request to the client endpoint, whether it may be served. The endpoint
 * asks before it reads the request body, so a refused client costs nothing else.
 *
 * <p>Implementations must be thread-safe: requests arrive on many threads at once.
 */
@FunctionalInterface
public interface RequestAuthenticator {

  /**
   * @param authorization the request's {@code Authorization} header, or null if it has none
   * @param remoteAddress the client's address, for logs and rate limits
   */
  Decision authenticate(String authorization, String remoteAddress);

  /** What the endpoint does with a request. */
  sealed interface Decision {}

  /** Serve the request on behalf of {@code user}. */
  record Accepted(String user) implements Decision {
    public Accepted {
      Objects.requireNonNull(user, "user");
    }
  }

  /**
   * Refuse the request with HTTP 401 and {@code message}; {@code challenge} is sent as the {@code
   * WWW-Authenticate} header (e.g. {@code Basic realm="ShaleDB"}).
   */
  record Rejected(String message, String challenge) implements Decision {
    public Rejected {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(challenge, "challenge");
    }
  }

  /**
   * Serves everyone as the admin user, like an embedded connection without credentials: for tests
   * and servers on a trusted network only. {@code shaledb start} always checks credentials.
   */
  RequestAuthenticator ALLOW_ALL = (authorization, remoteAddress) -> new Accepted(Principal.ADMIN_NAME);
}
