package io.shaledb.demo;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * What the shop keeps in a visitor's session (held by Jetty in memory, found by an HttpOnly SameSite=Lax
 * cookie): who is signed in, the cart, the CSRF token and a notice for the next page.
 *
 * <p>The CSRF token is random per session and renewed at sign-in and sign-out; every POST must send it back
 * in the form field {@value #CSRF_FIELD}, so another site cannot submit the shop's forms in a visitor's name.
 */
final class WebSession {
  static final String CSRF_FIELD = "_csrf";
  private static final String USER = "shop.user";
  private static final String CART = "shop.cart";
  private static final String CSRF = "shop.csrf";
  private static final String NOTICE = "shop.notice";
  private static final int TOKEN_BYTES = 32;

  private final Context ctx;
  private final SecureRandom random;

  WebSession(Context ctx, SecureRandom random) {
    this.ctx = ctx;
    this.random = random;
  }

  Optional<SignedIn> user() {
    return Optional.ofNullable(ctx.sessionAttribute(USER));
  }

  /** Signs {@code user} in, under a new session id (so a session id planted before sign-in is worthless). */
  void signIn(SignedIn user) {
    ctx.req().getSession(true);
    ctx.req().changeSessionId();
    ctx.sessionAttribute(USER, user);
    ctx.sessionAttribute(CSRF, newToken());
  }

  /** Ends the session, cart included. */
  void signOut() {
    HttpSession session = ctx.req().getSession(false);
    if (session != null) {
      session.invalidate();
    }
  }

  Cart cart() {
    Cart cart = ctx.sessionAttribute(CART);
    return cart == null ? Cart.EMPTY : cart;
  }

  void cart(Cart cart) {
    ctx.sessionAttribute(CART, cart);
  }

  /** The session's CSRF token, starting a session if there is none. */
  String csrfToken() {
    String token = ctx.sessionAttribute(CSRF);
    if (token == null) {
      token = newToken();
      ctx.sessionAttribute(CSRF, token);
    }
    return token;
  }

  /** The token if the visitor already has a session, without starting one. */
  Optional<String> existingCsrfToken() {
    return Optional.ofNullable(ctx.sessionAttribute(CSRF));
  }

  /** Whether {@code sent} is this session's token (compared in constant time); false without a session. */
  boolean csrfMatches(String sent) {
    String token = ctx.sessionAttribute(CSRF);
    return token != null && sent != null
        && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  /** Keeps {@code notice} for the next page shown to this visitor. */
  void notice(String notice) {
    ctx.sessionAttribute(NOTICE, notice);
  }

  /** The notice left for this page, once. */
  Optional<String> takeNotice() {
    if (ctx.req().getSession(false) == null) {
      return Optional.empty();
    }
    String notice = ctx.sessionAttribute(NOTICE);
    if (notice != null) {
      ctx.sessionAttribute(NOTICE, null);
    }
    return Optional.ofNullable(notice);
  }

  private String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
