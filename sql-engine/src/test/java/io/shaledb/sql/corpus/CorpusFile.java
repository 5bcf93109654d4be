package io.shaledb.sql.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One file of the SQL test corpus, parsed into cases.
 *
 * <p>The format, a small relative of sqllogictest's: cases are separated by blank lines; lines
 * starting with {@code #} are comments. A case starts with a directive line:
 *
 * <ul>
 *   <li>{@code statement ok}: the statement succeeds.
 *   <li>{@code statement count N}: the statement succeeds and reports N affected rows.
 *   <li>{@code statement error SQLSTATE}: the statement fails with that SQLSTATE and leaves the
 *       database (tables, columns and every row) exactly as it was.
 *   <li>{@code query} or {@code query rowsort}: the query's rows, one line each after a {@code ----}
 *       line, values separated by {@code |}; NULL is {@code NULL}, the empty string {@code (empty)}.
 *       {@code rowsort} compares the rows sorted, for queries without a defined order.
 * </ul>
 *
 * <p>The SQL follows the directive, up to {@code ----} or the end of the case; it may span lines.
 * A line {@code -- pending: reason} right before the directive marks a case the engine does not
 * pass yet: the runner reports it separately instead of failing, and fails once it passes, so the
 * marker gets removed.
 */
record CorpusFile(String name, List<Case> cases) {

  sealed interface Expectation {}

  record Ok() implements Expectation {}

  record Count(long count) implements Expectation {}

  record Error(String sqlState) implements Expectation {}

  record Rows(List<String> rows, boolean sorted) implements Expectation {}

  /** One statement and what it must do; {@code pending} is null for a case that must pass. */
  record Case(int line, String sql, Expectation expectation, String pending) {
    String describe(String file) {
      return file + ":" + line + ": " + sql.replace('\n', ' ');
    }
  }

  static CorpusFile parse(String name, String text) {
    List<Case> cases = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        i++;
        continue;
      }
      String pending = null;
      if (line.startsWith("-- pending:")) {
        pending = line.substring("-- pending:".length()).strip();
        i++;
        line = lines[i].strip();
      }
      int directiveLine = i + 1;
      Expectation expectation = directive(line, name, directiveLine);
      i++;
      StringBuilder sql = new StringBuilder();
      while (i < lines.length && !lines[i].isBlank() && !lines[i].strip().equals("----")) {
        if (sql.length() > 0) {
          sql.append('\n');
        }
        sql.append(lines[i]);
        i++;
      }
      if (expectation instanceof Rows rows) {
        List<String> expected = new ArrayList<>();
        if (i < lines.length && lines[i].strip().equals("----")) {
          i++;
          while (i < lines.length && !lines[i].isBlank()) {
            expected.add(lines[i].strip());
            i++;
          }
        }
        expectation = new Rows(expected, rows.sorted());
      }
      if (sql.length() == 0) {
        throw new IllegalArgumentException(name + ":" + directiveLine + ": directive without a statement");
      }
      cases.add(new Case(directiveLine, sql.toString().strip(), expectation, pending));
    }
    return new CorpusFile(name, cases);
  }

  private static Expectation directive(String line, String file, int lineNumber) {
    String[] words = line.split("\\s+");
    String kind = words[0].toLowerCase(Locale.ROOT);
    if (kind.equals("statement") && words.length == 2 && words[1].equals("ok")) {
      return new Ok();
    }
    if (kind.equals("statement") && words.length == 3 && words[1].equals("count")) {
      return new Count(Long.parseLong(words[2]));
    }
    if (kind.equals("statement") && words.length == 3 && words[1].equals("error") && words[2].length() == 5) {
      return new Error(words[2]);
    }
    if (kind.equals("query") && words.length == 1) {
      return new Rows(List.of(), false);
    }
    if (kind.equals("query") && words.length == 2 && words[1].equals("rowsort")) {
      return new Rows(List.of(), true);
    }
    throw new IllegalArgumentException(file + ":" + lineNumber + ": unknown directive '" + line + "'");
  }
}
