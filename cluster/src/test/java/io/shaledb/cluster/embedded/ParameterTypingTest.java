package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each {@code ?} gets the type of the place it stands in, whatever the statement kind and however
 * the planner lays the statement out: checked through {@link ParameterMetaData} and through the
 * value that is stored or compared (a DECIMAL bound where the type says INTEGER would be rounded).
 *
 * <p>The table's columns are deliberately in another order than the statements list them.
 */
class ParameterTypingTest {
  private static final BigDecimal PRICE = new BigDecimal("12.75");

  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:shaledb:mem:parameters-" + UUID.randomUUID());
    execute("CREATE TABLE item (id INT PRIMARY KEY, price DECIMAL(6,2), qty INT, name VARCHAR(10))");
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  /** The statement: the INSERT branch lists columns in another order than the table. */
  @Test
  void mergeInsertBranchTypesParametersByItsColumnList() throws SQLException {
    String sql = "MERGE INTO item USING (VALUES (1)) AS v(x) ON item.id = v.x "
        + "WHEN NOT MATCHED THEN INSERT (id, qty, price) VALUES (?, ?, ?)";
    try (PreparedStatement merge = connection.prepareStatement(sql)) {
      assertTypes(merge, Types.INTEGER, Types.INTEGER, Types.DECIMAL);
      merge.setInt(1, 1);
      merge.setInt(2, 4);
      merge.setBigDecimal(3, PRICE);
      assertEquals(1, merge.executeUpdate());
    }
    assertEquals(List.of("1|12.75|4|null"), rows("SELECT * FROM item"));
  }

  /** UPDATE SET comes first in the text, but the query built for MERGE holds the inserted row first. */
  @Test
  void mergeWithBothBranchesTypesParametersInTextOrder() throws SQLException {
    String sql = "MERGE INTO item USING (VALUES (1)) AS v(x) ON item.id = v.x AND item.qty >= ? "
        + "WHEN MATCHED THEN UPDATE SET price = ?, name = ? "
        + "WHEN NOT MATCHED THEN INSERT (name, qty, id, price) VALUES (?, ?, ?, ?)";
    try (PreparedStatement merge = connection.prepareStatement(sql)) {
      assertTypes(merge, Types.INTEGER, Types.DECIMAL, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.INTEGER,
          Types.DECIMAL);
      bind(merge, 0, new BigDecimal("99.99"), "updated", "inserted", 3, 1, PRICE);
      assertEquals(1, merge.executeUpdate());
      assertEquals(List.of("1|12.75|3|inserted"), rows("SELECT * FROM item"));
      bind(merge, 0, new BigDecimal("7.25"), "updated", "unused", 5, 1, PRICE);
      assertEquals(1, merge.executeUpdate());
      assertEquals(List.of("1|7.25|3|updated"), rows("SELECT * FROM item"));
    }
  }

  @Test
  void insertWithColumnListTypesParametersByColumn() throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO item (qty, name, price, id) VALUES (?, ?, ?, ?)")) {
      assertTypes(insert, Types.INTEGER, Types.VARCHAR, Types.DECIMAL, Types.INTEGER);
      bind(insert, 4, "four", PRICE, 1);
      insert.executeUpdate();
    }
    // INSERT ... SELECT with parameters in the SELECT list: the target columns type them too.
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO item (price, id) SELECT ?, id + 1 FROM item WHERE qty = ?")) {
      assertTypes(insert, Types.DECIMAL, Types.INTEGER);
      bind(insert, new BigDecimal("0.05"), 4);
      insert.executeUpdate();
    }
    assertEquals(List.of("1|12.75|4|four", "2|0.05|null|null"), rows("SELECT * FROM item ORDER BY id"));
  }

  @Test
  void updateSetTypesParametersByColumn() throws SQLException {
    execute("INSERT INTO item VALUES (1, 1.00, 1, 'a'), (2, 2.00, 2, 'b')");
    try (PreparedStatement update = connection.prepareStatement("UPDATE item SET qty = ?, price = ?, name = ? WHERE id = ? OR price > ?")) {
      assertTypes(update, Types.INTEGER, Types.DECIMAL, Types.VARCHAR, Types.INTEGER, Types.DECIMAL);
      bind(update, 9, PRICE, "z", 1, new BigDecimal("1.99"));
      assertEquals(2, update.executeUpdate());
    }
    assertEquals(List.of("1|12.75|9|z", "2|12.75|9|z"), rows("SELECT * FROM item ORDER BY id"));
  }

  /** Calcite keeps a CASE's WHEN operands before its THEN operands; the text alternates them. */
  @Test
  void caseTypesEachWhenAndThenParameter() throws SQLException {
    execute("INSERT INTO item VALUES (1, 1.50, 1, 'a'), (2, 12.75, 2, 'b'), (3, 30.00, 3, 'c')");
    String sql = "SELECT id, CASE WHEN qty = ? THEN ? WHEN price = ? THEN ? ELSE 'other' END FROM item ORDER BY id";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      assertTypes(query, Types.INTEGER, Types.VARCHAR, Types.DECIMAL, Types.VARCHAR);
      bind(query, 1, "first", PRICE, "exact");
      assertEquals(List.of("1|first", "2|exact", "3|other"), rows(query));
    }
  }

  @Test
  void inListsAndSubqueriesTypeTheirParameters() throws SQLException {
    execute("INSERT INTO item VALUES (1, 1.50, 1, 'a'), (2, 12.75, 2, 'b'), (3, 30.00, 3, 'c')");
    String sql = "SELECT id FROM item WHERE price IN (?, ?) AND qty IN (SELECT qty FROM item WHERE name <> ? AND price < ?) "
        + "OR id = (SELECT MAX(id) FROM item WHERE price > ?) ORDER BY id";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      assertTypes(query, Types.DECIMAL, Types.DECIMAL, Types.VARCHAR, Types.DECIMAL, Types.DECIMAL);
      bind(query, PRICE, new BigDecimal("1.50"), "a", new BigDecimal("12.76"), new BigDecimal("29.99"));
      assertEquals(List.of("2", "3"), rows(query));
    }
    try (PreparedStatement query = connection.prepareStatement("SELECT id FROM item WHERE EXISTS "
        + "(SELECT 1 FROM item i WHERE i.price = ? AND i.qty = item.qty) AND name = ?")) {
      assertTypes(query, Types.DECIMAL, Types.VARCHAR);
      bind(query, PRICE, "b");
      assertEquals(List.of("2"), rows(query));
    }
  }

  /** A validated SELECT holds OFFSET before FETCH; LIMIT comes first in the text. */
  @Test
  void limitAndOffsetParametersKeepTheirPlaces() throws SQLException {
    execute("INSERT INTO item VALUES (1, 1.50, 1, 'a'), (2, 12.75, 2, 'b'), (3, 30.00, 3, 'c'), (4, 40.00, 4, 'd')");
    try (PreparedStatement query = connection.prepareStatement("SELECT id FROM item WHERE price > ? ORDER BY id LIMIT ? OFFSET ?")) {
      ParameterMetaData meta = query.getParameterMetaData();
      assertEquals(3, meta.getParameterCount());
      assertEquals(Types.DECIMAL, meta.getParameterType(1));
      bind(query, new BigDecimal("1.49"), 1, 2);
      assertEquals(List.of("3"), rows(query));
      bind(query, new BigDecimal("1.49"), 3, 1);
      assertEquals(List.of("2", "3", "4"), rows(query));
    }
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT name FROM item WHERE qty > ? ORDER BY id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
      bind(query, 1, 2, 1);
      assertEquals(List.of("d"), rows(query));
    }
  }

  /** As PostgreSQL's char_length($1): a parameter of a text function is text, not an error. */
  @Test
  void textFunctionParametersAreText() throws SQLException {
    execute("INSERT INTO item (id, name) VALUES (1, 'ab')");
    String sql = "SELECT CHAR_LENGTH(?), UPPER(?), name || ? FROM item WHERE name = LOWER(?)";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      assertTypes(select, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR);
      bind(select, "a\uD83D\uDE00", "x\u00e9", "!", "AB");
      try (ResultSet result = select.executeQuery()) {
        assertTrue(result.next());
        assertEquals(2, result.getInt(1));
        assertEquals("X\u00c9", result.getString(2));
        assertEquals("ab!", result.getString(3));
      }
    }
  }

  private void assertTypes(PreparedStatement statement, int... expected) throws SQLException {
    ParameterMetaData meta = statement.getParameterMetaData();
    List<String> actual = new ArrayList<>();
    for (int i = 1; i <= meta.getParameterCount(); i++) {
      actual.add(JDBCType.valueOf(meta.getParameterType(i)).getName());
    }
    List<String> wanted = new ArrayList<>();
    for (int type : expected) {
      wanted.add(JDBCType.valueOf(type).getName());
    }
    assertEquals(wanted, actual);
  }

  private static void bind(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(i + 1, values[i]);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private List<String> rows(String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      return rows(rs);
    }
  }

  private static List<String> rows(PreparedStatement query) throws SQLException {
    try (ResultSet rs = query.executeQuery()) {
      return rows(rs);
    }
  }

  private static List<String> rows(ResultSet rs) throws SQLException {
    List<String> rows = new ArrayList<>();
    int width = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= width; i++) {
        row.append(i > 1 ? "|" : "").append(rs.getString(i));
      }
      rows.add(row.toString());
    }
    return rows;
  }
}
