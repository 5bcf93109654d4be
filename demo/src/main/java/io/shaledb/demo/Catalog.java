package io.shaledb.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads products: search with paging, and one product. */
final class Catalog {
  static final int PAGE_SIZE = 12;
  static final int SEARCH_LENGTH_MAX = 100;
  private static final String MATCHES = " FROM products WHERE LOWER(name) LIKE ? ESCAPE '\\' "
      + "OR LOWER(COALESCE(description, '')) LIKE ? ESCAPE '\\'";

  /**
   * One page of a search.
   *
   * @param page 1-based, at most {@code pages}
   * @param pages at least 1, also when nothing matches
   */
  record SearchPage(String query, List<Product> products, int page, int pages, long matches) {}

  private final DataSource database;

  Catalog(DataSource database) {
    this.database = database;
  }

  /**
   * Products whose name or description contains {@code query} (any case; blank matches all), ordered by name,
   * page {@code page} (1-based); a page past the last gives the last.
   */
  SearchPage search(String query, int page) throws SQLException {
    String text = query == null ? "" : query.trim();
    if (text.length() > SEARCH_LENGTH_MAX) {
      throw new InvalidInputException("Search for at most " + SEARCH_LENGTH_MAX + " characters.");
    }
    if (page < 1) {
      throw new InvalidInputException("Pages are numbered from 1.");
    }
    String pattern = "%" + likeEscaped(text.toLowerCase(Locale.ROOT)) + "%";
    try (Connection c = database.getConnection()) {
      long matches;
      try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*)" + MATCHES)) {
        count.setString(1, pattern);
        count.setString(2, pattern);
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          matches = rs.getLong(1);
        }
      }
      int pages = (int) Math.max(1, (matches + PAGE_SIZE - 1) / PAGE_SIZE);
      int shown = Math.min(page, pages);
      List<Product> products = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT id, name, price, description, stock" + MATCHES
          + " ORDER BY name, id LIMIT ? OFFSET ?")) {
        select.setString(1, pattern);
        select.setString(2, pattern);
        select.setInt(3, PAGE_SIZE);
        select.setInt(4, (shown - 1) * PAGE_SIZE);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            products.add(product(rs));
          }
        }
      }
      return new SearchPage(text, products, shown, pages, matches);
    }
  }

  /** The product with this id, if there is one. */
  Optional<Product> find(int id) throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT id, name, price, description, stock FROM products WHERE id = ?")) {
      select.setInt(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(product(rs)) : Optional.empty();
      }
    }
  }

  private static Product product(ResultSet rs) throws SQLException {
    return new Product(rs.getInt(1), rs.getString(2), rs.getBigDecimal(3), rs.getString(4), rs.getInt(5));
  }

  /** {@code text} with LIKE's wildcards and the escape character made literal. */
  static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
