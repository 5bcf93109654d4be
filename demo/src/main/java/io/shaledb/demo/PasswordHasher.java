package io.shaledb.demo;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes passwords with PBKDF2-HMAC-SHA256 and a random 16-byte salt per password, in the text form
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (base64), the same as ShaleDB's own users. Each hash carries its
 * iteration count, so raising the count later leaves existing hashes valid. Thread-safe.
 */
final class PasswordHasher {
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random;

  PasswordHasher(int iterations, SecureRandom random) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    this.iterations = iterations;
    this.random = random;
  }

  /** A new salted hash of {@code password}. */
  String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
        + base64.encodeToString(derive(password, salt, iterations));
  }

  /**
   * Whether {@code password} is the one {@code stored} was made from, compared in constant time. A malformed
   * {@code stored} matches nothing.
   */
  boolean matches(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    try {
      int storedIterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return storedIterations > 0 && MessageDigest.isEqual(expected, derive(password, salt, storedIterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Spends the time of one check without a stored hash, so that signing in as a user who does not exist takes
   * as long as a wrong password and does not tell which usernames exist.
   */
  void burnOneCheck(String password) {
    derive(password, new byte[SALT_BYTES], iterations);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks PBKDF2WithHmacSHA256, which every Java 17 has", e);
    } finally {
      spec.clearPassword();
    }
  }
}
