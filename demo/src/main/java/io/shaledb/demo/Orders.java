package io.shaledb.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads placed orders: a customer's history and the admin's revenue figures. */
final class Orders {
  static final int HISTORY_MAX = 50;

  /** One product of an order, at the price it was sold for. */
  record Line(int productId, String productName, int quantity, BigDecimal unitPrice) {}

  /** An order; {@code createdAt} is in UTC. */
  record Order(long id, LocalDateTime createdAt, BigDecimal total, List<Line> lines) {}

  /** What one product has sold, and the stock it has left. */
  record ProductRevenue(int productId, String name, int stock, long unitsSold, BigDecimal revenue) {}

  private final DataSource database;

  Orders(DataSource database) {
    this.database = database;
  }

  /** The user's newest {@value #HISTORY_MAX} orders, newest first, each with its lines by product name. */
  List<Order> history(int userId) throws SQLException {
    Map<Long, Order> orders = new LinkedHashMap<>();
    try (Connection c = database.getConnection();
        PreparedStatement select = c.prepareStatement("SELECT o.id, o.created_at, o.total, l.product_id, p.name, "
            + "l.quantity, l.unit_price FROM orders o JOIN order_lines l ON l.order_id = o.id "
            + "JOIN products p ON p.id = l.product_id WHERE o.user_id = ? "
            + "ORDER BY o.created_at DESC, o.id DESC, p.name")) {
      select.setInt(1, userId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          Order order = orders.get(id);
          if (order == null) {
            if (orders.size() == HISTORY_MAX) {
              break;
            }
            order = new Order(id, rs.getTimestamp(2).toLocalDateTime(), rs.getBigDecimal(3), new ArrayList<>());
            orders.put(id, order);
          }
          order.lines().add(new Line(rs.getInt(4), rs.getString(5), rs.getInt(6), rs.getBigDecimal(7)));
        }
      }
    }
    return List.copyOf(orders.values());
  }

  /** Every product with its units sold and revenue, the best-selling (by revenue) first. */
  List<ProductRevenue> revenueByProduct() throws SQLException {
    List<ProductRevenue> result = new ArrayList<>();
    try (Connection c = database.getConnection(); Statement s = c.createStatement();
        // SUM without COALESCE: the engine's planner trips over COALESCE(SUM(int), 0) when Java assertions are
        // on (ProjectAggregateMergeRule: BIGINT NOT NULL vs BIGINT), so products never sold get NULLs here.
        ResultSet rs = s.executeQuery("SELECT p.id, p.name, p.stock, SUM(l.quantity) AS units, "
            + "SUM(l.quantity * l.unit_price) AS revenue FROM products p "
            + "LEFT JOIN order_lines l ON l.product_id = p.id GROUP BY p.id, p.name, p.stock "
            + "ORDER BY revenue DESC NULLS LAST, p.name")) {
      while (rs.next()) {
        BigDecimal revenue = rs.getBigDecimal(5);
        result.add(new ProductRevenue(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
            revenue == null ? BigDecimal.ZERO : revenue));
      }
    }
    return result;
  }
}
