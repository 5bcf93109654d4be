package io.shaledb.cluster.server;

import io.shaledb.common.ShaleException;
import io.shaledb.sql.security.Authenticator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * HTTP BASIC authentication (RFC 7617) of every request against the database's users. The
 * credentials travel in clear inside the request, so serve it over TLS outside a trusted network.
 * Thread-safe.
 */
final class BasicAuthenticator implements RequestAuthenticator {
  static final String CHALLENGE = "Basic realm=\"ShaleDB\", charset=\"UTF-8\"";

  private final Authenticator users;
  private final LoginThrottle throttle;

  BasicAuthenticator(Authenticator users, LoginThrottle throttle) {
    this.users = Objects.requireNonNull(users, "users");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
  }

  @Override
  public Decision authenticate(String authorization, String remoteAddress) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return new Rejected("authentication required: connect with the user and password properties", CHALLENGE);
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Rejected("malformed Basic credentials", CHALLENGE);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return new Rejected("malformed Basic credentials", CHALLENGE);
    }
    // Matched exactly, as PostgreSQL does: CREATE USER Bob made user "bob".
    String user = decoded.substring(0, colon);
    String address = remoteAddress == null ? "" : remoteAddress;
    long waitMillis = throttle.waitMillis(user, address);
    if (waitMillis > 0) {
      return new Rejected("too many failed logins for this user or from this address: try again in "
          + ((waitMillis + 999) / 1000) + " s", CHALLENGE);
    }
    try {
      Accepted accepted = new Accepted(users.authenticate(user, decoded.substring(colon + 1)).name());
      throttle.succeeded(user, address);
      return accepted;
    } catch (ShaleException e) {
      throttle.failed(user, address);
      return new Rejected(e.getMessage(), CHALLENGE);
    }
  }
}
