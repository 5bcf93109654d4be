package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The shop in a real browser: browse, search, sign up, buy, see the order and the stock go down. */
@ExtendWith(HeadlessChromium.class)
class ShopBrowserIT {
  private static TestShop shop;

  @BeforeAll
  static void startShop() throws Exception {
    shop = TestShop.start();
  }

  @AfterAll
  static void stopShop() throws Exception {
    shop.close();
  }

  @BeforeEach
  void freshVisitor(WebDriver browser) {
    browser.get(shop.baseUrl() + "/");
    browser.manage().deleteAllCookies();
  }

  @Test
  void browseSearchSignUpBuyAndSeeTheOrder(WebDriver browser) throws Exception {
    browser.get(shop.baseUrl() + "/");
    assertTrue(browser.getTitle().startsWith("Products"));
    assertEquals(Catalog.PAGE_SIZE, cards(browser).size());
    browser.findElement(By.linkText("Next →")).click();
    assertEquals(TestShop.SMALL.products() + 2 - Catalog.PAGE_SIZE, cards(browser).size());
    assertTrue(text(browser, ".paging").contains("Page 2 of 2"));

    search(browser, "KEYBOARD");
    List<WebElement> found = cards(browser);
    assertEquals(1, found.size());
    found.get(0).findElement(By.linkText("keyboard")).click();
    assertEquals("keyboard", text(browser, "h1"));
    String productPage = browser.getCurrentUrl();
    int stockBefore = Integer.parseInt(text(browser, ".stock-count"));

    browser.findElement(By.linkText("Sign up")).click();
    browser.findElement(By.id("username")).sendKeys("shopper");
    browser.findElement(By.id("email")).sendKeys("shopper@example.com");
    browser.findElement(By.id("password")).sendKeys("shopper-password");
    browser.findElement(By.id("sign-up")).click();
    assertEquals("shopper", text(browser, "#signed-in-as"));
    assertTrue(text(browser, ".notice").contains("Welcome, shopper!"));

    browser.get(productPage);
    WebElement quantity = browser.findElement(By.id("quantity"));
    quantity.clear();
    quantity.sendKeys("2");
    browser.findElement(By.id("add-to-cart")).click();
    assertTrue(text(browser, ".notice").contains("Added 2 × keyboard to your cart."));
    assertEquals("Cart (2)", text(browser, "#cart-link"));
    assertEquals("$99.80", text(browser, "#cart-total"));

    browser.findElement(By.id("checkout")).click();
    assertTrue(browser.getCurrentUrl().endsWith("/orders"));
    assertTrue(text(browser, ".notice").matches("Thank you! Order #\\d+ is placed, total \\$99\\.80\\."),
        text(browser, ".notice"));
    WebElement order = browser.findElement(By.cssSelector("section.order"));
    assertTrue(order.getText().contains("keyboard"));
    assertEquals("2", order.findElement(By.cssSelector("tbody td.num")).getText());
    assertEquals("Cart (0)", text(browser, "#cart-link"));

    browser.get(productPage);
    assertEquals(stockBefore - 2, Integer.parseInt(text(browser, ".stock-count")));
    assertEquals(stockBefore - 2, shop.stock((int) shop.number("SELECT id FROM products WHERE name = 'keyboard'")));
  }

  @Test
  void anOrderThatOutrunsTheStockFailsWholeAndSaysWhy(WebDriver browser) throws Exception {
    int mouse = (int) shop.number("SELECT id FROM products WHERE name = 'mouse'");
    int keyboard = (int) shop.number("SELECT id FROM products WHERE name = 'keyboard'");
    signIn(browser, "alice", SampleData.CUSTOMER_PASSWORD);
    addToCart(browser, keyboard, 1);
    addToCart(browser, mouse, 3);
    int keyboardStock = shop.stock(keyboard);
    shop.setStock(mouse, 2);
    long orders = shop.number("SELECT COUNT(*) FROM orders");

    browser.findElement(By.id("checkout")).click();
    assertEquals("Sorry, only 2 of mouse left in stock, and your cart has 3. Your order was not placed; change "
        + "your cart and check out again.", text(browser, ".error"));
    assertEquals(orders, shop.number("SELECT COUNT(*) FROM orders"));
    assertEquals(keyboardStock, shop.stock(keyboard), "the keyboard taken first was put back");
    assertEquals(2, shop.stock(mouse));
    assertEquals("Cart (4)", text(browser, "#cart-link"), "the cart is kept");
  }

  @Test
  void theAdminSeesRevenuePerProductAsAChart(WebDriver browser) throws Exception {
    signIn(browser, Accounts.ADMIN, TestShop.ADMIN_PASSWORD);
    browser.findElement(By.linkText("Admin")).click();
    assertEquals("Revenue per product", text(browser, "h1"));
    List<WebElement> bars = browser.findElements(By.cssSelector("svg.chart g.bar rect"));
    assertFalse(bars.isEmpty());
    int widest = bars.get(0).getSize().getWidth();
    for (WebElement bar : bars) {
      assertTrue(bar.getSize().getWidth() <= widest, "bars come best-selling first");
    }
    assertEquals(TestShop.SMALL.products() + 2, browser.findElements(By.cssSelector("#revenue tbody tr")).size());
    HeadlessChromium.screenshot(browser, "admin");
    browser.get(shop.baseUrl() + "/");
    HeadlessChromium.screenshot(browser, "products");
  }

  private static void signIn(WebDriver browser, String username, String password) {
    browser.get(shop.baseUrl() + "/signin");
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("sign-in")).click();
    assertEquals(username, text(browser, "#signed-in-as"));
  }

  private static void addToCart(WebDriver browser, int productId, int quantity) {
    browser.get(shop.baseUrl() + "/products/" + productId);
    WebElement field = browser.findElement(By.id("quantity"));
    field.clear();
    field.sendKeys(Integer.toString(quantity));
    browser.findElement(By.id("add-to-cart")).click();
    assertTrue(text(browser, ".notice").startsWith("Added " + quantity), text(browser, "main"));
  }

  private static void search(WebDriver browser, String text) {
    WebElement box = browser.findElement(By.name("q"));
    box.clear();
    box.sendKeys(text);
    browser.findElement(By.id("search")).click();
  }

  private static List<WebElement> cards(WebDriver browser) {
    return browser.findElements(By.cssSelector("#products .card"));
  }

  private static String text(WebDriver browser, String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }
}
