package io.shaledb.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the shop runs: the database it uses and where it serves its pages.
 *
 * @param url the JDBC URL of the ShaleDB database ({@code jdbc:shaledb:file:DIR}, {@code jdbc:shaledb:mem:NAME} or
 *     a server's {@code jdbc:shaledb://HOST:PORT})
 * @param user the database user, or null for the embedded default (admin)
 * @param password the database user's password, or null
 * @param host the interface the web server binds to
 * @param port the web server's port; 0 picks a free one
 * @param adminPassword the shop admin's password if the shop has no admin yet; null generates one and prints it
 * @param passwordIterations PBKDF2 iterations for passwords hashed from now on (stored with each hash, so
 *     existing hashes keep theirs)
 * @param sampleData what to load into an empty shop at start, or {@link SampleSizes#NONE}
 * @param poolSize database connections the shop keeps
 */
public record ShopConfig(String url, String user, String password, String host, int port, String adminPassword,
    int passwordIterations, SampleSizes sampleData, int poolSize) {

  public static final String DEFAULT_URL = "jdbc:shaledb:file:./shaledb-demo-data";
  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 7070;
  /** OWASP's recommendation for PBKDF2-HMAC-SHA256, and what ShaleDB itself uses for its users. */
  public static final int DEFAULT_PASSWORD_ITERATIONS = 600_000;
  public static final int DEFAULT_POOL_SIZE = 10;

  public static final String USAGE = """
      Usage: shaledb-demo [options]
        --url URL              ShaleDB JDBC URL (default %s, a node inside this process;
                               jdbc:shaledb://HOST:PORT for a server or cluster)
        --user USER            database user (a server needs one; embedded runs as admin)
        --password PASSWORD    its password (default: the SHALEDB_PASSWORD environment variable)
        --host HOST            web server interface (default %s)
        --port PORT            web server port (default %d)
        --admin-password PW    the shop admin's password at first start (default: SHOP_ADMIN_PASSWORD,
                               else generated and printed once)
        --no-sample-data       start with an empty shop
      """.formatted(DEFAULT_URL, DEFAULT_HOST, DEFAULT_PORT);

  private static final List<String> VALUE_OPTIONS =
      List.of("--url", "--user", "--password", "--host", "--port", "--admin-password");

  public ShopConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(sampleData, "sampleData");
    if (!url.startsWith("jdbc:shaledb:")) {
      throw new IllegalArgumentException("--url must be a ShaleDB URL (jdbc:shaledb:...), not " + url);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be from 0 to 65535, not " + port);
    }
    if (passwordIterations < 1) {
      throw new IllegalArgumentException("passwordIterations must be positive");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be positive");
    }
    if (adminPassword != null && adminPassword.length() < Accounts.PASSWORD_LENGTH_MIN) {
      throw new IllegalArgumentException(
          "--admin-password must have at least " + Accounts.PASSWORD_LENGTH_MIN + " characters");
    }
  }

  /** The defaults: an embedded database in ./shaledb-demo-data, pages on localhost:7070, sample data. */
  public static ShopConfig defaults() {
    return new ShopConfig(DEFAULT_URL, null, null, DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_PASSWORD_ITERATIONS,
        SampleSizes.DEFAULT, DEFAULT_POOL_SIZE);
  }

  /**
   * Reads command-line options over the defaults; {@code environment} supplies {@code SHALEDB_PASSWORD} and
   * {@code SHOP_ADMIN_PASSWORD} when the options are absent.
   *
   * @throws IllegalArgumentException with a message for the user on an unknown option or a bad value
   */
  public static ShopConfig parse(List<String> args, Map<String, String> environment) {
    ShopConfig d = defaults();
    String url = d.url;
    String user = null;
    String password = environment.get("SHALEDB_PASSWORD");
    String host = d.host;
    int port = d.port;
    String adminPassword = environment.get("SHOP_ADMIN_PASSWORD");
    SampleSizes sample = d.sampleData;
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      if (option.equals("--no-sample-data")) {
        sample = SampleSizes.NONE;
        continue;
      }
      if (!VALUE_OPTIONS.contains(option)) {
        throw new IllegalArgumentException("unknown option " + option);
      }
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = rest.remove(0);
      switch (option) {
        case "--url" -> url = value;
        case "--user" -> user = value;
        case "--password" -> password = value;
        case "--host" -> host = value;
        case "--port" -> port = parsePort(value);
        default -> adminPassword = value;
      }
    }
    return new ShopConfig(url, user, password, host, port, adminPassword, d.passwordIterations, sample, d.poolSize);
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, not " + value);
    }
  }

  /** This configuration with the web server on {@code host}:{@code port}. */
  public ShopConfig withWeb(String host, int port) {
    return new ShopConfig(url, user, password, host, port, adminPassword, passwordIterations, sampleData, poolSize);
  }

  /** This configuration with passwords hashed with {@code iterations} (tests use few, to run fast). */
  public ShopConfig withPasswordIterations(int iterations) {
    return new ShopConfig(url, user, password, host, port, adminPassword, iterations, sampleData, poolSize);
  }

  /** This configuration loading {@code sizes} into an empty shop. */
  public ShopConfig withSampleData(SampleSizes sizes) {
    return new ShopConfig(url, user, password, host, port, adminPassword, passwordIterations, sizes, poolSize);
  }

  /** This configuration on another database. */
  public ShopConfig withDatabase(String url, String user, String password) {
    return new ShopConfig(url, user, password, host, port, adminPassword, passwordIterations, sampleData, poolSize);
  }

  /** This configuration creating the admin with {@code password} at first start. */
  public ShopConfig withAdminPassword(String password) {
    return new ShopConfig(url, user, this.password, host, port, password, passwordIterations, sampleData, poolSize);
  }
}
