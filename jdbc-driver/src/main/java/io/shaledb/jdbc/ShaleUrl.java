package io.shaledb.jdbc;

import java.sql.SQLException;
import java.util.Objects;

/**
 * A parsed ShaleDB JDBC URL.
 *
 * <ul>
 *   <li>{@code jdbc:shaledb:mem:NAME}: an in-memory database, shared by the connections of one
 *       process that use the same name, gone when the last of them closes;
 *   <li>{@code jdbc:shaledb:file:PATH}: the database stored in directory PATH;
 *   <li>{@code jdbc:shaledb://HOST:PORT}: a ShaleDB server.
 * </ul>
 */
public record ShaleUrl(Kind kind, String location) {
  public static final String PREFIX = "jdbc:shaledb:";

  public enum Kind { MEMORY, FILE, REMOTE }

  public ShaleUrl {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
  }

  public static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /**
   * Parses {@code url}; properties after a {@code ;} (e.g. {@code ;user=x}) are not part of the
   * location.
   *
   * @throws SQLException with SQLSTATE 08001 if the URL is not a ShaleDB URL
   */
  public static ShaleUrl parse(String url) throws SQLException {
    if (!accepts(url)) {
      throw invalid(url, "it must start with " + PREFIX);
    }
    String rest = url.substring(PREFIX.length());
    int semicolon = rest.indexOf(';');
    if (semicolon >= 0) {
      rest = rest.substring(0, semicolon);
    }
    if (rest.startsWith("mem:")) {
      String name = rest.substring("mem:".length());
      if (name.isEmpty()) {
        throw invalid(url, "name the in-memory database, e.g. jdbc:shaledb:mem:test");
      }
      return new ShaleUrl(Kind.MEMORY, name);
    }
    if (rest.startsWith("file:")) {
      String path = rest.substring("file:".length());
      if (path.isEmpty()) {
        throw invalid(url, "give the data directory, e.g. jdbc:shaledb:file:./shaledb-data");
      }
      return new ShaleUrl(Kind.FILE, path);
    }
    if (rest.startsWith("//")) {
      String hostPort = rest.substring(2);
      if (hostPort.endsWith("/")) {
        hostPort = hostPort.substring(0, hostPort.length() - 1);
      }
      if (hostPort.isEmpty()) {
        throw invalid(url, "give the server, e.g. jdbc:shaledb://localhost:8765");
      }
      return new ShaleUrl(Kind.REMOTE, hostPort);
    }
    throw invalid(url, "use jdbc:shaledb:mem:NAME, jdbc:shaledb:file:PATH or jdbc:shaledb://HOST:PORT");
  }

  public boolean isEmbedded() {
    return kind != Kind.REMOTE;
  }

  private static SQLException invalid(String url, String why) {
    return new SQLException("invalid ShaleDB URL '" + url + "': " + why, "08001");
  }
}
