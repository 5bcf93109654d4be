package io.shaledb.sql.parser.ddl;

/** Writes passwords back as SQL string literals. */
final class SecurityLiterals {
  private SecurityLiterals() {}

  /** {@code value} as a single-quoted SQL literal, quotes doubled, that the parser reads back unchanged. */
  static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
