package io.shaledb.demo;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shop's web pages and form endpoints on Javalin. Every POST must carry the session's CSRF token; every
 * parameter is validated before anything is read or written; every refusal is a page with a clear message and
 * a 4xx status.
 */
final class ShopWeb {
  /** Marks a request whose handler wrote a page itself, so that the 404 page does not replace it. */
  private static final String PAGE_SHOWN = "shop.pageShown";
  private static final Logger LOG = Logger.getLogger(ShopWeb.class.getName());
  private static final int REQUEST_BYTES_MAX = 64 * 1024;
  private static final int SESSION_IDLE_SECONDS = 30 * 60;
  private static final String SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
      + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** The POST carried no CSRF token, or the wrong one. */
  private static final class CsrfRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private final Catalog catalog;
  private final Accounts accounts;
  private final Checkout checkout;
  private final Orders orders;
  private final SecureRandom random;

  ShopWeb(Catalog catalog, Accounts accounts, Checkout checkout, Orders orders, SecureRandom random) {
    this.catalog = catalog;
    this.accounts = accounts;
    this.checkout = checkout;
    this.orders = orders;
    this.random = random;
  }

  /** Starts serving on {@code host}:{@code port} (0: a free port; {@link Javalin#port()} tells which). */
  Javalin start(String host, int port) {
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = REQUEST_BYTES_MAX;
      config.staticFiles.add(files -> {
        files.hostedPath = "/static";
        files.directory = "/static";
        files.location = Location.CLASSPATH;
      });
      config.jetty.modifyServletContextHandler(handler -> {
        handler.getSessionHandler().setMaxInactiveInterval(SESSION_IDLE_SECONDS);
        handler.getSessionHandler().setSessionCookie("SHOP_SESSION");
      });
    });
    app.before(this::secure);
    app.get("/", this::productList);
    app.get("/products/{id}", this::product);
    app.get("/signup", ctx -> page(ctx, Views.signUp(frame(ctx, true), "", "", null)));
    app.post("/signup", this::signUp);
    app.get("/signin", ctx -> page(ctx, Views.signIn(frame(ctx, true), "", null)));
    app.post("/signin", this::signIn);
    app.post("/signout", this::signOut);
    app.get("/cart", ctx -> page(ctx, Views.cart(frame(ctx, true), cartLines(session(ctx).cart()), null)));
    app.post("/cart/add", this::addToCart);
    app.post("/cart/update", this::updateCart);
    app.post("/cart/remove", this::removeFromCart);
    app.post("/checkout", this::checkout);
    app.get("/orders", this::orderHistory);
    app.get("/admin", this::admin);
    app.exception(CsrfRejected.class, (e, ctx) -> refuse(ctx, HttpStatus.FORBIDDEN, "Form expired",
        "This form's security token is missing or wrong (the page may be old, or the form came from another "
            + "site). Nothing was changed; reload the page and try again."));
    app.exception(InvalidInputException.class, (e, ctx) -> refuse(ctx, HttpStatus.BAD_REQUEST, "Not accepted",
        e.getMessage() + " Nothing was changed."));
    app.exception(SQLException.class, (e, ctx) -> {
      LOG.log(Level.WARNING, "database error on " + ctx.method() + " " + ctx.path(), e);
      refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "Database error",
          "The database could not answer (SQLSTATE " + e.getSQLState() + "). Your request was not completed; "
              + "try again.");
    });
    app.exception(InterruptedException.class, (e, ctx) -> {
      Thread.currentThread().interrupt();
      refuse(ctx, HttpStatus.SERVICE_UNAVAILABLE, "Shutting down", "The shop is shutting down; try again soon.");
    });
    app.exception(Exception.class, (e, ctx) -> {
      LOG.log(Level.SEVERE, "failed: " + ctx.method() + " " + ctx.path(), e);
      refuse(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "Server error",
          "The shop failed to answer this request; try again.");
    });
    app.error(HttpStatus.NOT_FOUND, ctx -> {
      if (ctx.attribute(PAGE_SHOWN) == null) {
        page(ctx, Views.message(frame(ctx, false), "Not found", "There is no page at " + ctx.path() + "."));
      }
    });
    return app.start(host, port);
  }

  /** Security headers on every answer, and the CSRF check on every POST, before its handler runs. */
  private void secure(Context ctx) {
    ctx.header("Content-Security-Policy", SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
    if (ctx.method() == HandlerType.POST && !session(ctx).csrfMatches(ctx.formParam(WebSession.CSRF_FIELD))) {
      throw new CsrfRejected();
    }
  }

  private void productList(Context ctx) throws SQLException {
    Catalog.SearchPage found = catalog.search(ctx.queryParam("q"), FormInput.page(ctx.queryParam("page")));
    page(ctx, Views.productList(frame(ctx, false), found));
  }

  private void product(Context ctx) throws SQLException {
    int id = FormInput.productId(ctx.pathParam("id"));
    Optional<Product> product = catalog.find(id);
    if (product.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND);
      page(ctx, Views.message(frame(ctx, false), "Not found", "The shop has no product with id " + id + "."));
      return;
    }
    page(ctx, Views.product(frame(ctx, true), product.get()));
  }

  private void signUp(Context ctx) throws SQLException {
    String username = ctx.formParam("username");
    String email = ctx.formParam("email");
    Accounts.SignUp outcome = accounts.signUp(username, email, ctx.formParam("password"));
    if (outcome instanceof Accounts.SignUp.Rejected) {
      ctx.status(HttpStatus.BAD_REQUEST);
      page(ctx, Views.signUp(frame(ctx, true), username, email, ((Accounts.SignUp.Rejected) outcome).message()));
      return;
    }
    SignedIn user = ((Accounts.SignUp.Created) outcome).user();
    WebSession session = session(ctx);
    session.signIn(user);
    session.notice("Welcome, " + user.username() + "! Your account is ready.");
    ctx.redirect(session.cart().isEmpty() ? "/" : "/cart", HttpStatus.SEE_OTHER);
  }

  private void signIn(Context ctx) throws SQLException {
    String username = ctx.formParam("username");
    Optional<SignedIn> user = accounts.signIn(username, ctx.formParam("password"));
    if (user.isEmpty()) {
      ctx.status(HttpStatus.UNAUTHORIZED);
      page(ctx, Views.signIn(frame(ctx, true), username, "Wrong username or password."));
      return;
    }
    WebSession session = session(ctx);
    session.signIn(user.get());
    session.notice("Signed in as " + user.get().username() + ".");
    ctx.redirect(session.cart().isEmpty() ? "/" : "/cart", HttpStatus.SEE_OTHER);
  }

  private void signOut(Context ctx) {
    session(ctx).signOut();
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private void addToCart(Context ctx) throws SQLException {
    int productId = FormInput.productId(ctx.formParam("product_id"));
    int quantity = FormInput.quantity(ctx.formParam("quantity"));
    Product product = existing(productId);
    WebSession session = session(ctx);
    Cart cart = session.cart().plus(productId, quantity);
    checkStock(product, cart.quantities().get(productId));
    session.cart(cart);
    session.notice("Added " + quantity + " × " + product.name() + " to your cart.");
    ctx.redirect("/cart", HttpStatus.SEE_OTHER);
  }

  private void updateCart(Context ctx) throws SQLException {
    int productId = FormInput.productId(ctx.formParam("product_id"));
    int quantity = FormInput.quantity(ctx.formParam("quantity"));
    WebSession session = session(ctx);
    if (!session.cart().quantities().containsKey(productId)) {
      throw new InvalidInputException("Product " + productId + " is not in your cart.");
    }
    Product product = existing(productId);
    checkStock(product, quantity);
    session.cart(session.cart().with(productId, quantity));
    session.notice("Your cart now has " + quantity + " × " + product.name() + ".");
    ctx.redirect("/cart", HttpStatus.SEE_OTHER);
  }

  private void removeFromCart(Context ctx) {
    int productId = FormInput.productId(ctx.formParam("product_id"));
    WebSession session = session(ctx);
    if (!session.cart().quantities().containsKey(productId)) {
      throw new InvalidInputException("Product " + productId + " is not in your cart.");
    }
    session.cart(session.cart().without(productId));
    ctx.redirect("/cart", HttpStatus.SEE_OTHER);
  }

  private void checkout(Context ctx) throws SQLException, InterruptedException {
    WebSession session = session(ctx);
    Optional<SignedIn> user = session.user();
    if (user.isEmpty()) {
      session.notice("Sign in to place your order; your cart is kept.");
      ctx.redirect("/signin", HttpStatus.SEE_OTHER);
      return;
    }
    Cart cart = session.cart();
    CheckoutResult result = checkout.place(user.get().userId(), cart);
    if (result instanceof CheckoutResult.Placed) {
      CheckoutResult.Placed placed = (CheckoutResult.Placed) result;
      session.cart(Cart.EMPTY);
      session.notice("Thank you! Order #" + placed.orderId() + " is placed, total " + Money.format(placed.total())
          + ".");
      ctx.redirect("/orders", HttpStatus.SEE_OTHER);
      return;
    }
    String message;
    HttpStatus status;
    if (result instanceof CheckoutResult.OutOfStock) {
      message = ((CheckoutResult.OutOfStock) result).message();
      status = HttpStatus.CONFLICT;
    } else if (result instanceof CheckoutResult.UnknownProduct) {
      message = ((CheckoutResult.UnknownProduct) result).message();
      status = HttpStatus.CONFLICT;
    } else if (result instanceof CheckoutResult.Busy) {
      message = ((CheckoutResult.Busy) result).message();
      status = HttpStatus.SERVICE_UNAVAILABLE;
    } else {
      message = ((CheckoutResult.EmptyCart) result).message();
      status = HttpStatus.BAD_REQUEST;
    }
    ctx.status(status);
    page(ctx, Views.cart(frame(ctx, true), cartLines(cart), message));
  }

  private void orderHistory(Context ctx) throws SQLException {
    Optional<SignedIn> user = session(ctx).user();
    if (user.isEmpty()) {
      ctx.redirect("/signin", HttpStatus.SEE_OTHER);
      return;
    }
    page(ctx, Views.orders(frame(ctx, true), orders.history(user.get().userId())));
  }

  private void admin(Context ctx) throws SQLException {
    Optional<SignedIn> user = session(ctx).user();
    if (user.isEmpty()) {
      ctx.redirect("/signin", HttpStatus.SEE_OTHER);
      return;
    }
    if (!user.get().admin()) {
      refuse(ctx, HttpStatus.FORBIDDEN, "Admins only", "The admin page is for the shop's admin.");
      return;
    }
    page(ctx, Views.admin(frame(ctx, true), orders.revenueByProduct()));
  }

  private Product existing(int productId) throws SQLException {
    return catalog.find(productId).orElseThrow(
        () -> new InvalidInputException("The shop has no product with id " + productId + "."));
  }

  private static void checkStock(Product product, int wanted) {
    if (product.stock() == 0) {
      throw new InvalidInputException("Sorry, " + product.name() + " is out of stock.");
    }
    if (wanted > product.stock()) {
      throw new InvalidInputException("Only " + product.stock() + " of " + product.name() + " left in stock.");
    }
  }

  private List<Views.CartLine> cartLines(Cart cart) throws SQLException {
    List<Views.CartLine> lines = new ArrayList<>();
    for (Map.Entry<Integer, Integer> entry : cart.quantities().entrySet()) {
      lines.add(new Views.CartLine(entry.getKey(), catalog.find(entry.getKey()).orElse(null), entry.getValue()));
    }
    return lines;
  }

  private void refuse(Context ctx, HttpStatus status, String title, String message) {
    ctx.status(status);
    page(ctx, Views.message(frame(ctx, false), title, message));
  }

  /**
   * The page frame; {@code withForms} when the page has forms, which need the session's CSRF token (and so a
   * session). Pages without forms start no session.
   */
  private Views.Frame frame(Context ctx, boolean withForms) {
    WebSession session = session(ctx);
    String token = withForms ? session.csrfToken() : session.existingCsrfToken().orElse(null);
    String search = ctx.queryParam("q");
    return new Views.Frame(session.user().orElse(null), session.cart().items(), token,
        session.takeNotice().orElse(null), search == null ? "" : search);
  }

  private WebSession session(Context ctx) {
    return new WebSession(ctx, random);
  }

  private static void page(Context ctx, Html html) {
    ctx.attribute(PAGE_SHOWN, Boolean.TRUE);
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }
}
