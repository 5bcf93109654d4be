package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Accounts on one in-memory database per class; each test uses usernames of its own. */
class AccountsTest {
  private static MemoryDatabase db;
  private static Accounts accounts;

  @BeforeAll
  static void setUp() throws Exception {
    db = new MemoryDatabase();
    accounts = new Accounts(db.pool(), new PasswordHasher(1_000, new SecureRandom()), Clock.systemUTC());
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void signUpThenSignInCaseInsensitively() throws Exception {
    Accounts.SignUp created = accounts.signUp(" Dana ", "dana@example.com", "dana-password");
    SignedIn dana = assertInstanceOf(Accounts.SignUp.Created.class, created).user();
    assertEquals("dana", dana.username());
    assertEquals(Optional.of(dana), accounts.signIn("DANA", "dana-password"));
    assertEquals(Optional.empty(), accounts.signIn("dana", "Dana-password"));
    assertEquals(Optional.empty(), accounts.signIn("nobody", "dana-password"));
    assertEquals(1, db.number("SELECT COUNT(*) FROM users WHERE username = 'dana' "
        + "AND password_hash LIKE 'pbkdf2-sha256$1000$%'"));
  }

  @Test
  void rejectedSignUpsWriteNothing() throws Exception {
    accounts.signUp("erin", "erin@example.com", "erin-password");
    assertEquals("The username erin is taken; choose another.", rejection(accounts.signUp("ERIN",
        "e2@example.com", "another-password")));
    assertTrue(rejection(accounts.signUp("x", "x@example.com", "long-password")).startsWith("A username has"));
    assertTrue(rejection(accounts.signUp("frank", "frank@", "long-password")).startsWith("That does not look"));
    assertTrue(rejection(accounts.signUp("frank", "f@example.com", "short")).startsWith("A password has 8"));
    assertEquals(1, db.number("SELECT COUNT(*) FROM users WHERE username IN ('erin', 'x', 'frank')"));
  }

  @Test
  void theAdminIsCreatedOnceWithAGeneratedPasswordShownOnce() throws Exception {
    Optional<String> generated = accounts.ensureAdmin(null, new SecureRandom());
    assertTrue(generated.isPresent());
    assertTrue(accounts.signIn("admin", generated.get()).orElseThrow().admin());
    assertEquals(Optional.empty(), accounts.ensureAdmin("another-password", new SecureRandom()));
    assertEquals(Optional.empty(), accounts.signIn("admin", "another-password"));
  }

  private static String rejection(Accounts.SignUp outcome) {
    return assertInstanceOf(Accounts.SignUp.Rejected.class, outcome).message();
  }
}
