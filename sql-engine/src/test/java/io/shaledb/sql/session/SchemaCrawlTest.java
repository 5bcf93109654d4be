package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full schema crawl as SchemaCrawler's does it over plain JDBC (it is not on this build's
 * registry): table types, tables and views, every column of both in one {@code getColumns} call,
 * then per table its primary key, indexes and foreign keys; view definitions and CHECK constraints
 * from {@code information_schema} (views, table_constraints, check_constraints). What the crawl
 * finds must be what the DDL created.
 */
class SchemaCrawlTest {
  private Connection connection;

  @BeforeEach
  void create() throws SQLException {
    connection = DriverManager.getConnection("jdbc:shaledb:mem:" + UUID.randomUUID());
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, email TEXT UNIQUE, "
          + "credit DECIMAL(10,2) CHECK (credit >= 0))");
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL REFERENCES customers (id), "
          + "qty INT, placed DATE, CONSTRAINT qty_positive CHECK (qty > 0))");
      s.execute("CREATE INDEX orders_by_placed ON orders (placed DESC)");
      s.execute("CREATE VIEW big_orders AS SELECT o.id, c.name, o.qty * 2 AS double_qty FROM orders o "
          + "JOIN customers c ON c.id = o.customer_id WHERE o.qty > 10");
      s.execute("CREATE VIEW renamed (order_id, amount) AS SELECT id, qty FROM orders");
    }
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void viewsHaveTheirColumnsInGetColumns() throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    Map<String, List<String>> columns = new TreeMap<>();
    try (ResultSet rs = meta.getColumns(null, "public", "%", "%")) {
      while (rs.next()) {
        columns.computeIfAbsent(rs.getString("TABLE_NAME"), t -> new ArrayList<>()).add(rs.getString("COLUMN_NAME")
            + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE") + " " + rs.getInt("ORDINAL_POSITION")
            + " " + rs.getString("IS_NULLABLE"));
      }
    }
    assertEquals(List.of("id BIGINT " + Types.BIGINT + " 1 NO", "name VARCHAR " + Types.VARCHAR + " 2 NO",
        "double_qty INTEGER " + Types.INTEGER + " 3 YES"), columns.get("big_orders"));
    assertEquals(List.of("order_id BIGINT " + Types.BIGINT + " 1 NO", "amount INTEGER " + Types.INTEGER + " 2 YES"),
        columns.get("renamed"));
    assertEquals(4, columns.get("customers").size());
    try (ResultSet rs = meta.getColumns(null, null, "renamed", "amo%")) {
      assertTrue(rs.next());
      assertEquals("amount", rs.getString("COLUMN_NAME"));
      assertEquals(2, rs.getInt("ORDINAL_POSITION"));
      assertFalse(rs.next());
    }
  }

  @Test
  void viewsHaveTheirColumnsInInformationSchema() throws SQLException {
    assertEquals(List.of("order_id 1 NO bigint", "amount 2 YES integer"), rows("SELECT column_name, "
        + "ordinal_position, is_nullable, data_type FROM information_schema.columns WHERE table_name = 'renamed' "
        + "ORDER BY ordinal_position"));
    assertEquals(List.of("id", "name", "double_qty"), rows("SELECT column_name FROM information_schema.columns "
        + "WHERE table_name = 'big_orders' ORDER BY ordinal_position"));
  }

  @Test
  void checkConstraintsAreVisible() throws SQLException {
    List<String> checks = rows("SELECT tc.table_name, tc.constraint_type, cc.check_clause "
        + "FROM information_schema.table_constraints tc JOIN information_schema.check_constraints cc "
        + "ON cc.constraint_name = tc.constraint_name AND cc.constraint_schema = tc.constraint_schema "
        + "WHERE tc.constraint_type = 'CHECK' ORDER BY tc.table_name");
    assertEquals(2, checks.size(), checks.toString());
    assertTrue(checks.get(0).startsWith("customers CHECK ") && checks.get(0).contains("credit"), checks.toString());
    assertTrue(checks.get(1).startsWith("orders CHECK ") && checks.get(1).contains("qty"), checks.toString());
    assertEquals(List.of("qty_positive"), rows("SELECT constraint_name FROM information_schema.table_constraints "
        + "WHERE table_name = 'orders' AND constraint_type = 'CHECK'"));
  }

  @Test
  void aFullCrawlFindsWhatWasCreated() throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    List<String> types = column(meta.getTableTypes(), "TABLE_TYPE");
    Map<String, String> tables = new TreeMap<>();
    try (ResultSet rs = meta.getTables(null, "public", "%", types.toArray(String[]::new))) {
      while (rs.next()) {
        tables.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
      }
    }
    assertEquals(Map.of("customers", "TABLE", "orders", "TABLE", "big_orders", "VIEW", "renamed", "VIEW"), tables);

    assertEquals(List.of("id"), column(meta.getPrimaryKeys(null, "public", "orders"), "COLUMN_NAME"));
    List<String> indexes = new ArrayList<>();
    try (ResultSet rs = meta.getIndexInfo(null, "public", "orders", false, true)) {
      while (rs.next()) {
        indexes.add(rs.getString("INDEX_NAME") + " " + rs.getString("COLUMN_NAME") + " " + rs.getString("ASC_OR_DESC"));
      }
    }
    assertTrue(indexes.contains("orders_pkey id A") && indexes.contains("orders_by_placed placed D"),
        indexes.toString());
    try (ResultSet rs = meta.getImportedKeys(null, "public", "orders")) {
      assertTrue(rs.next());
      assertEquals("customers", rs.getString("PKTABLE_NAME"));
      assertEquals("customer_id", rs.getString("FKCOLUMN_NAME"));
    }
    try (ResultSet rs = meta.getCrossReference(null, "public", "customers", null, "public", "orders")) {
      assertTrue(rs.next());
      assertEquals("customer_id", rs.getString("FKCOLUMN_NAME"));
      assertFalse(rs.next());
    }
    assertTrue(column(meta.getCrossReference(null, "public", "orders", null, "public", "customers"), "FK_NAME")
        .isEmpty());
    // Views have no keys or indexes, and asking is not an error.
    assertTrue(column(meta.getPrimaryKeys(null, "public", "big_orders"), "COLUMN_NAME").isEmpty());
    assertTrue(column(meta.getIndexInfo(null, "public", "big_orders", false, true), "INDEX_NAME").isEmpty());
    // What a crawl asks besides, answered with empty results rather than errors.
    column(meta.getProcedures(null, "public", "%"), "PROCEDURE_NAME");
    column(meta.getUDTs(null, "public", "%", null), "TYPE_NAME");
    column(meta.getFunctions(null, "public", "%"), "FUNCTION_NAME");
    assertFalse(column(meta.getTypeInfo(), "TYPE_NAME").isEmpty());

    List<String> definitions = rows("SELECT table_name, view_definition FROM information_schema.views "
        + "ORDER BY table_name");
    assertEquals(2, definitions.size());
    assertTrue(definitions.get(0).startsWith("big_orders ") && definitions.get(0).contains("\"qty\" > 10"),
        definitions.toString());
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int width = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= width; i++) {
          row.append(i > 1 ? " " : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> values = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        values.add(rs.getString(name));
      }
    }
    return values;
  }
}
