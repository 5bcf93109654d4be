package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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
    navigate(browser, browser.findElement(By.linkText("Next →")));
    assertEquals(TestShop.SMALL.products() + 2 - Catalog.PAGE_SIZE, cards(browser).size());
    assertTrue(text(browser, ".paging").contains("Page 2 of 2"));

    search(browser, "KEYBOARD");
    List<WebElement> found = cards(browser);
    assertEquals(1, found.size());
    navigate(browser, found.get(0).findElement(By.linkText("keyboard")));
    assertEquals("keyboard", text(browser, "h1"));
    String productPage = browser.getCurrentUrl();
    int stockBefore = Integer.parseInt(text(browser, ".stock-count"));

    navigate(browser, browser.findElement(By.linkText("Sign up")));
    browser.findElement(By.id("username")).sendKeys("shopper");
    browser.findElement(By.id("email")).sendKeys("shopper@example.com");
    browser.findElement(By.id("password")).sendKeys("shopper-password");
    navigate(browser, browser.findElement(By.id("sign-up")));
    assertEquals("shopper", text(browser, "#signed-in-as"));
    assertTrue(text(browser, ".notice").contains("Welcome, shopper!"));

    browser.get(productPage);
    WebElement quantity = browser.findElement(By.id("quantity"));
    quantity.clear();
    quantity.sendKeys("2");
    navigate(browser, browser.findElement(By.id("add-to-cart")));
    assertTrue(text(browser, ".notice").contains("Added 2 × keyboard to your cart."));
    assertEquals("Cart (2)", text(browser, "#cart-link"));
    assertEquals("$99.80", text(browser, "#cart-total"));

    navigate(browser, browser.findElement(By.id("checkout")));
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

    navigate(browser, browser.findElement(By.id("checkout")));
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
    navigate(browser, browser.findElement(By.linkText("Admin")));
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
    navigate(browser, browser.findElement(By.id("sign-in")));
    assertEquals(username, text(browser, "#signed-in-as"));
  }

  private static void addToCart(WebDriver browser, int productId, int quantity) {
    browser.get(shop.baseUrl() + "/products/" + productId);
    WebElement field = browser.findElement(By.id("quantity"));
    field.clear();
    field.sendKeys(Integer.toString(quantity));
    navigate(browser, browser.findElement(By.id("add-to-cart")));
    assertTrue(text(browser, ".notice").startsWith("Added " + quantity), text(browser, "main"));
  }

  private static void search(WebDriver browser, String text) {
    WebElement box = browser.findElement(By.name("q"));
    box.clear();
    box.sendKeys(text);
    navigate(browser, browser.findElement(By.id("search")));
  }

  /**
   * Clicks {@code element} and waits until the browser shows the next page: a click may return before the
   * page it submits or links to has replaced the current one.
   */
  private static void navigate(WebDriver browser, WebElement element) {
    WebElement current = browser.findElement(By.tagName("html"));
    element.click();
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(current));
  }

  private static List<WebElement> cards(WebDriver browser) {
    return browser.findElements(By.cssSelector("#products .card"));
  }

  private static String text(WebDriver browser, String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }
}
