package io.shaledb.sql.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(new SplittableRandom(42), 1_000);

  @Test
  void storedFormCarriesAlgorithmIterationsSaltAndHashButNotThePassword() {
    PasswordHash hash = hasher.hash("correct horse");
    String stored = hash.encode();
    String[] parts = stored.split("\\$");
    assertEquals(4, parts.length, stored);
    assertEquals("pbkdf2-sha256", parts[0]);
    assertEquals("1000", parts[1]);
    assertEquals(PasswordHasher.SALT_BYTES, Base64.getDecoder().decode(parts[2]).length);
    assertEquals(PasswordHasher.HASH_BITS / 8, Base64.getDecoder().decode(parts[3]).length);
    assertFalse(stored.contains("correct horse"));
    assertFalse(hash.toString().contains(parts[3]), "toString must not show the hash");
    assertEquals(hash, PasswordHash.decode(stored));
  }

  @Test
  void matchesTheStandardPbkdf2TestVector() {
    // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (we use the first 32 bytes).
    byte[] derived = PasswordHasher.pbkdf2("passwd", "salt".getBytes(), 1);
    assertArrayEquals(HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"),
        derived);
  }

  @Test
  void verifiesOnlyTheRightPassword() {
    PasswordHash hash = hasher.hash("s3cret");
    assertTrue(hasher.verify("s3cret", hash));
    assertFalse(hasher.verify("s3cret ", hash));
    assertFalse(hasher.verify("S3cret", hash));
    assertFalse(hasher.verify("", hash));
  }

  @Test
  void everyHashHasItsOwnSaltAndOldIterationCountsStillVerify() {
    PasswordHash first = hasher.hash("same");
    PasswordHash second = hasher.hash("same");
    assertNotEquals(first, second);
    assertFalse(java.util.Arrays.equals(first.salt(), second.salt()));
    PasswordHasher stronger = new PasswordHasher(new SplittableRandom(1), 2_000);
    assertTrue(stronger.verify("same", first), "a hash is checked with the iterations stored with it");
    assertEquals(2_000, stronger.hash("same").iterations());
  }

  @Test
  void sameRandomSeedGivesTheSameSaltsAndPasswords() {
    PasswordHasher a = new PasswordHasher(new SplittableRandom(7), 1_000);
    PasswordHasher b = new PasswordHasher(new SplittableRandom(7), 1_000);
    assertEquals(a.hash("x"), b.hash("x"));
    String generated = a.generatePassword(24);
    assertEquals(generated, b.generatePassword(24));
    assertEquals(24, generated.length());
    assertTrue(generated.chars().allMatch(Character::isLetterOrDigit), generated);
  }

  @Test
  void rejectsMalformedStoredHashes() {
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.decode("plain-text-password"));
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.decode("md5$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAA"));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(new SplittableRandom(), 0));
  }
}
