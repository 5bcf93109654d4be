package io.shaledb.sql.parser;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Locale;

/**
 * Rewrites PostgreSQL's six-digit escapes in Unicode-escape literals ({@code U&'\+01F600'}) into
 * the four-digit escapes Calcite's parser understands ({@code U&'\D83D\DE00'}, a surrogate pair
 * outside the Basic Multilingual Plane), before the statement is parsed.
 *
 * <p>Calcite reads only {@code \XXXX}; it took {@code \+01F600} as {@code Integer.parseInt("+01F")}
 * followed by the text {@code 600}: a wrong string, silently. Comments, quoted identifiers and
 * ordinary string literals are skipped; a literal followed by {@code UESCAPE 'c'} uses {@code c}
 * as its escape character. Stateless.
 */
final class UnicodeEscapes {
  private static final int SIX_DIGITS = 6;

  private UnicodeEscapes() {}

  /** {@code sql} with every {@code \+XXXXXX} inside a {@code U&'...'} literal written as four-digit escapes. */
  static String rewrite(String sql) {
    if (!sql.contains("+")) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end;
      if (sql.startsWith("--", i)) {
        end = endOf(sql, sql.indexOf('\n', i));
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        end = close < 0 ? sql.length() : close + 2;
      } else if (c == '"' || c == '\'') {
        end = quotedEnd(sql, i, c);
      } else if ((c == 'U' || c == 'u') && sql.startsWith("&'", i + 1) && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
        end = quotedEnd(sql, i + 2, '\'');
        out.append(unicodeLiteral(sql.substring(i, end), escapeCharacter(sql, end)));
        i = end;
        continue;
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return out.toString();
  }

  private static String unicodeLiteral(String literal, char escape) {
    StringBuilder out = new StringBuilder(literal.length());
    int i = 0;
    while (i < literal.length()) {
      char c = literal.charAt(i);
      if (c == escape && i + 1 < literal.length() && literal.charAt(i + 1) == escape) {
        out.append(c).append(c);
        i += 2;
      } else if (c == escape && i + 1 < literal.length() && literal.charAt(i + 1) == '+') {
        int codePoint = sixHexDigits(literal, i + 2);
        if (codePoint < 0 || !Character.isValidCodePoint(codePoint)) {
          throw new ShaleException(SqlState.SYNTAX_ERROR, "Syntax error: invalid Unicode escape "
              + literal.substring(i, Math.min(i + 2 + SIX_DIGITS, literal.length()))
              + "; a Unicode escape is " + escape + "XXXX or " + escape + "+XXXXXX with hexadecimal digits");
        }
        for (char unit : Character.toChars(codePoint)) {
          out.append(escape).append(String.format(Locale.ROOT, "%04X", (int) unit));
        }
        i += 2 + SIX_DIGITS;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The six hexadecimal digits at {@code start} as a number, or -1 if there are not six. */
  private static int sixHexDigits(String text, int start) {
    if (start + SIX_DIGITS > text.length()) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < start + SIX_DIGITS; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  /** The escape character of the literal ending at {@code end}: the one its UESCAPE names, else backslash. */
  private static char escapeCharacter(String sql, int end) {
    int i = skipSpace(sql, end);
    if (sql.regionMatches(true, i, "UESCAPE", 0, "UESCAPE".length())) {
      int quote = skipSpace(sql, i + "UESCAPE".length());
      if (quote + 2 < sql.length() && sql.charAt(quote) == '\'' && sql.charAt(quote + 2) == '\'') {
        return sql.charAt(quote + 1);
      }
    }
    return '\\';
  }

  private static int skipSpace(String sql, int from) {
    int i = from;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The index just after the quoted text opened at {@code open}; a doubled quote stays inside. */
  private static int quotedEnd(String sql, int open, char quote) {
    int i = open + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static int endOf(String sql, int index) {
    return index < 0 ? sql.length() : index;
  }

  private static boolean identifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
