package io.shaledb.sql.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes passwords with PBKDF2-HMAC-SHA256 (from the JDK) and a fresh random salt per hash, and
 * checks passwords against stored hashes in time that does not depend on where they differ.
 *
 * <p>The iteration count makes each guess expensive for someone who stole the hashes; it also
 * makes each check cost the server the same, which is why {@link PasswordAuthenticator} caches
 * successful checks. Thread-safe if the random generator is.
 */
public final class PasswordHasher {
  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  static final int SALT_BYTES = 16;
  static final int HASH_BITS = 256;

  private final RandomGenerator random;
  private final int iterations;

  /**
   * @param random source of salts and generated passwords; use a {@link SecureRandom} outside tests
   * @param iterations PBKDF2 iterations for new hashes; stored hashes keep their own count
   */
  public PasswordHasher(RandomGenerator random, int iterations) {
    this.random = Objects.requireNonNull(random, "random");
    if (iterations < PasswordHash.MIN_ITERATIONS || iterations > PasswordHash.MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    this.iterations = iterations;
  }

  /** A hasher with a {@link SecureRandom} and {@link #DEFAULT_ITERATIONS}. */
  public static PasswordHasher standard() {
    return new PasswordHasher(new SecureRandom(), DEFAULT_ITERATIONS);
  }

  public int iterations() {
    return iterations;
  }

  /** A new hash of {@code password} with a new salt. */
  public PasswordHash hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(iterations, salt, pbkdf2(password, salt, iterations));
  }

  /** Whether {@code password} is the one {@code stored} was made from; compares in constant time. */
  public boolean verify(String password, PasswordHash stored) {
    return MessageDigest.isEqual(pbkdf2(password, stored.salt(), stored.iterations()), stored.hash());
  }

  /**
   * A random password of {@code length} letters and digits (about 5.95 bits each), for the admin
   * user when none was given.
   */
  public String generatePassword(int length) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder password = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    char[] chars = password.toCharArray();
    KeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    } finally {
      java.util.Arrays.fill(chars, '\0');
      ((PBEKeySpec) spec).clearPassword();
    }
  }
}
