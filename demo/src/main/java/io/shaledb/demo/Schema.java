package io.shaledb.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The shop's tables: the seed's users, products and orders, with what a real shop needs added (password hashes,
 * stock, order lines). Created when missing; when present they must have the shop's columns.
 */
final class Schema {
  /** A table: how to create it, and the columns the shop reads from it. */
  private record Table(String name, String create, String columns) {}

  private static final List<Table> TABLES = List.of(
      new Table("users", "CREATE TABLE IF NOT EXISTS users (id INT AUTO_INCREMENT PRIMARY KEY, "
          + "username VARCHAR(20) NOT NULL UNIQUE, password_hash VARCHAR(200) NOT NULL, email VARCHAR(100) NOT NULL, "
          + "is_admin BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL)",
          "id, username, password_hash, email, is_admin, created_at"),
      new Table("products", "CREATE TABLE IF NOT EXISTS products (id INT AUTO_INCREMENT PRIMARY KEY, "
          + "name VARCHAR(50) NOT NULL, price DECIMAL(10,2) NOT NULL, description TEXT, stock INT NOT NULL, "
          + "created_at TIMESTAMP NOT NULL, CHECK (price >= 0), CHECK (stock >= 0))",
          "id, name, price, description, stock, created_at"),
      new Table("orders", "CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY, user_id INT NOT NULL, "
          + "total DECIMAL(12,2) NOT NULL, created_at TIMESTAMP NOT NULL, FOREIGN KEY (user_id) REFERENCES users (id))",
          "id, user_id, total, created_at"),
      new Table("order_lines", "CREATE TABLE IF NOT EXISTS order_lines (order_id BIGINT NOT NULL, "
          + "product_id INT NOT NULL, quantity INT NOT NULL, unit_price DECIMAL(10,2) NOT NULL, "
          + "PRIMARY KEY (order_id, product_id), FOREIGN KEY (order_id) REFERENCES orders (id), "
          + "FOREIGN KEY (product_id) REFERENCES products (id), CHECK (quantity > 0))",
          "order_id, product_id, quantity, unit_price"));

  private Schema() {}

  /**
   * Creates the missing tables and checks that existing ones have the shop's columns.
   *
   * @throws IllegalStateException naming the table when a table of that name is not the shop's (for example
   *     the seed's own {@code users} with a 20-character plain {@code password})
   */
  static void ensure(DataSource database) throws SQLException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      for (Table table : TABLES) {
        s.execute(table.create());
        try {
          s.executeQuery("SELECT " + table.columns() + " FROM " + table.name() + " WHERE 1 = 0").close();
        } catch (SQLException e) {
          throw new IllegalStateException("The database already has a table " + table.name()
              + " that is not the shop's (" + e.getMessage() + "). Give the shop a database of its own (--url).", e);
        }
      }
    }
  }
}
