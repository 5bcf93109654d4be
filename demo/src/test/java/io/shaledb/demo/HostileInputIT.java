package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input from the browser is never trusted: SQL injection in every field, bad quantities, tampered product ids
 * and prices, missing or wrong CSRF tokens. Each is answered with a clear message, and the database is exactly
 * as it was (users, orders, order lines, every product's price and stock).
 */
class HostileInputIT {
  private static final List<String> INJECTIONS = List.of("' OR '1'='1", "1; DROP TABLE products; --",
      "'); DELETE FROM orders; --", "\" OR \"\"=\"", "1 UNION SELECT id, password_hash FROM users --",
      "%' AND stock = 0 --", "\\'; UPDATE products SET stock = 0; --");
  private static TestShop shop;
  private static int keyboard;
  private ShopClient visitor;

  @BeforeAll
  static void startShop() throws Exception {
    shop = TestShop.start();
    keyboard = (int) shop.number("SELECT id FROM products WHERE name = 'keyboard'");
  }

  @AfterAll
  static void stopShop() throws Exception {
    shop.close();
  }

  @BeforeEach
  void newVisitor() {
    visitor = new ShopClient(shop.baseUrl());
  }

  @Test
  void injectionInTheSearchIsJustText() throws Exception {
    String before = shop.fingerprint();
    for (String injection : INJECTIONS) {
      ShopClient.Page page = visitor.get("/?q=" + java.net.URLEncoder.encode(injection, "UTF-8"));
      assertEquals(200, page.status(), injection);
      assertTrue(page.body().contains("No products match"), injection);
      assertTrue(page.body().contains(Html.escape(injection)), "the search box keeps the text, escaped");
    }
    // LIKE's own wildcards are literal too: "%" finds only names containing "%".
    assertTrue(visitor.get("/?q=%25").body().contains("No products match"));
    assertTrue(visitor.get("/?q=_").body().contains("No products match"));
    assertEquals(before, shop.fingerprint());
  }

  @Test
  void injectionInSignUpFieldsIsRefused() throws Exception {
    String before = shop.fingerprint();
    visitor.get("/signup");
    for (String injection : INJECTIONS) {
      ShopClient.Page asName = visitor.post("/signup", Map.of("username", injection, "email", "x@example.com",
          "password", "long enough password"));
      assertEquals(400, asName.status(), injection);
      assertTrue(asName.body().contains("A username has 3 to 20 characters"), injection);
      ShopClient.Page asEmail = visitor.post("/signup", Map.of("username", "mallory2", "email", injection,
          "password", "long enough password"));
      assertEquals(400, asEmail.status(), injection);
      assertTrue(asEmail.body().contains("does not look like an email address"), injection);
    }
    assertEquals(before, shop.fingerprint());
  }

  @Test
  void injectionAsAPasswordIsStoredOnlyAsAHashAndOpensNothing() throws Exception {
    String injection = "' OR '1'='1' --";
    visitor.signUp("quoted", injection);
    assertEquals(1, shop.number("SELECT COUNT(*) FROM users WHERE username = 'quoted' "
        + "AND password_hash LIKE 'pbkdf2-sha256$%'"));
    String before = shop.fingerprint();
    ShopClient stranger = new ShopClient(shop.baseUrl());
    for (String attempt : INJECTIONS) {
      stranger.get("/signin");
      ShopClient.Page asName = stranger.post("/signin", Map.of("username", attempt, "password", attempt));
      assertEquals(401, asName.status(), attempt);
      assertTrue(asName.body().contains("Wrong username or password."), attempt);
      ShopClient.Page asPassword = stranger.post("/signin", Map.of("username", "alice", "password", attempt));
      assertEquals(401, asPassword.status(), attempt);
    }
    assertEquals(303, stranger.post("/signin", Map.of("username", "quoted", "password", injection)).status(),
        "the odd password is just a password");
    assertEquals(before, shop.fingerprint());
  }

  @Test
  void badQuantitiesAreRefused() throws Exception {
    String before = shop.fingerprint();
    visitor.get("/products/" + keyboard);
    for (String quantity : List.of("0", "-1", "11", "99999999999999999999", "2147483648", "abc", "1.5", "",
        " ", "1e3", "0x10", "1; DROP TABLE products")) {
      ShopClient.Page page = visitor.post("/cart/add", Map.of("product_id", Integer.toString(keyboard),
          "quantity", quantity));
      assertEquals(400, page.status(), quantity);
      assertTrue(page.body().contains("The quantity must be a whole number from 1 to 10"), quantity);
    }
    assertTrue(visitor.get("/cart").body().contains("Your cart is empty"));
    visitor.addToCart(keyboard, 6);
    ShopClient.Page tooMany = visitor.post("/cart/add", Map.of("product_id", Integer.toString(keyboard),
        "quantity", "5"));
    assertEquals(400, tooMany.status());
    assertTrue(tooMany.body().contains("You can have 1 to 10 of a product in your cart."));
    ShopClient.Page update = visitor.post("/cart/update", Map.of("product_id", Integer.toString(keyboard),
        "quantity", "-3"));
    assertEquals(400, update.status());
    assertTrue(visitor.get("/cart").body().contains("value=\"6\""), "the cart still holds 6");
    assertEquals(before, shop.fingerprint());
  }

  @Test
  void tamperedProductIdsAreRefused() throws Exception {
    String before = shop.fingerprint();
    visitor.get("/");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("0", "A product id is a positive whole number");
    expected.put("-5", "A product id is a positive whole number");
    expected.put("abc", "A product id is a positive whole number");
    expected.put("1 OR 1=1", "A product id is a positive whole number");
    expected.put("99999999999", "A product id is a positive whole number");
    expected.put("987654", "The shop has no product with id 987654.");
    expected.put("", "No product was chosen.");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      ShopClient.Page page = visitor.post("/cart/add", Map.of("product_id", e.getKey(), "quantity", "1"));
      assertEquals(400, page.status(), e.getKey());
      assertTrue(page.body().contains(e.getValue()), e.getKey() + ": " + page.body());
    }
    assertEquals(400, visitor.get("/products/1%20OR%201=1").status());
    assertEquals(404, visitor.get("/products/987654").status());
    ShopClient.Page notInCart = visitor.post("/cart/remove", Map.of("product_id", Integer.toString(keyboard)));
    assertEquals(400, notInCart.status());
    assertTrue(notInCart.body().contains("is not in your cart"));
    assertTrue(visitor.get("/cart").body().contains("Your cart is empty"));
    assertEquals(before, shop.fingerprint());
  }

  @Test
  void theServerPricesTheOrderWhateverTheFormSays() throws Exception {
    visitor.signUp("bargainhunter", "bargain-password");
    assertEquals(303, visitor.post("/cart/add", Map.of("product_id", Integer.toString(keyboard), "quantity", "2",
        "price", "0.01", "unit_price", "0.01")).status());
    ShopClient.Page placed = visitor.post("/checkout", Map.of("total", "0.02", "price", "0.01"));
    assertEquals(303, placed.status(), placed.body());
    BigDecimal price = new BigDecimal("49.90");
    assertEquals(1, shop.number("SELECT COUNT(*) FROM orders o JOIN users u ON u.id = o.user_id "
        + "WHERE u.username = 'bargainhunter' AND o.total = 99.80"));
    assertEquals(1, shop.number("SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id "
        + "JOIN users u ON u.id = o.user_id WHERE u.username = 'bargainhunter' AND l.unit_price = " + price));
    assertTrue(visitor.get("/orders").body().contains("$99.80"));
  }

  @Test
  void postsWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
    visitor.signUp("csrfvictim", "victim-password");
    String before = shop.fingerprint();
    String productId = Integer.toString(keyboard);
    for (String token : new String[] {null, "", "forged-token", visitor.csrfToken() + "x"}) {
      Map<String, String> add = new LinkedHashMap<>(Map.of("product_id", productId, "quantity", "1"));
      if (token != null) {
        add.put(WebSession.CSRF_FIELD, token);
      }
      ShopClient.Page refused = visitor.postExactly("/cart/add", add);
      assertEquals(403, refused.status(), String.valueOf(token));
      assertTrue(refused.body().contains("security token is missing or wrong"), refused.body());
    }
    assertTrue(visitor.get("/cart").body().contains("Your cart is empty"));
    visitor.addToCart(keyboard, 1);
    ShopClient.Page checkout = visitor.postExactly("/checkout", Map.of());
    assertEquals(403, checkout.status());
    assertEquals(403, visitor.postExactly("/signout", Map.of()).status());
    assertTrue(visitor.get("/orders").body().contains("You have not ordered anything yet."), "still signed in");
    // Another visitor's token is no good either: tokens belong to sessions.
    ShopClient other = new ShopClient(shop.baseUrl());
    other.get("/signup");
    assertEquals(403, other.postExactly("/signup", Map.of("username", "sneaky", "email", "s@example.com",
        "password", "sneaky-password", WebSession.CSRF_FIELD, visitor.csrfToken())).status());
    assertEquals(before, shop.fingerprint());
  }

  @Test
  void pagesEscapeWhatUsersTyped() throws Exception {
    String script = "<script>alert(1)</script>";
    ShopClient.Page search = visitor.get("/?q=" + java.net.URLEncoder.encode(script, "UTF-8"));
    assertFalse(search.body().contains(script));
    assertTrue(search.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    visitor.get("/signup");
    ShopClient.Page signUp = visitor.post("/signup", Map.of("username", script, "email", script, "password", "x"));
    assertFalse(signUp.body().contains(script));
  }
}
