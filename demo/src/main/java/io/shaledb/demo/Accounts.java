package io.shaledb.demo;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The shop's users: sign-up, sign-in and the admin account. Passwords are kept only as salted hashes. */
final class Accounts {
  static final int PASSWORD_LENGTH_MIN = 8;
  static final int PASSWORD_LENGTH_MAX = 100;
  static final String ADMIN = "admin";
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,20}");
  private static final int EMAIL_LENGTH_MAX = 100;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"']{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
  private static final String DUPLICATE_KEY = "23505";

  /** The outcome of a sign-up. */
  sealed interface SignUp {
    record Created(SignedIn user) implements SignUp {}

    record Rejected(String message) implements SignUp {}
  }

  private final DataSource database;
  private final PasswordHasher hasher;
  private final Clock clock;

  Accounts(DataSource database, PasswordHasher hasher, Clock clock) {
    this.database = database;
    this.hasher = hasher;
    this.clock = clock;
  }

  /**
   * Creates a customer. The username is case-insensitive (kept in lower case); a rejected sign-up writes
   * nothing and says why.
   */
  SignUp signUp(String username, String email, String password) throws SQLException {
    String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    String mail = email == null ? "" : email.trim();
    if (!USERNAME.matcher(name).matches()) {
      return new SignUp.Rejected("A username has 3 to 20 characters: letters, digits, '.', '_' or '-'.");
    }
    if (mail.length() > EMAIL_LENGTH_MAX || !EMAIL.matcher(mail).matches()) {
      return new SignUp.Rejected("That does not look like an email address (name@example.com, at most "
          + EMAIL_LENGTH_MAX + " characters).");
    }
    Optional<String> weak = passwordProblem(password);
    if (weak.isPresent()) {
      return new SignUp.Rejected(weak.get());
    }
    try {
      return new SignUp.Created(insert(name, mail, password, false));
    } catch (SQLException e) {
      if (DUPLICATE_KEY.equals(e.getSQLState())) {
        return new SignUp.Rejected("The username " + name + " is taken; choose another.");
      }
      throw e;
    }
  }

  /** What is wrong with {@code password} as a new password, if anything. */
  static Optional<String> passwordProblem(String password) {
    if (password == null || password.length() < PASSWORD_LENGTH_MIN || password.length() > PASSWORD_LENGTH_MAX) {
      return Optional.of("A password has " + PASSWORD_LENGTH_MIN + " to " + PASSWORD_LENGTH_MAX + " characters.");
    }
    return Optional.empty();
  }

  /**
   * The user with these credentials, or empty. Takes as long for an unknown username as for a wrong password,
   * so the answer never tells which usernames exist.
   */
  Optional<SignedIn> signIn(String username, String password) throws SQLException {
    String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    String secret = password == null ? "" : password;
    if (secret.length() > PASSWORD_LENGTH_MAX) {
      return Optional.empty();
    }
    try (Connection c = database.getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT id, username, password_hash, is_admin FROM users WHERE username = ?")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          hasher.burnOneCheck(secret);
          return Optional.empty();
        }
        if (!hasher.matches(secret, rs.getString(3))) {
          return Optional.empty();
        }
        return Optional.of(new SignedIn(rs.getInt(1), rs.getString(2), rs.getBoolean(4)));
      }
    }
  }

  /**
   * Creates the admin user if the shop has none, with {@code password}, or a generated one when it is null.
   *
   * @return the generated password, to be shown once; empty when the admin existed or the password was given
   */
  Optional<String> ensureAdmin(String password, SecureRandom random) throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement select = c.prepareStatement("SELECT id FROM users WHERE username = ?")) {
      select.setString(1, ADMIN);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return Optional.empty();
        }
      }
    }
    String chosen = password;
    if (chosen == null) {
      byte[] bytes = new byte[12];
      random.nextBytes(bytes);
      chosen = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    try {
      insert(ADMIN, "admin@example.com", chosen, true);
    } catch (SQLException e) {
      if (DUPLICATE_KEY.equals(e.getSQLState())) {
        return Optional.empty(); // another shop on the same database created it first
      }
      throw e;
    }
    return password == null ? Optional.of(chosen) : Optional.empty();
  }

  private SignedIn insert(String username, String email, String password, boolean admin) throws SQLException {
    String hash = hasher.hash(password);
    try (Connection c = database.getConnection()) {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO users (username, password_hash, email, is_admin, created_at) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, username);
        insert.setString(2, hash);
        insert.setString(3, email);
        insert.setBoolean(4, admin);
        insert.setTimestamp(5, UtcTimestamps.now(clock));
        insert.executeUpdate();
      }
      try (PreparedStatement select = c.prepareStatement("SELECT id FROM users WHERE username = ?")) {
        select.setString(1, username);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return new SignedIn(rs.getInt(1), username, admin);
        }
      }
    }
  }
}
