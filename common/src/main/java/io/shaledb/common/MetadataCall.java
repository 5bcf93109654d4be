package io.shaledb.common;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link java.sql.DatabaseMetaData} call that Avatica's wire protocol has no message for
 * (primary keys, foreign keys, indexes, functions), sent to the server as the text of a statement.
 *
 * <p>The text is {@value #MARKER} followed by the operation and its arguments, separated by single
 * spaces; an argument is {@code -} for null or {@code =} followed by its URL-encoded value, so any
 * value (including spaces and newlines) survives. The marker is a comment, so the text can never
 * be a user's SQL that means something else; the server answers it before parsing SQL.
 *
 * @param operation the {@code DatabaseMetaData} method name, e.g. {@code getPrimaryKeys}
 * @param arguments the method's arguments as text, in declaration order; elements may be null
 */
public record MetadataCall(String operation, List<String> arguments) {
  public static final String MARKER = "/*shaledb:metadata*/";

  public MetadataCall {
    Objects.requireNonNull(operation, "operation");
    if (operation.isEmpty() || operation.contains(" ")) {
      throw new IllegalArgumentException("bad operation name: '" + operation + "'");
    }
    // List.copyOf refuses nulls, which are legal arguments here.
    arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
  }

  public static MetadataCall of(String operation, String... arguments) {
    return new MetadataCall(operation, Arrays.asList(arguments));
  }

  /** The statement text that carries this call. */
  public String toSql() {
    StringBuilder sql = new StringBuilder(MARKER).append(' ').append(operation);
    for (String argument : arguments) {
      sql.append(' ');
      if (argument == null) {
        sql.append('-');
      } else {
        sql.append('=').append(URLEncoder.encode(argument, StandardCharsets.UTF_8));
      }
    }
    return sql.toString();
  }

  /**
   * The call {@code sql} carries, or empty if {@code sql} does not start with {@link #MARKER}.
   *
   * @throws ShaleException with {@link SqlState#SYNTAX_ERROR} if it starts with the marker but is malformed
   */
  public static Optional<MetadataCall> parse(String sql) {
    if (sql == null || !sql.startsWith(MARKER)) {
      return Optional.empty();
    }
    String[] parts = sql.substring(MARKER.length()).trim().split(" ", -1);
    if (parts.length == 0 || parts[0].isEmpty()) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, "metadata call without an operation");
    }
    List<String> arguments = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      if (part.equals("-")) {
        arguments.add(null);
      } else if (part.startsWith("=")) {
        try {
          arguments.add(URLDecoder.decode(part.substring(1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new ShaleException(SqlState.SYNTAX_ERROR, "malformed metadata call argument: " + part, e);
        }
      } else {
        throw new ShaleException(SqlState.SYNTAX_ERROR, "malformed metadata call argument: " + part);
      }
    }
    return Optional.of(new MetadataCall(parts[0], arguments));
  }
}
