package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.security.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Failed logins slow down further attempts per user and per address; the password is not even checked meanwhile. */
class LoginThrottleTest {
  private long nowMillis = 1_000_000;
  private final Clock clock = new Clock() {
    @Override public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override public Instant instant() {
      return Instant.ofEpochMilli(nowMillis);
    }
  };
  private final AtomicInteger checks = new AtomicInteger();
  private final BasicAuthenticator authenticator = new BasicAuthenticator((user, password) -> {
    checks.incrementAndGet();
    if (!password.equals(user + "-pw")) {
      throw new ShaleException(SqlState.INVALID_PASSWORD, "password authentication failed");
    }
    return new Principal(user);
  }, new LoginThrottle(clock));

  private RequestAuthenticator.Decision login(String user, String password, String address) {
    String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return authenticator.authenticate("Basic " + credentials, address);
  }

  @Test
  void failuresForOneUserBackOffAndDoubleUntilASuccess() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_USER; i++) {
      assertInstanceOf(RequestAuthenticator.Rejected.class, login("bob", "guess" + i, "10.0.0." + i));
    }
    assertEquals(LoginThrottle.FREE_FAILURES_PER_USER, checks.get());
    // From any address, even with the right password, bob waits; the password is not checked.
    RequestAuthenticator.Decision waiting = login("bob", "bob-pw", "10.0.0.99");
    assertTrue(((RequestAuthenticator.Rejected) waiting).message().contains("too many failed logins"));
    assertEquals(LoginThrottle.FREE_FAILURES_PER_USER, checks.get());
    // Another user is not affected.
    assertInstanceOf(RequestAuthenticator.Accepted.class, login("carol", "carol-pw", "10.0.0.99"));

    nowMillis += LoginThrottle.FIRST_BACKOFF_MILLIS;
    assertInstanceOf(RequestAuthenticator.Rejected.class, login("bob", "guess", "10.0.0.1"));
    // The next wait is twice as long.
    nowMillis += LoginThrottle.FIRST_BACKOFF_MILLIS;
    assertInstanceOf(RequestAuthenticator.Rejected.class, login("bob", "bob-pw", "10.0.0.1"));
    nowMillis += LoginThrottle.FIRST_BACKOFF_MILLIS;
    assertInstanceOf(RequestAuthenticator.Accepted.class, login("bob", "bob-pw", "10.0.0.1"));
    // A success starts over.
    assertInstanceOf(RequestAuthenticator.Rejected.class, login("bob", "guess", "10.0.0.1"));
    assertInstanceOf(RequestAuthenticator.Accepted.class, login("bob", "bob-pw", "10.0.0.1"));
  }

  @Test
  void failuresFromOneAddressBackOffForEveryUserFromIt() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
      login("user" + i, "guess", "10.0.0.7");
    }
    int checked = checks.get();
    assertInstanceOf(RequestAuthenticator.Rejected.class, login("dave", "dave-pw", "10.0.0.7"));
    assertEquals(checked, checks.get());
    assertInstanceOf(RequestAuthenticator.Accepted.class, login("dave", "dave-pw", "10.0.0.8"));
    nowMillis += LoginThrottle.MAX_BACKOFF_MILLIS;
    assertInstanceOf(RequestAuthenticator.Accepted.class, login("dave", "dave-pw", "10.0.0.7"));
  }
}
