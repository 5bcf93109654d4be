package io.shaledb.demo;

import com.zaxxer.hikari.pool.HikariPool;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code shaledb-demo}: starts the shop on a ShaleDB database and serves it until stopped (Ctrl-C). */
public final class ShopMain {
  /** Libraries that log every start and stop at INFO; the shop prints what matters itself. */
  private static final List<Logger> QUIETED = List.of(Logger.getLogger("com.zaxxer.hikari"),
      Logger.getLogger("org.eclipse.jetty"), Logger.getLogger("io.javalin"));

  private ShopMain() {}

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(ShopConfig.USAGE);
      return;
    }
    ShopConfig config;
    try {
      config = ShopConfig.parse(arguments, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("shaledb-demo: " + e.getMessage());
      System.err.print(ShopConfig.USAGE);
      System.exit(2);
      return;
    }
    QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    Shop shop;
    try {
      shop = Shop.start(config, Clock.systemUTC(), new SecureRandom(), System.out);
    } catch (SQLException | HikariPool.PoolInitializationException | IllegalStateException e) {
      System.err.println("shaledb-demo: cannot start on " + config.url() + ": " + rootMessage(e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shop::close, "shop-shutdown"));
    System.out.println("Press Ctrl-C to stop.");
  }

  /** The pool wraps the driver's refusal; the driver's message is the one that says what is wrong. */
  private static String rootMessage(Exception e) {
    Throwable cause = e instanceof HikariPool.PoolInitializationException && e.getCause() != null ? e.getCause() : e;
    return cause.getMessage();
  }
}
