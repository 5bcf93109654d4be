package io.shaledb.sql.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the SQL test corpus ({@code src/test/resources/sql-corpus/*.test}, format in {@link
 * CorpusFile}): each file against a fresh in-memory database through the embedded JDBC driver.
 *
 * <p>Every case that expects an error also checks that the failed statement left the database
 * unchanged: the tables, their columns and all their rows are fingerprinted before and after.
 */
class SqlCorpusTest {
  private static final String CORPUS_DIRECTORY = "sql-corpus";
  private static final int MINIMUM_CASES = 300;

  static Stream<String> corpusFiles() throws IOException, URISyntaxException {
    return corpusPaths().stream().map(path -> path.getFileName().toString());
  }

  @Test
  void corpusHasAtLeastThreeHundredCases() throws IOException, URISyntaxException {
    int cases = 0;
    for (Path path : corpusPaths()) {
      cases += CorpusFile.parse(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8)).cases().size();
    }
    assertTrue(cases >= MINIMUM_CASES, "the corpus has " + cases + " cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusFiles")
  void corpusFilePasses(String fileName) throws Exception {
    Path path = directory().resolve(fileName);
    CorpusFile file = CorpusFile.parse(fileName, Files.readString(path, StandardCharsets.UTF_8));
    List<String> failures = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> pendingButPassing = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:shaledb:mem:corpus-" + UUID.randomUUID())) {
      for (CorpusFile.Case testCase : file.cases()) {
        String problem = run(connection, testCase);
        if (testCase.pending() == null) {
          if (problem != null) {
            failures.add(testCase.describe(fileName) + "\n    " + problem);
          }
        } else if (problem == null) {
          pendingButPassing.add(testCase.describe(fileName) + " (pending: " + testCase.pending() + ")");
        } else {
          pending.add(testCase.describe(fileName) + " (pending: " + testCase.pending() + ")");
        }
      }
    }
    if (!pending.isEmpty()) {
      System.out.println("SQL corpus " + fileName + ": " + pending.size() + " pending case(s):\n  " + String.join("\n  ", pending));
    }
    if (!pendingButPassing.isEmpty()) {
      failures.add("pending cases pass now; remove their '-- pending:' marker:\n  " + String.join("\n  ", pendingButPassing));
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + file.cases().size() + " cases failed:\n" + String.join("\n", failures));
    }
  }

  /** Null if the case behaved as expected, else what went wrong. */
  private static String run(Connection connection, CorpusFile.Case testCase) {
    CorpusFile.Expectation expected = testCase.expectation();
    try (Statement statement = connection.createStatement()) {
      if (expected instanceof CorpusFile.Error error) {
        String before = fingerprint(connection);
        try {
          boolean hasRows = statement.execute(testCase.sql());
          if (hasRows) {
            try (ResultSet rs = statement.getResultSet()) {
              rows(rs);
            }
          }
          return "expected SQLSTATE " + error.sqlState() + " but the statement succeeded";
        } catch (SQLException e) {
          String after = fingerprint(connection);
          if (!error.sqlState().equals(e.getSQLState())) {
            return "expected SQLSTATE " + error.sqlState() + " but got " + e.getSQLState() + ": " + e.getMessage();
          }
          if (!before.equals(after)) {
            return "the failed statement changed the database:\n    before: " + before + "\n    after:  " + after;
          }
          return null;
        }
      }
      boolean hasRows = statement.execute(testCase.sql());
      if (expected instanceof CorpusFile.Rows rowsExpected) {
        if (!hasRows) {
          return "expected rows but the statement returned an update count";
        }
        List<String> actual;
        try (ResultSet rs = statement.getResultSet()) {
          actual = rows(rs);
        }
        List<String> wanted = new ArrayList<>(rowsExpected.rows());
        if (rowsExpected.sorted()) {
          Collections.sort(actual);
          Collections.sort(wanted);
        }
        return actual.equals(wanted) ? null
            : "expected rows:\n      " + String.join("\n      ", wanted) + "\n    actual rows:\n      " + String.join("\n      ", actual);
      }
      if (hasRows) {
        try (ResultSet rs = statement.getResultSet()) {
          rows(rs);
        }
      }
      if (expected instanceof CorpusFile.Count count) {
        long updated = hasRows ? -1 : statement.getLargeUpdateCount();
        return updated == count.count() ? null : "expected " + count.count() + " affected rows but got " + updated;
      }
      return null;
    } catch (SQLException e) {
      return "failed with SQLSTATE " + e.getSQLState() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      return "threw " + e;
    }
  }

  private static List<String> rows(ResultSet rs) throws SQLException {
    int width = rs.getMetaData().getColumnCount();
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= width; i++) {
        if (i > 1) {
          row.append('|');
        }
        row.append(render(rs, i));
      }
      rows.add(row.toString());
    }
    return rows;
  }

  private static String render(ResultSet rs, int column) throws SQLException {
    Object value = rs.getObject(column);
    if (value == null) {
      return "NULL";
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String text = rs.getString(column);
    return text.isEmpty() ? "(empty)" : text;
  }

  /** The user tables' names, columns and rows (sorted), as one string. */
  private static String fingerprint(Connection connection) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
      }
    }
    Collections.sort(tables);
    StringBuilder fingerprint = new StringBuilder();
    for (String entry : tables) {
      String table = entry.substring(0, entry.lastIndexOf(':'));
      fingerprint.append(entry).append('(');
      try (ResultSet rs = meta.getColumns(null, null, table, "%")) {
        while (rs.next()) {
          fingerprint.append(rs.getString("COLUMN_NAME")).append(' ').append(rs.getString("TYPE_NAME")).append(',');
        }
      }
      fingerprint.append(')');
      if (entry.endsWith(":TABLE")) {
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
          List<String> rows = rows(rs);
          Collections.sort(rows);
          fingerprint.append(rows);
        }
      }
      fingerprint.append("; ");
    }
    return fingerprint.toString();
  }

  private static List<Path> corpusPaths() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(directory())) {
      return files.filter(path -> path.getFileName().toString().endsWith(".test")).sorted().toList();
    }
  }

  private static Path directory() throws URISyntaxException {
    return Path.of(SqlCorpusTest.class.getClassLoader().getResource(CORPUS_DIRECTORY).toURI());
  }
}
