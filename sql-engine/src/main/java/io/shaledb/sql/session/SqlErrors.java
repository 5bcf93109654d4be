package io.shaledb.sql.session;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.validate.SqlValidatorException;

/**
 * Translates what Calcite and generated code throw into {@link ShaleException}s with the SQLSTATE
 * a user expects. Calcite reports validation errors as messages only, so they are classified by
 * the message templates of its resource bundle.
 */
public final class SqlErrors {
  private record Rule(Pattern pattern, SqlState state) {}

  private static final List<Rule> VALIDATION_RULES = List.of(
      rule("Object '.*' not found", SqlState.UNDEFINED_TABLE),
      rule("Table '.*' not found", SqlState.UNDEFINED_TABLE),
      rule("Column '.*' not found", SqlState.UNDEFINED_COLUMN),
      rule("Unknown target column", SqlState.UNDEFINED_COLUMN),
      rule("Unknown field", SqlState.UNDEFINED_COLUMN),
      rule("Column '.*' is ambiguous", SqlState.AMBIGUOUS_COLUMN),
      rule("No match found for function signature", SqlState.UNDEFINED_FUNCTION),
      rule("Invalid number of arguments to function", SqlState.UNDEFINED_FUNCTION),
      rule("WHERE clause must be a condition|HAVING clause must be a condition|ON clause must be a condition", SqlState.DATATYPE_MISMATCH),
      rule("is not a temporal table", SqlState.FEATURE_NOT_SUPPORTED),
      rule("Cannot apply '.*' to arguments", SqlState.UNDEFINED_FUNCTION),
      rule("has no default value and does not allow NULLs", SqlState.NOT_NULL_VIOLATION),
      rule("Cannot assign to target field", SqlState.DATATYPE_MISMATCH),
      rule("Cannot apply .* to", SqlState.DATATYPE_MISMATCH),
      rule("Illegal mixing of types", SqlState.DATATYPE_MISMATCH),
      rule("Type mismatch", SqlState.DATATYPE_MISMATCH),
      rule("cannot be cast|Cast function cannot convert", SqlState.DATATYPE_MISMATCH),
      rule("Numeric literal '.*' out of range", SqlState.NUMERIC_VALUE_OUT_OF_RANGE),
      rule("out of range", SqlState.NUMERIC_VALUE_OUT_OF_RANGE),
      rule("Illegal use of dynamic parameter", SqlState.DATATYPE_MISMATCH),
      rule("Duplicate name .* in column list|Target column .* is assigned more than once", SqlState.DUPLICATE_COLUMN),
      rule("Number of INSERT target columns", SqlState.SYNTAX_ERROR),
      rule("Expression '.*' is not being grouped", SqlState.GROUPING_ERROR),
      rule("Aggregate expression is illegal|Windowed aggregate expression is illegal", SqlState.GROUPING_ERROR),
      rule("Illegal TIMESTAMP literal|Illegal DATE literal|Illegal TIME literal", SqlState.INVALID_DATETIME_FORMAT));

  private static final int MAX_INTERNAL_MESSAGE_CHARS = 500;

  private SqlErrors() {}

  private static Rule rule(String regex, SqlState state) {
    return new Rule(Pattern.compile(regex), state);
  }

  /** The error a user sees for {@code error}, thrown while planning or executing a statement. */
  public static ShaleException translate(Throwable error) {
    if (error instanceof ShaleException shale) {
      return shale;
    }
    Throwable cause = error;
    for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
      if (cause instanceof ShaleException shale) {
        return shale;
      }
      if (cause instanceof CalciteContextException context) {
        return new ShaleException(classify(context.getMessage()), context.getMessage(), error);
      }
      if (cause instanceof SqlValidatorException validation) {
        return new ShaleException(classify(validation.getMessage()), validation.getMessage(), error);
      }
      if (cause instanceof CalciteException calcite && String.valueOf(calcite.getMessage()).startsWith("Invalid character for cast")) {
        return new ShaleException(SqlState.INVALID_TEXT_REPRESENTATION, calcite.getMessage(), error);
      }
      if (cause instanceof ArithmeticException arithmetic) {
        String message = String.valueOf(arithmetic.getMessage()).toLowerCase(java.util.Locale.ROOT);
        // Integer division says "/ by zero", BigDecimal "Division by zero" or, for 0/0, "Division undefined".
        if (message.contains("by zero") || message.contains("division undefined")) {
          return new ShaleException(SqlState.DIVISION_BY_ZERO, "division by zero", error);
        }
        return new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric value out of range: " + message, error);
      }
      if (cause instanceof NumberFormatException number) {
        return new ShaleException(SqlState.INVALID_TEXT_REPRESENTATION,
            "invalid number: " + number.getMessage(), error);
      }
      if (cause instanceof IllegalStateException state && String.valueOf(state.getMessage()).contains("more than one value in agg SINGLE_VALUE")) {
        return new ShaleException(SqlState.CARDINALITY_VIOLATION, "more than one row returned by a subquery used as an expression", error);
      }
      if (cause instanceof IllegalArgumentException argument && isDateTimeParse(argument)) {
        return new ShaleException(SqlState.INVALID_DATETIME_FORMAT, "invalid date/time value: " + argument.getMessage(), error);
      }
      if (cause instanceof StackOverflowError) {
        return new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "statement is too deeply nested", error);
      }
    }
    return new ShaleException(SqlState.INTERNAL_ERROR, "internal error: " + internalMessage(error), error);
  }

  /**
   * The error a user sees for {@code error}, or {@code error} itself (thrown from here) if it is an
   * {@link Error} that concerns the whole process, such as running out of memory. Failed
   * consistency checks, stack overflows and classes that fail to link concern only the statement.
   */
  public static ShaleException statementError(Throwable error) {
    if (error instanceof Error fatal && !(error instanceof AssertionError || error instanceof StackOverflowError
        || error instanceof LinkageError)) {
      throw fatal;
    }
    return translate(error);
  }

  /**
   * One line saying what failed inside the engine: Calcite's messages span lines (its type checks
   * print each type on its own) and its planner failures carry a dump of the whole search space,
   * which the cause keeps for logs.
   */
  private static String internalMessage(Throwable error) {
    String detail = error.getMessage() == null ? "" : error.getMessage().strip().replaceAll("\\s+", " ");
    String message;
    if (error instanceof AssertionError) {
      message = detail.isEmpty() ? "a consistency check failed" : "a consistency check failed: " + detail;
    } else {
      message = detail.isEmpty() ? error.getClass().getSimpleName() : detail;
    }
    if (message.length() > MAX_INTERNAL_MESSAGE_CHARS) {
      message = message.substring(0, MAX_INTERNAL_MESSAGE_CHARS) + "...";
    }
    return message;
  }

  /** Avatica's date parser reports bad dates (2024-02-30) as IllegalArgumentException. */
  private static boolean isDateTimeParse(IllegalArgumentException error) {
    StackTraceElement[] trace = error.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().equals("org.apache.calcite.avatica.util.DateTimeUtils");
  }

  private static SqlState classify(String message) {
    if (message != null) {
      for (Rule rule : VALIDATION_RULES) {
        if (rule.pattern().matcher(message).find()) {
          return rule.state();
        }
      }
    }
    return SqlState.SYNTAX_ERROR;
  }
}
