package io.shaledb.sql.security;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.WriteConflictException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The users of a database and the privileges granted to them, persisted in the {@link
 * Keyspaces#CATALOG} keyspace next to the tables and cached in memory.
 *
 * <p>Stored keys: {@code user:NAME} holds the user's {@link PasswordHash} text (never the
 * password); {@code grant:TABLEID:NAME} holds the user's privileges on that table as a bit set,
 * including the internal owner bit that the creator of a table gets. Grants are keyed by table id,
 * which survives renames and is never reused, so a dropped table's grants cannot leak to a new
 * table of the same name even if {@link #forgetTable} never ran.
 *
 * <p>Like DDL, each change commits on its own, immediately. Changes are serialized within this
 * process; readers see immutable snapshots. Thread-safe.
 */
public final class UserStore {
  /** Length of a generated admin password: 24 letters and digits, about 143 bits. */
  public static final int GENERATED_PASSWORD_LENGTH = 24;
  /** Longest user name; as long as an identifier may be. */
  public static final int MAX_NAME_LENGTH = 128;
  /** Longest password accepted, so that hashing cannot be used to burn CPU. */
  public static final int MAX_PASSWORD_LENGTH = 1024;

  private static final String USER_PREFIX = "user:";
  private static final String GRANT_PREFIX = "grant:";
  private static final int OWNER_BIT = 1 << 16;
  private static final int ALL_BITS = allPrivilegeBits();
  private static final int RETRIES = 5;

  private final KvStore kv;
  private final PasswordHasher hasher;
  private volatile State state;
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Users by name, and privilege bits by table id, then user name. Immutable. */
  private record State(Map<String, PasswordHash> users, Map<Integer, Map<String, Integer>> grants) {}

  private UserStore(KvStore kv, PasswordHasher hasher, State state) {
    this.kv = kv;
    this.hasher = hasher;
    this.state = state;
  }

  /** Loads the users of {@code kv}, creating the catalog keyspace if this is a new database. */
  public static UserStore open(KvStore kv, PasswordHasher hasher) {
    kv.createKeyspace(Keyspaces.CATALOG, 1);
    return new UserStore(kv, hasher, load(kv));
  }

  /** Re-reads users and grants from the store, e.g. after another node of the cluster changed them. */
  public synchronized void reload() {
    state = load(kv);
  }

  /** Runs {@code listener} after every change this store commits, e.g. to tell other nodes. */
  public void addChangeListener(Runnable listener) {
    changeListeners.add(listener);
  }

  private static State load(KvStore kv) {
    Map<String, PasswordHash> users = new TreeMap<>();
    Map<Integer, Map<String, Integer>> grants = new HashMap<>();
    try (Transaction txn = kv.begin()) {
      try (KvCursor cursor = txn.scan(ScanSpec.withPrefix(key(USER_PREFIX)))) {
        while (cursor.hasNext()) {
          KvEntry entry = cursor.next();
          users.put(suffix(entry.key(), USER_PREFIX),
              PasswordHash.decode(new String(entry.value(), StandardCharsets.UTF_8)));
        }
      }
      try (KvCursor cursor = txn.scan(ScanSpec.withPrefix(key(GRANT_PREFIX)))) {
        while (cursor.hasNext()) {
          KvEntry entry = cursor.next();
          String rest = suffix(entry.key(), GRANT_PREFIX);
          int colon = rest.indexOf(':');
          int tableId = Integer.parseInt(rest.substring(0, colon));
          grants.computeIfAbsent(tableId, id -> new HashMap<>())
              .put(rest.substring(colon + 1), ByteBuffer.wrap(entry.value()).getInt());
        }
      }
    }
    return freeze(users, grants);
  }

  public PasswordHasher hasher() {
    return hasher;
  }

  /** Whether user {@code name} exists. */
  public boolean exists(String name) {
    return state.users().containsKey(name);
  }

  /** The names of all users, sorted. */
  public Set<String> users() {
    return Collections.unmodifiableSet(new TreeSet<>(state.users().keySet()));
  }

  /** The stored hash of {@code name}'s password, if the user exists; changes whenever the password does. */
  public Optional<PasswordHash> passwordHash(String name) {
    return Optional.ofNullable(state.users().get(name));
  }

  /**
   * Makes sure the {@code admin} user exists; called by the server at every start. If it does not
   * exist yet (the first start) it is created with {@code password}, or with a generated password
   * that is returned so the caller can show it once. If admin exists, nothing changes and {@code
   * password} is ignored: change it with ALTER USER.
   *
   * @return the generated password, if one was generated
   */
  public synchronized Optional<String> ensureAdmin(Optional<String> password) {
    if (exists(Principal.ADMIN_NAME)) {
      return Optional.empty();
    }
    String chosen = password.orElseGet(() -> hasher.generatePassword(GENERATED_PASSWORD_LENGTH));
    createUser(Principal.ADMIN_NAME, chosen);
    return password.isPresent() ? Optional.empty() : Optional.of(chosen);
  }

  /**
   * Creates a user.
   *
   * @throws ShaleException 42710 if the user exists, 22023 if the name or password is unusable
   */
  public synchronized void createUser(String name, String password) {
    checkName(name);
    if (exists(name)) {
      throw new ShaleException(SqlState.DUPLICATE_OBJECT, "user \"" + name + "\" already exists");
    }
    PasswordHash hash = hasher.hash(checkPassword(password));
    write(txn -> txn.put(key(USER_PREFIX + name), hash.encodeBytes()));
    Map<String, PasswordHash> users = new TreeMap<>(state.users());
    users.put(name, hash);
    state = freeze(users, state.grants());
  }

  /**
   * Sets a user's password.
   *
   * @throws ShaleException 42704 if there is no such user, 22023 if the password is unusable
   */
  public synchronized void setPassword(String name, String password) {
    requireUser(name);
    PasswordHash hash = hasher.hash(checkPassword(password));
    write(txn -> txn.put(key(USER_PREFIX + name), hash.encodeBytes()));
    Map<String, PasswordHash> users = new TreeMap<>(state.users());
    users.put(name, hash);
    state = freeze(users, state.grants());
  }

  /**
   * Drops a user and every privilege granted to it.
   *
   * @throws ShaleException 42704 if there is no such user, 42501 for {@code admin}
   */
  public synchronized void dropUser(String name) {
    if (Principal.ADMIN_NAME.equals(name)) {
      throw new ShaleException(SqlState.INSUFFICIENT_PRIVILEGE, "the admin user cannot be dropped");
    }
    requireUser(name);
    Map<Integer, Map<String, Integer>> grants = copyGrants();
    write(txn -> {
      txn.delete(key(USER_PREFIX + name));
      for (Map.Entry<Integer, Map<String, Integer>> table : grants.entrySet()) {
        if (table.getValue().containsKey(name)) {
          txn.delete(grantKey(table.getKey(), name));
        }
      }
    });
    grants.values().forEach(users -> users.remove(name));
    Map<String, PasswordHash> users = new TreeMap<>(state.users());
    users.remove(name);
    state = freeze(users, grants);
  }

  /**
   * Adds {@code privileges} on table {@code tableId} to user {@code name}.
   *
   * @throws ShaleException 42704 if there is no such user
   */
  public synchronized void grant(String name, int tableId, Set<Privilege> privileges) {
    requireUser(name);
    setBits(name, tableId, bits(name, tableId) | bitsOf(privileges));
  }

  /**
   * Takes {@code privileges} on table {@code tableId} away from user {@code name}; revoking what
   * was never granted is allowed. Ownership stays: an owner whose privileges are revoked gets them
   * back only by a new GRANT.
   *
   * @throws ShaleException 42704 if there is no such user
   */
  public synchronized void revoke(String name, int tableId, Set<Privilege> privileges) {
    requireUser(name);
    setBits(name, tableId, bits(name, tableId) & ~bitsOf(privileges));
  }

  /** Makes user {@code name} the owner of table {@code tableId}, with every privilege on it. */
  public synchronized void grantOwnership(String name, int tableId) {
    requireUser(name);
    setBits(name, tableId, bits(name, tableId) | ALL_BITS | OWNER_BIT);
  }

  /** Removes every grant on a dropped table. */
  public synchronized void forgetTable(int tableId) {
    Map<String, Integer> granted = state.grants().get(tableId);
    if (granted == null) {
      return;
    }
    write(txn -> granted.keySet().forEach(user -> txn.delete(grantKey(tableId, user))));
    Map<Integer, Map<String, Integer>> grants = copyGrants();
    grants.remove(tableId);
    state = freeze(state.users(), grants);
  }

  /** The privileges user {@code name} holds on table {@code tableId}; the admin holds all. */
  public Set<Privilege> privileges(String name, int tableId) {
    if (Principal.ADMIN_NAME.equals(name)) {
      return EnumSet.allOf(Privilege.class);
    }
    int bits = bits(name, tableId);
    EnumSet<Privilege> held = EnumSet.noneOf(Privilege.class);
    for (Privilege privilege : Privilege.values()) {
      if ((bits & privilege.bit()) != 0) {
        held.add(privilege);
      }
    }
    return held;
  }

  /** Whether user {@code name} created table {@code tableId} (the admin counts as owning every table). */
  public boolean owns(String name, int tableId) {
    return Principal.ADMIN_NAME.equals(name) || (bits(name, tableId) & OWNER_BIT) != 0;
  }

  private int bits(String name, int tableId) {
    Map<String, Integer> granted = state.grants().get(tableId);
    Integer bits = granted == null ? null : granted.get(name);
    return bits == null ? 0 : bits;
  }

  private void setBits(String name, int tableId, int bits) {
    if (bits == bits(name, tableId)) {
      return;
    }
    write(txn -> {
      if (bits == 0) {
        txn.delete(grantKey(tableId, name));
      } else {
        txn.put(grantKey(tableId, name), ByteBuffer.allocate(4).putInt(bits).array());
      }
    });
    Map<Integer, Map<String, Integer>> grants = copyGrants();
    Map<String, Integer> granted = grants.computeIfAbsent(tableId, id -> new HashMap<>());
    if (bits == 0) {
      granted.remove(name);
    } else {
      granted.put(name, bits);
    }
    state = freeze(state.users(), grants);
  }

  private void requireUser(String name) {
    if (!exists(name)) {
      throw new ShaleException(SqlState.UNDEFINED_OBJECT, "user \"" + name + "\" does not exist");
    }
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.indexOf(':') >= 0) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
          "a user name must have 1 to " + MAX_NAME_LENGTH + " characters and no ':'");
    }
  }

  private static String checkPassword(String password) {
    Objects.requireNonNull(password, "password");
    if (password.isEmpty() || password.length() > MAX_PASSWORD_LENGTH) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
          "a password must have 1 to " + MAX_PASSWORD_LENGTH + " characters");
    }
    return password;
  }

  private Map<Integer, Map<String, Integer>> copyGrants() {
    Map<Integer, Map<String, Integer>> copy = new HashMap<>();
    state.grants().forEach((table, users) -> copy.put(table, new HashMap<>(users)));
    return copy;
  }

  private static State freeze(Map<String, PasswordHash> users, Map<Integer, Map<String, Integer>> grants) {
    Map<Integer, Map<String, Integer>> frozen = new HashMap<>();
    grants.forEach((table, granted) -> {
      if (!granted.isEmpty()) {
        frozen.put(table, Map.copyOf(granted));
      }
    });
    return new State(Collections.unmodifiableMap(new TreeMap<>(users)), Map.copyOf(frozen));
  }

  private static int bitsOf(Set<Privilege> privileges) {
    int bits = 0;
    for (Privilege privilege : privileges) {
      bits |= privilege.bit();
    }
    return bits;
  }

  private static int allPrivilegeBits() {
    return bitsOf(EnumSet.allOf(Privilege.class));
  }

  private void write(Consumer<Transaction> work) {
    for (int attempt = 1; ; attempt++) {
      try (Transaction txn = kv.begin()) {
        work.accept(txn);
        txn.commit();
        break;
      } catch (WriteConflictException e) {
        // Changes are serialized in this process; a conflict can only come from resolving a
        // crashed earlier transaction's locks, so a short retry is enough (as for the catalog).
        if (attempt == RETRIES) {
          throw e;
        }
      }
    }
    for (Runnable listener : changeListeners) {
      listener.run();
    }
  }

  private static byte[] grantKey(int tableId, String name) {
    return key(GRANT_PREFIX + tableId + ":" + name);
  }

  /** Whether {@code catalogKey}, a key of the catalog keyspace, holds a user or a grant (backups may leave them out). */
  public static boolean isUserOrGrantKey(byte[] catalogKey) {
    return startsWith(catalogKey, key(USER_PREFIX)) || startsWith(catalogKey, key(GRANT_PREFIX));
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] key(String name) {
    byte[] prefix = Keyspaces.prefix(Keyspaces.CATALOG);
    byte[] suffix = name.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[prefix.length + suffix.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
    return key;
  }

  private static String suffix(byte[] key, String prefix) {
    int start = Keyspaces.PREFIX_BYTES + prefix.length();
    return new String(key, start, key.length - start, StandardCharsets.UTF_8);
  }
}
