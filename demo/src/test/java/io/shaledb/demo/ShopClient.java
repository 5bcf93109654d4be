package io.shaledb.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One visitor of the shop over HTTP, with its own cookies (so its own session), sending forms as a browser
 * would: with the CSRF token of the last page that had one. Redirects are not followed, so tests see them.
 */
final class ShopClient {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  /** An answer: status, body and the redirect target if any. */
  record Page(int status, String body, String location) {}

  private final HttpClient http;
  private final String base;
  private String csrfToken;

  ShopClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  Page get(String path) throws IOException, InterruptedException {
    return remember(http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET()
        .build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** Posts {@code form} with the session's CSRF token added (fetched from a page first if none is known). */
  Page post(String path, Map<String, String> form) throws IOException, InterruptedException {
    if (csrfToken == null) {
      get("/signin");
    }
    Map<String, String> withToken = new LinkedHashMap<>(form);
    withToken.put(WebSession.CSRF_FIELD, csrfToken);
    return postExactly(path, withToken);
  }

  /** Posts {@code form} as it is, CSRF token or not. */
  Page postExactly(String path, Map<String, String> form) throws IOException, InterruptedException {
    String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return remember(http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** Signs up and is then signed in; fails the test unless the shop accepted it. */
  void signUp(String username, String password) throws IOException, InterruptedException {
    get("/signup");
    Page page = post("/signup", Map.of("username", username, "email", username + "@example.com",
        "password", password));
    if (page.status() != 303) {
      throw new AssertionError("sign-up of " + username + " answered " + page.status() + ": " + page.body());
    }
    get("/");
  }

  /** Adds to the cart; fails the test unless the shop accepted it. */
  void addToCart(int productId, int quantity) throws IOException, InterruptedException {
    Page page = post("/cart/add", Map.of("product_id", Integer.toString(productId),
        "quantity", Integer.toString(quantity)));
    if (page.status() != 303) {
      throw new AssertionError("adding to the cart answered " + page.status() + ": " + page.body());
    }
  }

  String csrfToken() {
    return csrfToken;
  }

  private Page remember(HttpResponse<String> response) {
    Matcher token = CSRF.matcher(response.body());
    if (token.find()) {
      csrfToken = token.group(1);
    }
    return new Page(response.statusCode(), response.body(),
        response.headers().firstValue("Location").orElse(null));
  }
}
