package io.shaledb.demo;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shop's pages as HTML. Every value from a request or the database goes through {@link Html}, which escapes
 * it; pages carry no script.
 */
final class Views {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");
  private static final int CHART_BARS_MAX = 12;

  /**
   * What every page shows around its content: who is signed in, how full the cart is, the session's CSRF token
   * (null before the session has one; then the page shows no sign-out form), a one-time notice, and the search
   * text to keep in the search box.
   */
  record Frame(SignedIn user, int cartItems, String csrfToken, String notice, String searchText) {}

  /** A cart line with its product, or a null product when the shop does not have it. */
  record CartLine(int productId, Product product, int quantity) {
    BigDecimal lineTotal() {
      return product == null ? BigDecimal.ZERO : product.price().multiply(BigDecimal.valueOf(quantity));
    }
  }

  private Views() {}

  static Html productList(Frame frame, Catalog.SearchPage page) {
    String query = page.query();
    Html heading = query.isEmpty() ? Html.of("<h1>All products</h1>")
        : Html.of("<h1>Products matching “%s”</h1>", query);
    Html summary = page.matches() == 0 ? Html.of("<p class=\"empty\">No products match “%s”.</p>", query)
        : Html.of("<p>%s products</p>", page.matches());
    Html cards = page.products().stream().map(p -> Html.of(
        "<li class=\"card\"><a href=\"/products/%s\">%s</a><div class=\"price\">%s</div>%s</li>",
        p.id(), p.name(), Money.format(p.price()), stock(p))).collect(Html.joining());
    String base = query.isEmpty() ? "/?page=" : "/?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&page=";
    Html previous = page.page() > 1 ? Html.of("<a rel=\"prev\" href=\"%s\">← Previous</a>", base + (page.page() - 1))
        : Html.EMPTY;
    Html next = page.page() < page.pages() ? Html.of("<a rel=\"next\" href=\"%s\">Next →</a>", base + (page.page() + 1))
        : Html.EMPTY;
    Html paging = page.pages() > 1
        ? Html.of("<div class=\"paging\">%s<span>Page %s of %s</span>%s</div>", previous, page.page(), page.pages(), next)
        : Html.EMPTY;
    return layout(frame, "Products", Html.of("%s%s<ul class=\"grid\" id=\"products\">%s</ul>%s",
        heading, summary, cards, paging));
  }

  static Html product(Frame frame, Product p) {
    Html form = p.stock() == 0 ? Html.of("<p><button disabled>Out of stock</button></p>")
        : Html.of("""
            <form method="post" action="/cart/add">%s
              <input type="hidden" name="product_id" value="%s">
              <label for="quantity">Quantity</label>
              <input type="number" id="quantity" name="quantity" value="1" min="1" max="%s" required>
              <button class="primary" id="add-to-cart">Add to cart</button>
            </form>""", csrf(frame), p.id(), Math.min(Cart.QUANTITY_MAX, p.stock()));
    return layout(frame, p.name(), Html.of("""
        <h1>%s</h1><p class="price">%s</p><p>%s</p>%s%s<p><a href="/">Back to all products</a></p>""",
        p.name(), Money.format(p.price()), p.description() == null ? "" : p.description(), stock(p), form));
  }

  static Html signUp(Frame frame, String username, String email, String error) {
    return layout(frame, "Sign up", Html.of("""
        <h1>Sign up</h1>%s
        <form method="post" action="/signup">%s
          <label for="username">Username</label>
          <input type="text" id="username" name="username" value="%s" maxlength="20" required autocomplete="username">
          <label for="email">Email</label>
          <input type="email" id="email" name="email" value="%s" maxlength="100" required autocomplete="email">
          <label for="password">Password (at least %s characters)</label>
          <input type="password" id="password" name="password" minlength="%s" maxlength="%s" required
                 autocomplete="new-password">
          <p><button class="primary" id="sign-up">Create account</button></p>
        </form>
        <p>Have an account? <a href="/signin">Sign in</a>.</p>""",
        error(error), csrf(frame), username, email, Accounts.PASSWORD_LENGTH_MIN, Accounts.PASSWORD_LENGTH_MIN,
        Accounts.PASSWORD_LENGTH_MAX));
  }

  static Html signIn(Frame frame, String username, String error) {
    return layout(frame, "Sign in", Html.of("""
        <h1>Sign in</h1>%s
        <form method="post" action="/signin">%s
          <label for="username">Username</label>
          <input type="text" id="username" name="username" value="%s" maxlength="20" required autocomplete="username">
          <label for="password">Password</label>
          <input type="password" id="password" name="password" required autocomplete="current-password">
          <p><button class="primary" id="sign-in">Sign in</button></p>
        </form>
        <p>New here? <a href="/signup">Sign up</a>.</p>""", error(error), csrf(frame), username));
  }

  static Html cart(Frame frame, List<CartLine> lines, String error) {
    if (lines.isEmpty()) {
      return layout(frame, "Cart", Html.of("<h1>Your cart</h1>%s<p>Your cart is empty. <a href=\"/\">Browse the "
          + "products</a>.</p>", error(error)));
    }
    Html rows = lines.stream().map(line -> {
      Html name = line.product() == null ? Html.of("Product %s (no longer sold)", line.productId())
          : Html.of("<a href=\"/products/%s\">%s</a>", line.productId(), line.product().name());
      Html price = line.product() == null ? Html.EMPTY : Html.text(Money.format(line.product().price()));
      return Html.of("""
          <tr><td>%s</td><td class="num">%s</td>
            <td><form class="inline" method="post" action="/cart/update">%s
              <input type="hidden" name="product_id" value="%s">
              <input type="number" name="quantity" value="%s" min="1" max="%s" aria-label="Quantity">
              <button>Update</button></form></td>
            <td class="num">%s</td>
            <td><form class="inline" method="post" action="/cart/remove">%s
              <input type="hidden" name="product_id" value="%s"><button>Remove</button></form></td></tr>""",
          name, price, csrf(frame), line.productId(), line.quantity(), Cart.QUANTITY_MAX,
          Money.format(line.lineTotal()), csrf(frame), line.productId());
    }).collect(Html.joining());
    BigDecimal total = lines.stream().map(CartLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    Html checkout = frame.user() == null
        ? Html.of("<p><a href=\"/signin\">Sign in</a> or <a href=\"/signup\">sign up</a> to check out.</p>")
        : Html.of("<form method=\"post\" action=\"/checkout\">%s<button class=\"primary\" id=\"checkout\">Place order"
            + "</button></form>", csrf(frame));
    return layout(frame, "Cart", Html.of("""
        <h1>Your cart</h1>%s
        <table id="cart"><thead><tr><th>Product</th><th class="num">Price</th><th>Quantity</th>
          <th class="num">Total</th><th></th></tr></thead><tbody>%s</tbody>
          <tfoot><tr><th colspan="3">Total</th><th class="num" id="cart-total">%s</th><th></th></tr></tfoot></table>
        <p>Prices and stock are checked again when you place the order.</p>%s""",
        error(error), rows, Money.format(total), checkout));
  }

  static Html orders(Frame frame, List<Orders.Order> orders) {
    Html list = orders.isEmpty() ? Html.of("<p>You have not ordered anything yet.</p>")
        : orders.stream().map(order -> Html.of("""
            <section class="order" id="order-%s"><h2>Order #%s</h2><p>%s · total %s</p>
            <table><thead><tr><th>Product</th><th class="num">Quantity</th><th class="num">Price</th></tr></thead>
            <tbody>%s</tbody></table></section>""",
            order.id(), order.id(), WHEN.format(order.createdAt()), Money.format(order.total()),
            order.lines().stream().map(line -> Html.of(
                "<tr><td><a href=\"/products/%s\">%s</a></td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>",
                line.productId(), line.productName(), line.quantity(), Money.format(line.unitPrice())))
                .collect(Html.joining()))).collect(Html.joining());
    return layout(frame, "Your orders", Html.of("<h1>Your orders</h1>%s", list));
  }

  static Html admin(Frame frame, List<Orders.ProductRevenue> revenue) {
    BigDecimal total = revenue.stream().map(Orders.ProductRevenue::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
    long units = revenue.stream().mapToLong(Orders.ProductRevenue::unitsSold).sum();
    List<BarChart.Bar> bars = revenue.stream().filter(r -> r.revenue().signum() > 0).limit(CHART_BARS_MAX)
        .map(r -> new BarChart.Bar(r.name(), r.revenue())).collect(Collectors.toList());
    Html rows = revenue.stream().map(r -> Html.of(
        "<tr><td><a href=\"/products/%s\">%s</a></td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
            + "<td class=\"num\">%s</td></tr>",
        r.productId(), r.name(), r.unitsSold(), Money.format(r.revenue()), r.stock())).collect(Html.joining());
    return layout(frame, "Admin", Html.of("""
        <h1>Revenue per product</h1>
        <p>%s units sold, %s in all.</p>
        <h2>Top %s products by revenue</h2>%s
        <table id="revenue"><thead><tr><th>Product</th><th class="num">Units sold</th><th class="num">Revenue</th>
          <th class="num">Stock</th></tr></thead><tbody>%s</tbody></table>""",
        units, Money.format(total), bars.size(), BarChart.svg("Revenue per product", bars), rows));
  }

  /** A page that only says something, e.g. why a request was refused. */
  static Html message(Frame frame, String title, String message) {
    return layout(frame, title, Html.of("<h1>%s</h1><p class=\"error\" role=\"alert\">%s</p>"
        + "<p><a href=\"/\">Back to the shop</a></p>", title, message));
  }

  private static Html layout(Frame frame, String title, Html content) {
    Html account;
    if (frame.user() == null) {
      account = Html.of("<a href=\"/signin\">Sign in</a><a href=\"/signup\">Sign up</a>");
    } else {
      Html admin = frame.user().admin() ? Html.of("<a href=\"/admin\">Admin</a>") : Html.EMPTY;
      Html signOut = frame.csrfToken() == null ? Html.EMPTY
          : Html.of("<form method=\"post\" action=\"/signout\">%s<button id=\"sign-out\">Sign out</button></form>",
              csrf(frame));
      account = Html.of("<a href=\"/orders\">Orders</a>%s<span id=\"signed-in-as\">%s</span>%s",
          admin, frame.user().username(), signOut);
    }
    Html notice = frame.notice() == null ? Html.EMPTY
        : Html.of("<p class=\"notice\" role=\"status\">%s</p>", frame.notice());
    return Html.of("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s · ShaleDB shop</title><link rel="stylesheet" href="/static/shop.css"></head>
        <body><header><a class="brand" href="/">ShaleDB shop</a>
        <form class="search" action="/" method="get"><input type="search" name="q" value="%s" maxlength="%s"
          placeholder="Search products" aria-label="Search products"><button id="search">Search</button></form>
        <nav><a href="/cart" id="cart-link">Cart (%s)</a>%s</nav></header>
        <main>%s%s</main>
        <footer>A demo of ShaleDB: pages by Javalin, data through JDBC and HikariCP.</footer></body></html>
        """, title, frame.searchText(), Catalog.SEARCH_LENGTH_MAX, frame.cartItems(), account, notice, content);
  }

  private static Html stock(Product p) {
    return p.stock() == 0 ? Html.of("<div class=\"stock out\">Out of stock</div>")
        : Html.of("<div class=\"stock\">In stock: <span class=\"stock-count\">%s</span></div>", p.stock());
  }

  private static Html csrf(Frame frame) {
    return Html.of("<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", frame.csrfToken());
  }

  private static Html error(String error) {
    return error == null ? Html.EMPTY : Html.of("<p class=\"error\" role=\"alert\">%s</p>", error);
  }
}
