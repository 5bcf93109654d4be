package io.shaledb.sql.security;

/**
 * Checks a user name and password, for connections (the embedded driver's {@code user} and {@code
 * password} properties) and for every request of the server's HTTP endpoint (HTTP BASIC).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The principal {@code user} acts as, if {@code password} is theirs.
   *
   * @throws io.shaledb.common.ShaleException 28P01 if the user does not exist or the password is
   *     wrong; the message does not say which, so user names cannot be probed
   */
  Principal authenticate(String user, String password);
}
