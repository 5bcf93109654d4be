package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the remote driver the way DBeaver and similar tools do: connect, read the database's
 * capabilities, list schemas, tables and views, read columns, keys and indexes, open a table's data,
 * edit a row and commit. Every metadata result must have typed columns (never NULL) so tools can read
 * them.
 */
class DatabaseToolIT {
  @TempDir
  Path data;
  private ShaleServer server;
  private String url;

  @BeforeEach
  void start() throws SQLException {
    server = ShaleServer.start(new ServerConfig("127.0.0.1", 0, -1, data, 50, 1 << 20, Duration.ofMinutes(5), 16),
        RequestAuthenticator.ALLOW_ALL, Clock.systemUTC());
    url = "jdbc:shaledb://127.0.0.1:" + server.port();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, email TEXT UNIQUE)");
      s.execute("CREATE TABLE order_items (order_id INT, line INT, customer_id INT NOT NULL REFERENCES customers (id), "
          + "qty INT DEFAULT 1, price DECIMAL(10,2), PRIMARY KEY (order_id, line))");
      s.execute("CREATE TABLE orderXitems (id INT PRIMARY KEY)");
      // A foreign key to a UNIQUE constraint rather than to the primary key.
      s.execute("CREATE TABLE invoices (id INT PRIMARY KEY, billed_to TEXT REFERENCES customers (email))");
      s.execute("CREATE INDEX customers_by_name ON customers (name DESC, email)");
      s.execute("CREATE VIEW big_orders AS SELECT order_id, qty FROM order_items WHERE qty > 1");
      s.execute("INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL)");
      s.execute("INSERT INTO order_items VALUES (10, 1, 1, 2, 9.50), (10, 2, 1, 1, 3.25), (11, 1, 2, 5, 1.00)");
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void browseAndEditLikeADatabaseTool() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      DatabaseMetaData meta = c.getMetaData();
      assertEquals("ShaleDB", meta.getDatabaseProductName());
      assertEquals("ShaleDB JDBC Driver", meta.getDriverName());
      assertEquals("\"", meta.getIdentifierQuoteString());
      assertTrue(meta.supportsTransactions());
      assertTrue(meta.storesLowerCaseIdentifiers());
      assertEquals(java.sql.Connection.TRANSACTION_REPEATABLE_READ, meta.getDefaultTransactionIsolation());
      assertEquals("\\", meta.getSearchStringEscape());
      assertFalse(meta.getSQLKeywords().isEmpty());

      assertTrue(column(() -> meta.getCatalogs(), "TABLE_CAT").isEmpty());
      assertEquals(List.of("public"), column(() -> meta.getSchemas(), "TABLE_SCHEM"));
      assertEquals(List.of("public"), column(() -> meta.getSchemas(null, "pub%"), "TABLE_SCHEM"));
      assertEquals(List.of("TABLE", "VIEW"), column(() -> meta.getTableTypes(), "TABLE_TYPE"));
      // JDBC orders by type, then name.
      assertEquals(List.of("customers", "invoices", "order_items", "orderxitems", "big_orders"),
          column(() -> meta.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"}), "TABLE_NAME"));
      assertEquals(List.of("TABLE", "TABLE", "TABLE", "TABLE", "VIEW"),
          column(() -> meta.getTables(null, "public", "%", null), "TABLE_TYPE"));
      assertEquals(List.of("big_orders"),
          column(() -> meta.getTables(null, "public", "%", new String[] {"VIEW"}), "TABLE_NAME"));
      // Tools escape the underscore wildcard in names they look up.
      assertEquals(List.of("order_items"),
          column(() -> meta.getTables(null, "public", "order\\_items", null), "TABLE_NAME"));

      try (ResultSet columns = typed(meta.getColumns(null, "public", "order\\_items", "%"))) {
        List<String> described = new ArrayList<>();
        while (columns.next()) {
          described.add(columns.getString("COLUMN_NAME") + ":" + columns.getInt("DATA_TYPE") + ":"
              + columns.getString("TYPE_NAME") + ":" + columns.getInt("NULLABLE") + ":"
              + columns.getInt("ORDINAL_POSITION") + ":" + columns.getString("IS_NULLABLE") + ":"
              + columns.getString("COLUMN_DEF"));
        }
        assertEquals(List.of(
            "order_id:" + Types.INTEGER + ":INTEGER:0:1:NO:null",
            "line:" + Types.INTEGER + ":INTEGER:0:2:NO:null",
            "customer_id:" + Types.INTEGER + ":INTEGER:0:3:NO:null",
            "qty:" + Types.INTEGER + ":INTEGER:1:4:YES:1",
            "price:" + Types.DECIMAL + ":DECIMAL:1:5:YES:null"), described);
      }
      try (ResultSet price = meta.getColumns(null, "public", "order_items", "price")) {
        assertTrue(price.next());
        assertEquals(10, price.getInt("COLUMN_SIZE"));
        assertEquals(2, price.getInt("DECIMAL_DIGITS"));
      }
      // A view's columns, typed from its query, over the wire as well.
      List<String> viewColumns = new ArrayList<>();
      try (ResultSet columns = typed(meta.getColumns(null, "public", "big_orders", "%"))) {
        while (columns.next()) {
          viewColumns.add(columns.getString("COLUMN_NAME") + ":" + columns.getInt("DATA_TYPE") + ":"
              + columns.getInt("ORDINAL_POSITION") + ":" + columns.getString("IS_NULLABLE"));
        }
      }
      assertEquals(List.of("order_id:" + Types.INTEGER + ":1:NO", "qty:" + Types.INTEGER + ":2:YES"), viewColumns);
      assertTrue(column(() -> meta.getProcedures(null, "public", "%"), "PROCEDURE_NAME").isEmpty());

      // JDBC orders primary key columns by name; KEY_SEQ gives their position in the key.
      assertEquals(List.of("line", "order_id"), column(() -> meta.getPrimaryKeys(null, "public", "order_items"),
          "COLUMN_NAME"));
      try (ResultSet keys = typed(meta.getPrimaryKeys(null, null, "order_items"))) {
        assertTrue(keys.next());
        assertEquals("line", keys.getString("COLUMN_NAME"));
        assertEquals(2, keys.getShort("KEY_SEQ"));
        assertEquals("order_items_pkey", keys.getString("PK_NAME"));
      }
      // Unique indexes first (the primary key and the UNIQUE constraint's), then the others, by name.
      try (ResultSet indexes = typed(meta.getIndexInfo(null, "public", "customers", false, true))) {
        List<String> described = new ArrayList<>();
        while (indexes.next()) {
          described.add(indexes.getString("INDEX_NAME") + ":" + indexes.getBoolean("NON_UNIQUE") + ":"
              + indexes.getShort("ORDINAL_POSITION") + ":" + indexes.getString("COLUMN_NAME") + ":"
              + indexes.getString("ASC_OR_DESC"));
        }
        assertEquals(List.of("customers_email_key:false:1:email:A", "customers_pkey:false:1:id:A",
            "customers_by_name:true:1:name:D", "customers_by_name:true:2:email:A"), described);
      }
      assertEquals(List.of("customers_email_key", "customers_pkey"),
          column(() -> meta.getIndexInfo(null, "public", "customers", true, true), "INDEX_NAME"));
      try (ResultSet imported = typed(meta.getImportedKeys(null, "public", "order_items"))) {
        assertTrue(imported.next());
        assertEquals("customers", imported.getString("PKTABLE_NAME"));
        assertEquals("id", imported.getString("PKCOLUMN_NAME"));
        assertEquals("customer_id", imported.getString("FKCOLUMN_NAME"));
        assertEquals(1, imported.getShort("KEY_SEQ"));
        assertFalse(imported.next());
      }
      try (ResultSet imported = typed(meta.getImportedKeys(null, "public", "invoices"))) {
        assertTrue(imported.next());
        assertEquals("email", imported.getString("PKCOLUMN_NAME"));
        assertEquals("billed_to", imported.getString("FKCOLUMN_NAME"));
        assertEquals("customers_email_key", imported.getString("PK_NAME"));
        assertFalse(imported.next());
      }
      assertEquals(List.of("invoices", "order_items"), column(() -> meta.getExportedKeys(null, "public", "customers"),
          "FKTABLE_NAME"));
      List<String> types = column(() -> meta.getTypeInfo(), "TYPE_NAME");
      assertTrue(types.containsAll(List.of("INTEGER", "VARCHAR", "DECIMAL", "TIMESTAMP", "BOOLEAN")), types.toString());
      assertTrue(column(() -> meta.getFunctions(null, null, "%"), "FUNCTION_NAME").isEmpty());

      // Open the table's data the way a tool writes the query: schema-qualified, quoted identifiers.
      try (Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT * FROM \"public\".\"customers\" ORDER BY \"id\"")) {
        ResultSetMetaData shape = rows.getMetaData();
        assertEquals(3, shape.getColumnCount());
        assertEquals("customers", shape.getTableName(1));
        assertTrue(rows.next());
        assertEquals("Ada", rows.getString("name"));
      }

      try (Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT order_id, qty FROM big_orders ORDER BY order_id")) {
        assertTrue(rows.next());
        assertEquals(10, rows.getInt(1));
        assertEquals(2, rows.getInt(2));
        assertTrue(rows.next());
        assertEquals(11, rows.getInt(1));
        assertFalse(rows.next());
      }

      // Tools that read information_schema instead of DatabaseMetaData get the same picture.
      try (Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT table_name, table_type FROM information_schema.tables "
              + "WHERE table_schema = 'public' ORDER BY table_name")) {
        List<String> tables = new ArrayList<>();
        while (rows.next()) {
          tables.add(rows.getString(1) + ":" + rows.getString(2));
        }
        assertEquals(List.of("big_orders:VIEW", "customers:BASE TABLE", "invoices:BASE TABLE",
            "order_items:BASE TABLE", "orderxitems:BASE TABLE"), tables);
      }
      try (PreparedStatement indexes = c.prepareStatement("SELECT index_name, column_name, sort_order "
          + "FROM information_schema.indexes WHERE table_name = ? ORDER BY index_name, ordinal_position")) {
        indexes.setString(1, "customers");
        List<String> described = new ArrayList<>();
        try (ResultSet rows = indexes.executeQuery()) {
          while (rows.next()) {
            described.add(rows.getString(1) + ":" + rows.getString(2) + ":" + rows.getString(3));
          }
        }
        assertEquals(List.of("customers_by_name:name:DESC", "customers_by_name:email:ASC",
            "customers_email_key:email:ASC"), described);
      }

      // Edit a cell in manual-commit mode, keyed by the primary key the tool found.
      c.setAutoCommit(false);
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE \"public\".\"customers\" SET \"email\" = ? WHERE \"id\" = ?")) {
        update.setString(1, "grace@example.com");
        update.setInt(2, 2);
        assertEquals(1, update.executeUpdate());
      }
      c.commit();
    }
    try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement();
        ResultSet rs = s.executeQuery("SELECT email FROM customers WHERE id = 2")) {
      assertTrue(rs.next());
      assertEquals("grace@example.com", rs.getString(1));
    }
  }

  private interface MetadataQuery {
    ResultSet run() throws SQLException;
  }

  /** The values of {@code name} in every row, checking on the way that no column is typed NULL. */
  private static List<String> column(MetadataQuery query, String name) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rs = typed(query.run())) {
      while (rs.next()) {
        values.add(rs.getString(name));
      }
    }
    return values;
  }

  private static ResultSet typed(ResultSet rs) throws SQLException {
    ResultSetMetaData shape = rs.getMetaData();
    for (int i = 1; i <= shape.getColumnCount(); i++) {
      assertNotEquals(Types.NULL, shape.getColumnType(i), shape.getColumnName(i));
    }
    return rs;
  }

}
