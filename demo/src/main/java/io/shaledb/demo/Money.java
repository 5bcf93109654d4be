package io.shaledb.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How the shop writes amounts of money: dollars with two decimals and thousands separators. */
final class Money {
  private Money() {}

  static String format(BigDecimal amount) {
    // DecimalFormat is not thread-safe, so each call makes its own.
    DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
    return "$" + format.format(amount.setScale(2, RoundingMode.HALF_EVEN));
  }
}
