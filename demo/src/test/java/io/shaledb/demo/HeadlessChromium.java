package io.shaledb.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A JUnit extension that gives a test class one headless Chromium, Debian's (chromium and chromium-driver),
 * driven through Selenium with both paths given, so Selenium Manager never looks for (or downloads) a browser
 * or driver. When a test fails, a screenshot and the page's HTML go to {@code target/screenshots/}. A machine
 * without the browser fails the tests and says how to install it: browser tests are never skipped.
 */
final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback,
    ParameterResolver {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HeadlessChromium.class);

  /** The browser and its profile directory, deleted when the class is done. */
  private record Browser(WebDriver driver, Path profile) {}

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("The browser tests need Debian's Chromium and ChromeDriver at " + CHROMIUM
          + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver (.ci/run installs them)");
    }
    Path profile = Files.createTempDirectory("shop-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Headless as root in a container, and none of Chromium's own network traffic (updates, sync, metrics):
    // this machine has no network but loopback.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--disable-default-apps", "--window-size=1280,1000", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    context.getStore(NAMESPACE).put(Browser.class, new Browser(driver, profile));
  }

  @Override
  public void afterTestExecution(ExtensionContext context) throws IOException {
    if (context.getExecutionException().isPresent()) {
      WebDriver driver = browser(context).driver();
      String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
      screenshot(driver, name);
      Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getPageSource());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    Browser browser = context.getStore(NAMESPACE).remove(Browser.class, Browser.class);
    if (browser != null) {
      try {
        browser.driver().quit();
      } finally {
        try (Stream<Path> files = Files.walk(browser.profile())) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == WebDriver.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return browser(context).driver();
  }

  /** Saves what the browser shows as {@code target/screenshots/NAME.png}; returns the file. */
  static Path screenshot(WebDriver driver, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Path taken = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.move(taken, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  private static Browser browser(ExtensionContext context) {
    Browser browser = context.getStore(NAMESPACE).get(Browser.class, Browser.class);
    if (browser == null) {
      throw new IllegalStateException("no browser: HeadlessChromium's beforeAll did not run");
    }
    return browser;
  }
}
