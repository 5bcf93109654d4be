package io.shaledb.demo;

import java.util.regex.Pattern;

/** Turns request parameters into the values the shop accepts, refusing anything else with a clear message. */
final class FormInput {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
  private static final int ECHO_LENGTH_MAX = 40;
  static final int PAGE_MAX = 1_000_000;

  private FormInput() {}

  /** A product id: a positive whole number. */
  static int productId(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidInputException("No product was chosen.");
    }
    String value = raw.trim();
    if (!WHOLE_NUMBER.matcher(value).matches() || Integer.parseInt(value) < 1) {
      throw new InvalidInputException("A product id is a positive whole number, not “" + echo(raw) + "”.");
    }
    return Integer.parseInt(value);
  }

  /** A quantity: a whole number from 1 to {@value Cart#QUANTITY_MAX}. */
  static int quantity(String raw) {
    String value = raw == null ? "" : raw.trim();
    if (!WHOLE_NUMBER.matcher(value).matches() || Integer.parseInt(value) < 1
        || Integer.parseInt(value) > Cart.QUANTITY_MAX) {
      throw new InvalidInputException("The quantity must be a whole number from 1 to " + Cart.QUANTITY_MAX
          + ", not “" + echo(raw == null ? "" : raw) + "”.");
    }
    return Integer.parseInt(value);
  }

  /** A page number; absent means the first. */
  static int page(String raw) {
    if (raw == null || raw.isBlank()) {
      return 1;
    }
    String value = raw.trim();
    if (!WHOLE_NUMBER.matcher(value).matches() || Integer.parseInt(value) < 1
        || Integer.parseInt(value) > PAGE_MAX) {
      throw new InvalidInputException("A page number is a whole number from 1, not “" + echo(raw) + "”.");
    }
    return Integer.parseInt(value);
  }

  /** The start of what was sent, to quote it back (the page escapes it). */
  private static String echo(String raw) {
    return raw.length() <= ECHO_LENGTH_MAX ? raw : raw.substring(0, ECHO_LENGTH_MAX) + "…";
  }
}
