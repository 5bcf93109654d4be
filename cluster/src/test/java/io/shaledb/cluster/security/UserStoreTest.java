package io.shaledb.cluster.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.txn.local.LocalKvStore;
import io.shaledb.txn.local.LocalKvStoreConfig;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.security.PasswordAuthenticator;
import io.shaledb.sql.security.PasswordHash;
import io.shaledb.sql.security.PasswordHasher;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.security.Privilege;
import io.shaledb.sql.security.UserStore;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users and grants in the catalog keyspace of a real file-backed store, across reopening. */
class UserStoreTest {
  private static final int ITERATIONS = 1_000;

  @TempDir
  Path directory;

  private NodeStorage storage;
  private LocalKvStore kv;

  @AfterEach
  void close() {
    closeStore();
  }

  private UserStore open(long seed) {
    storage = NodeStorage.open(StorageConfig.file(directory));
    kv = new LocalKvStore(storage, LocalKvStoreConfig.defaults(), Clock.systemUTC());
    return UserStore.open(kv, new PasswordHasher(new SplittableRandom(seed), ITERATIONS));
  }

  private void closeStore() {
    if (kv != null) {
      kv.close();
      storage.close();
      kv = null;
    }
  }

  private UserStore reopen(long seed) {
    closeStore();
    return open(seed);
  }

  @Test
  void passwordsAreStoredOnlyAsSaltedHashes() {
    UserStore users = open(1);
    users.createUser("alice", "open sesame");
    users.createUser("bob", "open sesame");
    int userRecords = 0;
    try (Transaction txn = kv.begin(); KvCursor cursor = txn.scan(ScanSpec.withPrefix(Keyspaces.prefix(Keyspaces.CATALOG)))) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        String key = new String(entry.key(), StandardCharsets.UTF_8);
        String value = new String(entry.value(), StandardCharsets.ISO_8859_1);
        assertFalse(value.contains("open sesame"), key);
        if (key.contains("user:")) {
          userRecords++;
          assertTrue(value.startsWith("pbkdf2-sha256$" + ITERATIONS + "$"), value);
        }
      }
    }
    assertEquals(2, userRecords);
    PasswordHash alice = users.passwordHash("alice").orElseThrow();
    PasswordHash bob = users.passwordHash("bob").orElseThrow();
    assertFalse(java.util.Arrays.equals(alice.salt(), bob.salt()), "each user has its own salt");
    assertFalse(java.util.Arrays.equals(alice.hash(), bob.hash()), "same password, different hashes");
  }

  @Test
  void authenticationAcceptsOnlyTheRightPasswordAndDoesNotTellWhichPartWasWrong() {
    UserStore users = open(2);
    users.createUser("alice", "right");
    PasswordAuthenticator authenticator = new PasswordAuthenticator(users, new SplittableRandom(3));
    assertEquals(new Principal("alice"), authenticator.authenticate("alice", "right"));
    assertEquals(new Principal("alice"), authenticator.authenticate("alice", "right"), "from the cache");
    ShaleException wrong = assertThrows(ShaleException.class, () -> authenticator.authenticate("alice", "wrong"));
    ShaleException unknown = assertThrows(ShaleException.class, () -> authenticator.authenticate("mallory", "right"));
    assertEquals(SqlState.INVALID_PASSWORD, wrong.sqlState());
    assertEquals(SqlState.INVALID_PASSWORD, unknown.sqlState());
    assertEquals(wrong.getMessage().replace("alice", "X"), unknown.getMessage().replace("mallory", "X"));
    assertThrows(ShaleException.class, () -> authenticator.authenticate("alice", null));
    assertThrows(ShaleException.class, () -> authenticator.authenticate("alice", ""));
    assertThrows(ShaleException.class, () -> authenticator.authenticate(null, "right"));
  }

  @Test
  void aChangedPasswordOrDroppedUserInvalidatesCachedChecks() {
    UserStore users = open(4);
    users.createUser("alice", "first");
    PasswordAuthenticator authenticator = new PasswordAuthenticator(users, new SplittableRandom(5));
    authenticator.authenticate("alice", "first");
    users.setPassword("alice", "second");
    assertThrows(ShaleException.class, () -> authenticator.authenticate("alice", "first"));
    assertEquals("alice", authenticator.authenticate("alice", "second").name());
    users.dropUser("alice");
    assertThrows(ShaleException.class, () -> authenticator.authenticate("alice", "second"));
    users.createUser("alice", "first");
    assertThrows(ShaleException.class, () -> authenticator.authenticate("alice", "second"));
    assertEquals("alice", authenticator.authenticate("alice", "first").name());
  }

  @Test
  void usersGrantsAndOwnershipSurviveReopening() {
    UserStore users = open(6);
    users.createUser("alice", "pw-a");
    users.createUser("bob", "pw-b");
    users.grant("alice", 1024, EnumSet.of(Privilege.SELECT, Privilege.INSERT));
    users.grantOwnership("bob", 1030);
    users.revoke("bob", 1030, EnumSet.of(Privilege.DELETE));

    UserStore reopened = reopen(7);
    assertEquals(Set.of("alice", "bob"), reopened.users());
    assertEquals(EnumSet.of(Privilege.SELECT, Privilege.INSERT), reopened.privileges("alice", 1024));
    assertEquals(EnumSet.noneOf(Privilege.class), reopened.privileges("alice", 1030));
    assertEquals(EnumSet.complementOf(EnumSet.of(Privilege.DELETE)), reopened.privileges("bob", 1030));
    assertTrue(reopened.owns("bob", 1030));
    assertFalse(reopened.owns("alice", 1024));
    PasswordAuthenticator authenticator = new PasswordAuthenticator(reopened, new SplittableRandom(8));
    assertEquals("bob", authenticator.authenticate("bob", "pw-b").name());
    assertThrows(ShaleException.class, () -> authenticator.authenticate("bob", "pw-a"));
  }

  @Test
  void droppingAUserOrTableRemovesItsGrantsDurably() {
    UserStore users = open(9);
    users.createUser("alice", "pw");
    users.grant("alice", 2000, EnumSet.of(Privilege.SELECT));
    users.grant("alice", 2001, EnumSet.of(Privilege.SELECT));
    users.forgetTable(2000);
    users.dropUser("alice");
    users.createUser("alice", "pw");
    assertEquals(Set.of(), reopen(10).privileges("alice", 2001), "a new user of an old name inherits nothing");
  }

  @Test
  void adminIsCreatedOnceWithTheGivenOrAGeneratedPassword() {
    UserStore users = open(11);
    Optional<String> generated = users.ensureAdmin(Optional.empty());
    assertTrue(generated.isPresent());
    assertEquals(UserStore.GENERATED_PASSWORD_LENGTH, generated.get().length());
    assertEquals(Optional.empty(), users.ensureAdmin(Optional.empty()), "printed only the first time");

    UserStore reopened = reopen(12);
    assertEquals(Optional.empty(), reopened.ensureAdmin(Optional.of("ignored now")));
    PasswordAuthenticator authenticator = new PasswordAuthenticator(reopened, new SplittableRandom(13));
    assertTrue(authenticator.authenticate("admin", generated.get()).isAdmin());
    assertThrows(ShaleException.class, () -> authenticator.authenticate("admin", "ignored now"));
    ShaleException drop = assertThrows(ShaleException.class, () -> reopened.dropUser("admin"));
    assertEquals(SqlState.INSUFFICIENT_PRIVILEGE, drop.sqlState());
  }

  @Test
  void adminPasswordGivenAtFirstStart() {
    UserStore users = open(14);
    assertEquals(Optional.empty(), users.ensureAdmin(Optional.of("chosen")));
    assertTrue(new PasswordAuthenticator(reopen(15), new SplittableRandom(16)).authenticate("admin", "chosen")
        .isAdmin());
  }

  @Test
  void rejectsDuplicateAndUnknownUsersAndUnusablePasswords() {
    UserStore users = open(17);
    users.createUser("alice", "pw");
    assertEquals(SqlState.DUPLICATE_OBJECT,
        assertThrows(ShaleException.class, () -> users.createUser("alice", "other")).sqlState());
    assertEquals(SqlState.UNDEFINED_OBJECT,
        assertThrows(ShaleException.class, () -> users.setPassword("nobody", "pw")).sqlState());
    assertEquals(SqlState.UNDEFINED_OBJECT,
        assertThrows(ShaleException.class, () -> users.grant("nobody", 1024, EnumSet.of(Privilege.SELECT))).sqlState());
    assertEquals(SqlState.INVALID_PARAMETER_VALUE,
        assertThrows(ShaleException.class, () -> users.createUser("carol", "")).sqlState());
    assertEquals(SqlState.INVALID_PARAMETER_VALUE,
        assertThrows(ShaleException.class, () -> users.createUser("a:b", "pw")).sqlState());
  }
}
