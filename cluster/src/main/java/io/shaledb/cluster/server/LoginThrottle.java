package io.shaledb.cluster.server;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after a few failed logins for a user, or from an address, further
 * attempts are refused without checking the password until a back-off passes, doubling with
 * each failure up to {@link #MAX_BACKOFF_MILLIS}. A success clears the user's and the address's
 * record. Refusing without checking also keeps guessing from burning the CPU a password check
 * costs (PBKDF2, about 0.3 s). Thread-safe.
 *
 * <p>The price, as everywhere a lock-out exists: whoever guesses a user's password delays that
 * user's own logins by up to {@link #MAX_BACKOFF_MILLIS} while they keep guessing. Connections
 * already open are not affected (the driver's requests after the first reuse checked credentials).
 */
final class LoginThrottle {
  /** Failures for one user allowed before the back-off starts. */
  static final int FREE_FAILURES_PER_USER = 5;
  /** Failures from one address allowed before the back-off starts; more, as many users may share an address. */
  static final int FREE_FAILURES_PER_ADDRESS = 20;
  static final long FIRST_BACKOFF_MILLIS = 500;
  static final long MAX_BACKOFF_MILLIS = 30_000;
  /** Records kept at most; beyond that the oldest knowledge is dropped (the map starts over). */
  static final int MAX_RECORDS = 100_000;

  private record Failures(int count, long lastMillis) {}

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Milliseconds until {@code user} may try again from {@code address}; 0 if now. */
  long waitMillis(String user, String address) {
    long now = clock.millis();
    return Math.max(wait(userKey(user), FREE_FAILURES_PER_USER, now),
        wait(addressKey(address), FREE_FAILURES_PER_ADDRESS, now));
  }

  void failed(String user, String address) {
    if (failures.size() >= MAX_RECORDS) {
      failures.clear();
    }
    long now = clock.millis();
    failures.merge(userKey(user), new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
    failures.merge(addressKey(address), new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
  }

  void succeeded(String user, String address) {
    failures.remove(userKey(user));
    failures.remove(addressKey(address));
  }

  private long wait(String key, int freeFailures, long now) {
    Failures record = failures.get(key);
    if (record == null || record.count() < freeFailures) {
      return 0;
    }
    int doublings = Math.min(30, record.count() - freeFailures);
    long backoff = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << doublings);
    return Math.max(0, record.lastMillis() + backoff - now);
  }

  private static String userKey(String user) {
    return "user " + user;
  }

  private static String addressKey(String address) {
    return "address " + address;
  }
}
