package io.shaledb.sql.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A salted PBKDF2-HMAC-SHA256 hash of a password, as stored. Its text form is {@code
 * pbkdf2-sha256$ITERATIONS$SALT$HASH} with salt and hash in unpadded Base64, so the iteration
 * count travels with every hash and can be raised for new passwords without breaking old ones.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  static final String ALGORITHM_ID = "pbkdf2-sha256";
  static final int MIN_ITERATIONS = 1;
  static final int MAX_ITERATIONS = 10_000_000;

  public PasswordHash {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    if (salt.length < 8 || hash.length < 16) {
      throw new IllegalArgumentException("salt or hash too short");
    }
    salt = salt.clone();
    hash = hash.clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** The stored text form. */
  public String encode() {
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return ALGORITHM_ID + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
  }

  /** The stored text form as UTF-8 bytes. */
  byte[] encodeBytes() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the text form.
   *
   * @throws IllegalArgumentException if {@code text} is not a hash this version understands
   */
  public static PasswordHash decode(String text) {
    String[] parts = text.split("\\$", -1);
    if (parts.length != 4 || !parts[0].equals(ALGORITHM_ID)) {
      throw new IllegalArgumentException("not a " + ALGORITHM_ID + " password hash");
    }
    Base64.Decoder base64 = Base64.getDecoder();
    return new PasswordHash(Integer.parseInt(parts[1]), base64.decode(parts[2]), base64.decode(parts[3]));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PasswordHash that && iterations == that.iterations
        && java.util.Arrays.equals(salt, that.salt) && java.util.Arrays.equals(hash, that.hash);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * iterations + java.util.Arrays.hashCode(salt)) + java.util.Arrays.hashCode(hash);
  }

  /** Never shows the hash, so a logged record gives an attacker nothing to crack. */
  @Override
  public String toString() {
    return "PasswordHash[" + ALGORITHM_ID + ", " + iterations + " iterations]";
  }
}
