package io.shaledb.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * The running shop: a HikariCP pool on the ShaleDB URL, the tables, the admin, the sample data on first start,
 * and the web server. Closing it stops the web server, then the pool (which closes an embedded database).
 */
public final class Shop implements AutoCloseable {
  /** The sample data is the same on every first start. */
  private static final long SAMPLE_SEED = 20_260_101L;

  private final HikariDataSource database;
  private final Javalin web;

  private Shop(HikariDataSource database, Javalin web) {
    this.database = database;
    this.web = web;
  }

  /**
   * Starts the shop, reporting on {@code out}: the admin password when it generates one, the sample data's
   * progress, and where the pages are.
   *
   * @param random the source of salts, session tokens and order ids
   */
  public static Shop start(ShopConfig config, Clock clock, SecureRandom random, PrintStream out) throws SQLException {
    HikariDataSource database = pool(config);
    try {
      Schema.ensure(database);
      PasswordHasher hasher = new PasswordHasher(config.passwordIterations(), random);
      Accounts accounts = new Accounts(database, hasher, clock);
      Optional<String> generated = accounts.ensureAdmin(config.adminPassword(), random);
      generated.ifPresent(password -> out.println("Created the shop's admin: user " + Accounts.ADMIN
          + ", password " + password + " (shown only now; pass --admin-password on a first start to choose it)"));
      boolean loaded = new SampleData(database, hasher, clock, out).loadIfEmpty(config.sampleData(), SAMPLE_SEED);
      if (loaded) {
        out.println("Sample customers alice, bob, carol, ... sign in with password " + SampleData.CUSTOMER_PASSWORD);
      } else if (!config.sampleData().isNone()) {
        out.println("The shop has products already; no sample data loaded.");
      }
      ShopWeb pages = new ShopWeb(new Catalog(database), accounts,
          new Checkout(database, clock, random, Thread::sleep), new Orders(database), random);
      Javalin web = pages.start(config.host(), config.port());
      out.println("ShaleDB shop on http://" + config.host() + ":" + web.port() + "/ (database " + config.url() + ")");
      return new Shop(database, web);
    } catch (SQLException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static HikariDataSource pool(ShopConfig config) {
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("shop");
    pool.setDriverClassName("io.shaledb.jdbc.ShaleDriver");
    pool.setJdbcUrl(config.url());
    if (config.user() != null) {
      pool.setUsername(config.user());
    }
    if (config.password() != null) {
      pool.setPassword(config.password());
    }
    pool.setMaximumPoolSize(config.poolSize());
    pool.setConnectionTimeout(10_000);
    return new HikariDataSource(pool);
  }

  /** The port the pages are served on. */
  public int port() {
    return web.port();
  }

  @Override
  public void close() {
    try {
      web.stop();
    } finally {
      database.close();
    }
  }
}
