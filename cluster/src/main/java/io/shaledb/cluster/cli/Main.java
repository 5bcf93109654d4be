package io.shaledb.cluster.cli;

import io.shaledb.cluster.server.DataDirectoryLock;
import io.shaledb.cluster.server.ServerConfig;
import io.shaledb.cluster.server.ShaleServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.LogManager;
import sqlline.SqlLine;

/**
 * The {@code shaledb} command.
 *
 * <pre>
 *   shaledb start [--host H] [--port P] [--data DIR] [--config FILE] ...   run a server (see {@link ServerConfig})
 *   shaledb sql [--url JDBC_URL | --data DIR] [--user U [--password P]]   interactive SQL shell (default: embedded database in ./shaledb-data)
 *   shaledb backup --url JDBC_URL --to DIR [--incremental-from DIR] [--as-of INSTANT] [--with-users]   BACKUP DATABASE with a progress bar
 * </pre>
 */
public final class Main {
  static final String DEFAULT_DATA_DIRECTORY = "./shaledb-data";
  private static final String EMBEDDED_FILE_PREFIX = "jdbc:shaledb:file:";
  /** Environment variable with the password `shaledb sql --user` uses when --password is not given. */
  static final String PASSWORD_VARIABLE = "SHALEDB_PASSWORD";

  /** Environment variable with the admin password for the first start, if --admin-password is not given. */
  static final String ADMIN_PASSWORD_VARIABLE = "SHALEDB_ADMIN_PASSWORD";

  private Main() {}

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    configureLogging();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (command.equals("sql")) {
      return sql(rest, err);
    }
    if (command.equals("start")) {
      return start(rest, out, err);
    }
    if (command.equals("backup")) {
      return BackupCommand.run(rest, System.getenv(PASSWORD_VARIABLE), out, err);
    }
    err.println("shaledb: unknown command '" + command + "'");
    usage(err);
    return 2;
  }

  private static int sql(List<String> args, PrintStream err) throws IOException {
    String url = null;
    String data = DEFAULT_DATA_DIRECTORY;
    String user = null;
    String password = System.getenv(PASSWORD_VARIABLE);
    List<String> passThrough = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      boolean takesValue = arg.equals("--url") || arg.equals("--data") || arg.equals("--user") || arg.equals("--password");
      if (takesValue && i + 1 >= args.size()) {
        err.println("shaledb sql: " + arg + " needs a value");
        return 2;
      }
      switch (arg) {
        case "--url" -> url = args.get(++i);
        case "--data" -> data = args.get(++i);
        case "--user" -> user = args.get(++i);
        case "--password" -> password = args.get(++i);
        default -> passThrough.add(arg);
      }
    }
    if (url == null) {
      url = EMBEDDED_FILE_PREFIX + data;
    }
    List<String> sqlLineArgs = new ArrayList<>(List.of("-d", "io.shaledb.jdbc.ShaleDriver", "-u", url));
    if (user != null && password != null) {
      sqlLineArgs.addAll(List.of("-n", user, "-p", password, "--connectInteractionMode=notAskCredentials"));
    } else if (user != null) {
      sqlLineArgs.addAll(List.of("-n", user, "--connectInteractionMode=askCredentials"));
    } else if (url.startsWith("jdbc:shaledb://")) {
      // A server always wants credentials: SQLLine asks for them, without echoing the password.
      sqlLineArgs.add("--connectInteractionMode=askCredentials");
    } else {
      // Embedded connections without a user run as admin.
      sqlLineArgs.addAll(List.of("-n", "", "-p", "", "--connectInteractionMode=notAskCredentials"));
    }
    sqlLineArgs.addAll(List.of("--isolation=TRANSACTION_REPEATABLE_READ", "--maxWidth=200", "--showHeader=true",
        "--outputFormat=table"));
    // jline's quote auto-pairing (AutopairWidgets, jline-console 3.21 and still upstream) counts the
    // text after the cursor from a char offset as if it were a code point offset: after an emoji or
    // any other character outside the BMP it misses the closing quote, inserts a second one, and the
    // statement never ends (interactively a `semicolon>` prompt, piped input is swallowed whole).
    // Off unless the user asks for it with --autoPairing=true.
    sqlLineArgs.add("--autoPairing=false");
    sqlLineArgs.addAll(passThrough);
    // An embedded database is opened before SQLLine starts, so a directory that cannot be opened
    // (most often: a server holds it) is one line of explanation, not a stack trace and a dead
    // prompt. The connection stays open meanwhile, so SQLLine's own shares the opened database.
    Connection embedded = null;
    if (url.startsWith(EMBEDDED_FILE_PREFIX) || url.startsWith("jdbc:shaledb:mem:")) {
      try {
        embedded = DriverManager.getConnection(url, credentials(user, password));
      } catch (SQLException e) {
        err.println("shaledb sql: " + cannotOpen(url, e));
        return 1;
      }
    }
    try {
      SqlLine.Status status = new ShaleSqlLine().begin(sqlLineArgs.toArray(String[]::new), null, true);
      return status == SqlLine.Status.OK ? 0 : 1;
    } finally {
      if (embedded != null) {
        try {
          embedded.close();
        } catch (SQLException e) {
          err.println("shaledb sql: closing the database: " + e.getMessage());
        }
      }
    }
  }

  private static Properties credentials(String user, String password) {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (user != null && password != null) {
      properties.setProperty("password", password);
    }
    return properties;
  }

  /** Why {@code url} could not be opened, in one line; a server holding the directory is named with the way to reach it. */
  private static String cannotOpen(String url, SQLException e) {
    if (url.startsWith(EMBEDDED_FILE_PREFIX)) {
      String directory = url.substring(EMBEDDED_FILE_PREFIX.length()).split("\\?", 2)[0];
      Optional<String> holder = DataDirectoryLock.holder(Path.of(directory));
      if (holder.isPresent()) {
        return "the data directory " + directory + " is in use by a running ShaleDB server" + holder.get()
            + "; connect to that server instead: ./shaledb sql --url jdbc:shaledb://localhost:8765 --user admin "
            + "(with the server's host and port)";
      }
    }
    return e.getMessage();
  }

  /**
   * Reads the command's logging configuration (ShaleDB's messages and the libraries' warnings, see
   * {@code logging.properties}), unless the user gave one with {@code java.util.logging.config.file}.
   */
  private static void configureLogging() throws IOException {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    try (InputStream config = Main.class.getResourceAsStream("logging.properties")) {
      if (config != null) {
        LogManager.getLogManager().readConfiguration(config);
      }
    }
  }

  /** Runs a server until the process is told to stop (SIGTERM, SIGINT), then shuts it down cleanly. */
  private static int start(List<String> args, PrintStream out, PrintStream err) throws IOException {
    ServerConfig config;
    try {
      config = ServerConfig.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      err.println("shaledb start: " + e.getMessage());
      return 2;
    }
    String environmentPassword = System.getenv(ADMIN_PASSWORD_VARIABLE);
    if (config.adminPassword() == null && environmentPassword != null && !environmentPassword.isEmpty()) {
      config = config.withAdminPassword(environmentPassword);
    }
    ShaleServer server;
    try {
      server = ShaleServer.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      err.println("shaledb start: " + e.getMessage());
      return 1;
    }
    server.generatedAdminPassword().ifPresent(password -> out.println("Created user admin with password "
        + password + "\n  It is shown only this once. Change it with ALTER USER admin PASSWORD '...'; next time "
        + "set it with --admin-password or " + ADMIN_PASSWORD_VARIABLE + "."));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shaledb-shutdown"));
    out.println("ShaleDB listening on " + config.host() + ":" + server.port() + "  (jdbc:shaledb://" + config.host()
        + ":" + server.port() + (config.tls() ? "?ssl=true" : "") + "), data in " + config.dataDirectory()
        + (config.tls() ? ", HTTPS" : ""));
    if (config.cluster() != null) {
      out.println("Cluster node " + config.cluster().nodeId() + ", RPC on " + config.cluster().rpcHost() + ":"
          + server.rpcPort() + ", advertised as " + config.cluster().advertisedHost());
    }
    if (server.jsonPort() >= 0) {
      out.println("Avatica JSON endpoint on " + config.host() + ":" + server.jsonPort());
    }
    out.flush();
    try {
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void usage(PrintStream out) {
    out.println("usage: shaledb <command> [options]");
    out.println();
    out.println("commands:");
    out.println("  start [options]                     run a server; options:");
    for (Map.Entry<String, String> option : new java.util.TreeMap<>(ServerConfig.OPTIONS).entrySet()) {
      out.printf("      --%-22s %s%n", option.getKey(), option.getValue());
    }
    out.println("  sql [--url JDBC_URL | --data DIR]   interactive SQL shell; by default on the embedded");
    out.println("                                      database in " + DEFAULT_DATA_DIRECTORY + "; a server with");
    out.println("                                      --url jdbc:shaledb://HOST:PORT (asks for user and password");
    out.println("                                      unless --user U [--password P] or $" + PASSWORD_VARIABLE + ")");
    out.println("  backup --url JDBC_URL --to DIR      BACKUP DATABASE TO DIR (on the server's file system) with a");
    out.println("         [--incremental-from DIR]     progress bar; --user U [--password P] as for sql; DIR must");
    out.println("         [--as-of INSTANT]            be new or empty");
    out.println("         [--with-users]");
  }
}
