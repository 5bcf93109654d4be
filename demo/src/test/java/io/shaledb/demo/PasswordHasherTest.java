package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(1_000, new SecureRandom());

  @Test
  void aHashMatchesItsPasswordOnly() {
    String hash = hasher.hash("correct horse");
    assertTrue(hash.startsWith("pbkdf2-sha256$1000$"), hash);
    assertTrue(hasher.matches("correct horse", hash));
    assertFalse(hasher.matches("correct horse ", hash));
    assertFalse(hasher.matches("", hash));
    assertNotEquals(hash, hasher.hash("correct horse"), "each hash has its own salt");
  }

  @Test
  void hashesKeepTheirIterationCount() {
    String old = new PasswordHasher(10, new SecureRandom()).hash("pw");
    assertTrue(hasher.matches("pw", old));
  }

  @Test
  void malformedHashesMatchNothing() {
    for (String stored : new String[] {"", "pw", "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$x$AAAA$AAAA",
        "md5$1000$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA"}) {
      assertFalse(hasher.matches("pw", stored), stored);
    }
  }
}
