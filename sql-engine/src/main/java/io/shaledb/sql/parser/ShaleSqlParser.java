package io.shaledb.sql.parser;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.parser.impl.ParseException;
import io.shaledb.sql.parser.impl.ShaleSqlParserImpl;
import io.shaledb.sql.parser.impl.ShaleSqlParserImplConstants;
import io.shaledb.sql.parser.impl.Token;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parses ShaleDB SQL: Calcite's grammar plus the statements of {@link
 * io.shaledb.sql.parser.ddl}. Every parse in ShaleDB should go through {@link #CONFIG} so that
 * identifiers are folded the same way everywhere.
 *
 * <p>A syntax error becomes a {@link ShaleException} with {@link SqlState#SYNTAX_ERROR} whose
 * message names the line and column and, briefly, what the parser expected there.
 *
 * <p>Stateless and thread-safe; each call creates its own Calcite parser.
 */
public final class ShaleSqlParser {

  /** Longest identifier accepted, as in PostgreSQL's NAMEDATALEN (63) rounded up generously. */
  public static final int IDENTIFIER_MAX_LENGTH = 128;

  /**
   * The parser configuration ShaleDB uses: the ShaleDB grammar; unquoted identifiers folded to
   * lower case and quoted ones kept as written (PostgreSQL's rule), compared case-sensitively;
   * double quotes for identifiers; LENIENT conformance, which accepts MySQL's {@code LIMIT
   * offset, count} and {@code OFFSET ... LIMIT ...} besides the standard forms.
   */
  public static final SqlParser.Config CONFIG = SqlParser.config()
      .withParserFactory(ShaleSqlParserImpl.FACTORY)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(true)
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withConformance(SqlConformanceEnum.LENIENT)
      .withIdentifierMaxLength(IDENTIFIER_MAX_LENGTH);

  /** How many expected tokens a syntax error lists before summarizing the rest. */
  private static final int EXPECTED_TOKENS_SHOWN_MAX = 8;

  /** How much of the offending token a syntax error quotes (a string literal can be long). */
  private static final int QUOTED_TOKEN_LENGTH_MAX = 40;

  private ShaleSqlParser() {
  }

  /**
   * Parses exactly one statement, optionally followed by a semicolon (as JDBC tools often send).
   *
   * @throws ShaleException with {@link SqlState#SYNTAX_ERROR} if {@code sql} is not one valid
   *     statement
   */
  public static SqlNode parseStatement(String sql) {
    Objects.requireNonNull(sql, "sql");
    SqlNodeList statements = parseScript(sql);
    if (statements.size() != 1) {
      throw new ShaleException(SqlState.SYNTAX_ERROR, statements.isEmpty()
          ? "Syntax error: unexpected end of input; the statement is empty"
          : "Syntax error: expected one statement but found " + statements.size() + "; send them one at a time");
    }
    return statements.get(0);
  }

  /**
   * Parses a script: statements separated by semicolons, the last semicolon optional, with
   * {@code --} and {@code /* *}{@code /} comments anywhere. An empty script gives an empty list.
   *
   * @return the statements in script order
   * @throws ShaleException with {@link SqlState#SYNTAX_ERROR} at the first error; nothing of the
   *     script is returned then
   */
  public static SqlNodeList parseScript(String sql) {
    Objects.requireNonNull(sql, "sql");
    try {
      return SqlParser.create(nonEmpty(UnicodeEscapes.rewrite(sql)), CONFIG).parseStmtList();
    } catch (SqlParseException e) {
      throw syntaxError(e, sql);
    }
  }

  /**
   * The generated token stream cannot start on a zero-length buffer (JavaCC's SimpleCharStream
   * indexes past it), so empty input is parsed as one blank, which moves no position.
   */
  private static String nonEmpty(String sql) {
    return sql.isEmpty() ? " " : sql;
  }

  /** Builds the 42601 error for {@code e}, a failure to parse {@code sql}, keeping the cause. */
  private static ShaleException syntaxError(SqlParseException e, String sql) {
    StringBuilder message = new StringBuilder("Syntax error");
    SqlParserPos pos = e.getPos();
    boolean positioned = pos != null && pos.getLineNum() > 0;
    if (positioned) {
      message.append(" at line ").append(pos.getLineNum())
          .append(", column ").append(pos.getColumnNum());
    }
    message.append(": ").append(problem(e, offendingText(e, sql)));
    List<String> expected = expectedTokens(e);
    if (!expected.isEmpty()) {
      message.append("; expected ");
      if (expected.size() == 1) {
        message.append(expected.get(0));
      } else {
        message.append("one of ");
        int shown = Math.min(expected.size(), EXPECTED_TOKENS_SHOWN_MAX);
        message.append(String.join(", ", expected.subList(0, shown)));
        if (expected.size() > shown) {
          message.append(" (and ").append(expected.size() - shown).append(" more)");
        }
      }
    }
    return new ShaleException(SqlState.SYNTAX_ERROR, message.toString(), e);
  }

  /**
   * What went wrong. JavaCC's "Encountered ... Was expecting one of" (a list of hundreds of
   * tokens) and lexical errors become "unexpected TOKEN", quoting the statement itself; the
   * grammar's own messages (a conflicting column option, say) are kept as they are.
   */
  private static String problem(SqlParseException e, @Nullable String offendingText) {
    String calciteMessage = Objects.requireNonNullElse(e.getMessage(), "").strip();
    boolean unexpectedToken = e.getExpectedTokenSequences() != null;
    boolean lexical = calciteMessage.startsWith("Lexical error");
    if (!unexpectedToken && !lexical && !calciteMessage.isEmpty()) {
      return calciteMessage.lines().findFirst().orElseThrow();
    }
    String what = lexical ? "unexpected character " : "unexpected ";
    if (offendingText == null) {
      return unexpectedToken ? "unexpected token" : "unexpected character";
    }
    if (offendingText.isEmpty()) {
      return "unexpected end of input";
    }
    return what + "\"" + offendingText + "\"";
  }

  /**
   * The token or character the parser stopped at: the token JavaCC reports if it is still
   * attached to the exception, else the text at the error's position; empty for the end of the
   * input, null if unknown.
   */
  private static @Nullable String offendingText(SqlParseException e, String sql) {
    if (e.getCause() instanceof ParseException cause
        && cause.currentToken != null && cause.currentToken.next != null) {
      Token next = cause.currentToken.next;
      return next.kind == ShaleSqlParserImplConstants.EOF ? "" : shorten(next.image);
    }
    SqlParserPos pos = e.getPos();
    return pos == null ? null : textAt(sql, pos);
  }

  private static String shorten(String text) {
    return text.length() <= QUOTED_TOKEN_LENGTH_MAX
        ? text
        : text.substring(0, QUOTED_TOKEN_LENGTH_MAX) + "...";
  }

  /**
   * The text {@code pos} covers in {@code sql} (lines and columns 1-based, end inclusive, tab
   * counted as one column as Calcite's parser is set up), shortened to {@link
   * #QUOTED_TOKEN_LENGTH_MAX}; empty at the end of input; null if {@code pos} is outside.
   */
  private static @Nullable String textAt(String sql, SqlParserPos pos) {
    int begin = offsetOf(sql, pos.getLineNum(), pos.getColumnNum());
    if (begin < 0) {
      return null;
    }
    if (begin >= sql.length()) {
      return "";
    }
    int end = offsetOf(sql, pos.getEndLineNum(), pos.getEndColumnNum());
    if (end < begin || end >= sql.length()) {
      end = begin;
    }
    return shorten(sql.substring(begin, end + 1));
  }

  /** The offset of (line, column), counting \n, \r and \r\n as one line end each; -1 if none. */
  private static int offsetOf(String sql, int line, int column) {
    if (line < 1 || column < 1) {
      return -1;
    }
    int offset = 0;
    for (int currentLine = 1; currentLine < line; currentLine++) {
      while (offset < sql.length() && sql.charAt(offset) != '\n' && sql.charAt(offset) != '\r') {
        offset++;
      }
      if (offset >= sql.length()) {
        return -1;
      }
      boolean crlf = sql.charAt(offset) == '\r'
          && offset + 1 < sql.length() && sql.charAt(offset + 1) == '\n';
      offset += crlf ? 2 : 1;
    }
    return offset + column - 1;
  }

  /**
   * The tokens that could have come next, readable: names of token classes such as
   * {@code <IDENTIFIER>} are spelled out and listed before keywords and symbols, which keep
   * Calcite's alphabetical order.
   */
  private static List<String> expectedTokens(SqlParseException e) {
    Collection<String> images = e.getExpectedTokenNames();
    List<String> classes = new ArrayList<>();
    List<String> literals = new ArrayList<>();
    for (String image : images) {
      String readable = readableToken(image);
      if (image.startsWith("<")) {
        if (!classes.contains(readable)) {
          classes.add(readable);
        }
      } else {
        literals.add(readable);
      }
    }
    List<String> all = new ArrayList<>(classes);
    all.addAll(literals);
    return all;
  }

  private static String readableToken(String image) {
    return switch (image) {
      case "<IDENTIFIER>", "<QUOTED_IDENTIFIER>", "<BACK_QUOTED_IDENTIFIER>",
          "<BIG_QUERY_BACK_QUOTED_IDENTIFIER>", "<BRACKET_QUOTED_IDENTIFIER>",
          "<UNICODE_QUOTED_IDENTIFIER>", "<HYPHENATED_IDENTIFIER>" -> "an identifier";
      case "<UNSIGNED_INTEGER_LITERAL>" -> "an integer";
      case "<APPROX_NUMERIC_LITERAL>", "<DECIMAL_NUMERIC_LITERAL>" -> "a number";
      case "<QUOTED_STRING>", "<PREFIXED_STRING_LITERAL>", "<UNICODE_STRING_LITERAL>",
          "<C_STYLE_ESCAPED_STRING_LITERAL>", "<BIG_QUERY_DOUBLE_QUOTED_STRING>",
          "<BIG_QUERY_QUOTED_STRING>", "<CHARSET_QUOTED_STRING>" -> "a string";
      case "<BINARY_STRING_LITERAL>" -> "a binary string";
      case "<EOF>" -> "end of input";
      case "<HOOK>", "\"?\"" -> "\"?\"";
      default -> image.startsWith("<") && image.endsWith(">")
          ? image.substring(1, image.length() - 1).toLowerCase(Locale.ROOT).replace('_', ' ')
          : image;
    };
  }
}
