package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Text outside Latin-1 through parameters (the SQL corpus covers literals), and the names of result
 * columns as JDBC reports them: aliases that are SQL keywords, and PostgreSQL's names for unaliased
 * expressions.
 */
public class TextAndColumnNamesTest {
  /** Chinese, an emoji (a surrogate pair in Java), a combining accent, and a flag (two code points). */
  static final List<String> WORDS = List.of("青花瓷茶杯", "😀", "cafe\u0301", "🇨🇳 景德镇");

  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:shaledb:mem:" + UUID.randomUUID());
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void textInAnyLanguageRoundTripsThroughParameters() throws SQLException {
    roundTripText(connection);
  }

  /** Shared with the remote test: the same checks over the wire. */
  public static void roundTripText(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE words (id INT PRIMARY KEY, word VARCHAR(10) NOT NULL)");
      s.execute("CREATE INDEX words_word ON words (word)");
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO words VALUES (?, ?)")) {
      for (int i = 0; i < WORDS.size(); i++) {
        insert.setInt(1, i);
        insert.setString(2, WORDS.get(i));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement select = connection.prepareStatement("SELECT id, word FROM words WHERE word = ?")) {
      for (int i = 0; i < WORDS.size(); i++) {
        select.setString(1, WORDS.get(i));
        try (ResultSet rs = select.executeQuery()) {
          assertTrue(rs.next(), WORDS.get(i));
          assertEquals(i, rs.getInt(1));
          assertEquals(WORDS.get(i), rs.getString(2));
        }
      }
    }
    try (PreparedStatement like = connection.prepareStatement("SELECT id FROM words WHERE word LIKE ? ORDER BY word")) {
      like.setString(1, "%茶%");
      assertEquals(List.of("0"), column(like.executeQuery()));
    }
    try (Statement s = connection.createStatement()) {
      assertEquals(List.of("cafe\u0301", "青花瓷茶杯", "🇨🇳 景德镇", "😀"),
          column(s.executeQuery("SELECT word FROM words ORDER BY word")));
      assertEquals(List.of("😀"), column(s.executeQuery("SELECT word FROM words WHERE word = '😀'")));
    }
    // Lengths and positions count code points (PostgreSQL's characters), not UTF-16 units.
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT word, CHAR_LENGTH(word), SUBSTRING(word FROM 2), RIGHT(word, 1) FROM words")) {
      int rows = 0;
      while (rs.next()) {
        String word = rs.getString(1);
        int[] points = word.codePoints().toArray();
        assertEquals(points.length, rs.getInt(2), word);
        assertEquals(new String(points, 1, points.length - 1), rs.getString(3), word);
        assertEquals(new String(points, points.length - 1, 1), rs.getString(4), word);
        rows++;
      }
      assertEquals(WORDS.size(), rows);
    }
    try (PreparedStatement lengths = connection.prepareStatement("SELECT CHAR_LENGTH(CAST(? AS VARCHAR)), ? = U&'\\+01F600'")) {
      lengths.setString(1, "🇨🇳😀");
      lengths.setString(2, "😀");
      try (ResultSet rs = lengths.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(3, rs.getInt(1));
        assertTrue(rs.getBoolean(2));
      }
    }
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE emoji_words (id INT PRIMARY KEY, word VARCHAR(10))");
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO emoji_words VALUES (?, ?)")) {
      insert.setInt(1, 100);
      insert.setString(2, "😀".repeat(10));
      assertEquals(1, insert.executeUpdate());
      insert.setInt(1, 101);
      insert.setString(2, "😀".repeat(11));
      assertEquals("22001", assertThrows(SQLException.class, insert::executeUpdate).getSQLState());
    }
  }

  @Test
  void aliasesThatAreKeywordsNameTheirColumns() throws SQLException {
    assertEquals(List.of("one", "count", "value", "year", "sum", "result", "position"),
        labels("SELECT 1 AS one, COUNT(*) AS count, 2 AS value, 3 year, 4 AS sum, 5 result, 6 AS position"));
  }

  @Test
  void unaliasedExpressionsAreNamedAsPostgresqlNamesThem() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10), price DECIMAL(8,2))");
    }
    assertEquals(List.of("count", "sum", "upper", "?column?", "?column?", "id", "price", "case", "coalesce", "max"),
        labels("SELECT COUNT(*), SUM(price), UPPER(name), 1 + 1, 'x', id, CAST(price AS INT), "
            + "CASE WHEN id > 1 THEN 1 END, COALESCE(price, 0), MAX(id) OVER () FROM t GROUP BY id, name, price"));
  }

  private List<String> labels(String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        labels.add(meta.getColumnLabel(i));
      }
      return labels;
    }
  }

  private static List<String> column(ResultSet rs) throws SQLException {
    try (rs) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }
}
