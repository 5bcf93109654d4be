package io.shaledb.jdbc;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;

/** What the driver reports for a failure below JDBC: the database's error, a refused login or a lost server. */
final class DriverErrors {
  /** What Avatica's remote client puts before the server's message. */
  private static final String REMOTE_PREFIX = "Remote driver error: ";
  /** How Avatica's HTTP client reports an answer that is not a protobuf response. */
  private static final Pattern HTTP_STATUS = Pattern.compile("got HTTP/(\\d{3})");

  private DriverErrors() {}

  /**
   * The SQLException for {@code e}, thrown by a call of the connection of {@code user}: the
   * database's own error keeps its SQLSTATE, message and vendor code; HTTP 401 is 28P01; a server
   * that cannot be reached is 08006, or 08007 for a commit (whose outcome is then unknown).
   */
  static SQLException translate(RuntimeException e, String user, boolean commit) {
    if (e instanceof AvaticaClientRuntimeException refusal) {
      String message = refusal.getMessage();
      if (message != null && message.startsWith(REMOTE_PREFIX)) {
        message = message.substring(REMOTE_PREFIX.length());
      }
      return new SQLException(message, refusal.getSqlState(), refusal.getErrorCode(), e);
    }
    Matcher status = HTTP_STATUS.matcher(String.valueOf(e.getMessage()));
    if (status.find()) {
      int code = Integer.parseInt(status.group(1));
      if (code == 401) {
        return user == null
            ? new SQLException("the server requires a user name and password", "28000", e)
            : new SQLException("password authentication failed for user \"" + user + "\"", "28P01", e);
      }
      if (code == 403) {
        return new SQLException("the server refused the request (HTTP 403)", "28000", e);
      }
      return new SQLException("the server answered HTTP " + code + " instead of a result", "08006", e);
    }
    if (lostInTransport(e)) {
      if (commit) {
        return new SQLException("the outcome of the commit is unknown: the connection to the server was lost ("
            + e.getMessage() + "); check whether the transaction's writes are there before retrying it", "08007", e);
      }
      return new SQLException("the connection to the server was lost: " + e.getMessage(), "08006", e);
    }
    return new SQLException(String.valueOf(e.getMessage()), "XX000", e);
  }

  /** Whether an I/O failure of the remote client's transport caused {@code e}. */
  static boolean lostInTransport(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Throws {@code error} from a method that does not declare it ({@link org.apache.calcite.avatica.Meta}'s),
   * so it reaches the JDBC method, which does; the return type only lets callers write {@code throw}.
   */
  static RuntimeException sneaky(SQLException error) {
    DriverErrors.<RuntimeException>throwUnchecked(error);
    throw new AssertionError("unreachable");
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void throwUnchecked(Throwable error) throws E {
    throw (E) error;
  }
}
