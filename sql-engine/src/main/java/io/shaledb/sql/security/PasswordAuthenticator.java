package io.shaledb.sql.security;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates against a {@link UserStore}.
 *
 * <p>A full check costs a PBKDF2 computation (hundreds of milliseconds by design), and the HTTP
 * endpoint authenticates every request. So, as Elasticsearch and others do, a successful check is
 * remembered: per user, the HMAC-SHA256 of the password under a random key that exists only in this
 * process's memory, together with the stored hash it was checked against. A later request with the
 * same password for the same unchanged hash is accepted after one HMAC; a changed password or a
 * dropped user makes the entry stale. Failed checks are never cached, so guessing stays slow.
 *
 * <p>An unknown user costs a full PBKDF2 computation too, against a fixed dummy hash, so response
 * times do not reveal which users exist. Thread-safe.
 */
public final class PasswordAuthenticator implements Authenticator {
  /** Remembered users at most; beyond that the cache starts over. */
  static final int MAX_CACHED_USERS = 10_000;

  private final UserStore users;
  private final byte[] cacheKey;
  private final byte[] dummySalt;
  private volatile PasswordHash dummy;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  /** A lock per existing user (so at most one per user of the database), for {@link #authenticate}. */
  private final Map<String, Object> checking = new ConcurrentHashMap<>();

  private record Verified(PasswordHash against, byte[] mac) {}

  /** @param random source of this process's cache key */
  public PasswordAuthenticator(UserStore users, RandomGenerator random) {
    this.users = Objects.requireNonNull(users, "users");
    this.cacheKey = new byte[32];
    random.nextBytes(cacheKey);
    this.dummySalt = new byte[PasswordHasher.SALT_BYTES];
    random.nextBytes(dummySalt);
  }

  @Override
  public Principal authenticate(String user, String password) {
    if (user == null || password == null || password.isEmpty() || password.length() > UserStore.MAX_PASSWORD_LENGTH) {
      throw failed(user);
    }
    PasswordHash stored = users.passwordHash(user).orElse(null);
    if (stored == null) {
      users.hasher().verify(password, dummy());
      throw failed(user);
    }
    byte[] mac = mac(user, password);
    if (isCached(user, stored, mac)) {
      return new Principal(user);
    }
    // One full check per user at a time: many requests arriving at once with the same new
    // credentials (a pool opening its connections) then cost one PBKDF2, not one each.
    synchronized (checking.computeIfAbsent(user, name -> new Object())) {
      if (isCached(user, stored, mac)) {
        return new Principal(user);
      }
      if (!users.hasher().verify(password, stored)) {
        throw failed(user);
      }
      if (verified.size() >= MAX_CACHED_USERS) {
        verified.clear();
      }
      verified.put(user, new Verified(stored, mac));
    }
    return new Principal(user);
  }

  private boolean isCached(String user, PasswordHash stored, byte[] mac) {
    Verified cached = verified.get(user);
    return cached != null && cached.against().equals(stored) && MessageDigest.isEqual(cached.mac(), mac);
  }

  /** Made on first use, not at construction: it costs as much as a real check and every engine has one. */
  private PasswordHash dummy() {
    PasswordHash made = dummy;
    if (made == null) {
      int iterations = users.hasher().iterations();
      made = new PasswordHash(iterations, dummySalt, PasswordHasher.pbkdf2("dummy", dummySalt, iterations));
      dummy = made;
    }
    return made;
  }

  private byte[] mac(String user, String password) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      hmac.update(user.getBytes(StandardCharsets.UTF_8));
      hmac.update((byte) 0);
      return hmac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  private static ShaleException failed(String user) {
    return new ShaleException(SqlState.INVALID_PASSWORD, "password authentication failed for user \""
        + (user == null ? "" : user) + "\"");
  }
}
