package io.shaledb.sql.plan;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;

/**
 * What parsing and planning one statement may cost, and the client's cancel of it. A statement's
 * text is bounded before it is parsed, the nesting of its expressions after (Calcite validates and
 * converts recursively, and a 150,000-deep {@code 1+1+...+1} kept a core busy for half a minute);
 * then the validator, the converter and the optimizer call {@link #check} as they go, so a
 * cancel or the deadline stops planning as it stops execution.
 */
final class PlanningBudget {
  /** Longest statement accepted, in characters; longer ones fail with 54000 before parsing. */
  static final int STATEMENT_CHARS_MAX = 1 << 20;
  /** Most binary operators accepted in one statement; more fail with 54001 before parsing. */
  static final int OPERATORS_MAX = 10_000;
  /** Deepest nesting of expressions and subqueries accepted; deeper ones fail with 54001. */
  static final int EXPRESSION_DEPTH_MAX = 1_000;

  private final AtomicBoolean cancelFlag;
  private final Clock clock;
  private final long timeoutMs;
  private final long deadlineMillis;

  /**
   * @param cancelFlag the statement's cancel flag (set by a cancel or a query timeout)
   * @param timeoutMs how long planning may take from now
   */
  PlanningBudget(AtomicBoolean cancelFlag, Clock clock, long timeoutMs) {
    this.cancelFlag = cancelFlag;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
    this.deadlineMillis = clock.millis() + timeoutMs;
  }

  /**
   * Refuses a statement text longer than {@link #STATEMENT_CHARS_MAX}, or with more binary
   * operators than {@link #OPERATORS_MAX}: Calcite's parser orders a chain of n operators in time
   * proportional to n squared (20,000 took 2.6 s, 150,000 took two minutes), before anything else
   * could look at it, so the operators are counted in the text first.
   */
  static void checkText(String sql) {
    if (sql.length() > STATEMENT_CHARS_MAX) {
      throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "statement too long: " + sql.length()
          + " characters, at most " + STATEMENT_CHARS_MAX + " are accepted; pass large data as parameters or in "
          + "several statements");
    }
    int operators = binaryOperators(sql);
    if (operators > OPERATORS_MAX) {
      throw new ShaleException(SqlState.STATEMENT_TOO_COMPLEX, "statement too complex: " + operators
          + " operators, at most " + OPERATORS_MAX + " are accepted");
    }
  }

  /**
   * Binary operators in {@code sql} outside literals, quoted identifiers and comments: {@code + - *
   * / || = < >} (a minus after an operand only, so negative numbers do not count), AND and OR.
   * Multi-character operators such as {@code <=} count once per character, which only
   * overestimates.
   */
  static int binaryOperators(String sql) {
    int count = 0;
    boolean afterOperand = false;
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = sql.indexOf(c, i + 1);
        i = end < 0 ? n : end;
        afterOperand = true;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$') {
        int start = i;
        while (i + 1 < n && (Character.isLetterOrDigit(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
          i++;
        }
        int length = i - start + 1;
        boolean keyword = (length == 3 && sql.regionMatches(true, start, "AND", 0, 3))
            || (length == 2 && sql.regionMatches(true, start, "OR", 0, 2));
        if (keyword) {
          count++;
        }
        afterOperand = !keyword;
      } else if (c == ')') {
        afterOperand = true;
      } else if (c == '-') {
        if (afterOperand) {
          count++;
        }
        afterOperand = false;
      } else if (c == '+' || c == '*' || c == '/' || c == '|' || c == '=' || c == '<' || c == '>') {
        count++;
        afterOperand = false;
      } else if (!Character.isWhitespace(c)) {
        afterOperand = false;
      }
    }
    return count;
  }

  /** Refuses a parsed statement whose expressions nest deeper than {@link #EXPRESSION_DEPTH_MAX}. */
  static void checkDepth(SqlNode statement) {
    // Iterative, since the tree may be deeper than the thread's stack allows recursion.
    java.util.ArrayDeque<SqlNode> nodes = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
    nodes.push(statement);
    depths.push(1);
    while (!nodes.isEmpty()) {
      SqlNode node = nodes.pop();
      int depth = depths.pop();
      if (depth > EXPRESSION_DEPTH_MAX) {
        throw new ShaleException(SqlState.STATEMENT_TOO_COMPLEX, "statement too complex: its expressions nest more "
            + "than " + EXPRESSION_DEPTH_MAX + " deep");
      }
      Iterable<? extends SqlNode> children = node instanceof SqlNodeList list ? list
          : node instanceof SqlCall call ? call.getOperandList() : java.util.List.of();
      for (SqlNode child : children) {
        if (child != null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }

  /**
   * Throws if the statement was cancelled (57014) or planning passed its deadline (54001); called
   * often while planning.
   */
  void check() {
    if (cancelFlag.get()) {
      throw cancelled();
    }
    if (expired()) {
      throw tooLong();
    }
  }

  /** Whether planning should stop: the statement was cancelled or the deadline passed. */
  boolean shouldStop() {
    return cancelFlag.get() || expired();
  }

  /** The error for a planning stopped by {@link #shouldStop}. */
  ShaleException stopped() {
    return cancelFlag.get() ? cancelled() : tooLong();
  }

  private boolean expired() {
    return clock.millis() > deadlineMillis;
  }

  private static ShaleException cancelled() {
    return new ShaleException(SqlState.QUERY_CANCELED, "statement was cancelled");
  }

  private ShaleException tooLong() {
    return new ShaleException(SqlState.STATEMENT_TOO_COMPLEX,
        "planning took longer than " + timeoutMs + " ms; simplify the statement");
  }
}
