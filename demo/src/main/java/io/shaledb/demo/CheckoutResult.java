package io.shaledb.demo;

import java.math.BigDecimal;

/** The outcome of a checkout: an order, or why there is none (then nothing was written). */
sealed interface CheckoutResult {
  /** The order was committed. */
  record Placed(long orderId, BigDecimal total) implements CheckoutResult {}

  /** A product has less stock than the cart asks for; the whole order was refused. */
  record OutOfStock(int productId, String name, int available, int requested) implements CheckoutResult {
    String message() {
      String why = available == 0 ? name + " is out of stock"
          : "only " + available + " of " + name + " left in stock, and your cart has " + requested;
      return "Sorry, " + why + ". Your order was not placed; change your cart and check out again.";
    }
  }

  /** The cart names a product the shop does not have. */
  record UnknownProduct(int productId) implements CheckoutResult {
    String message() {
      return "Your cart holds product " + productId + ", which the shop does not have. Your order was not placed; "
          + "remove it from your cart.";
    }
  }

  /** Nothing to order. */
  record EmptyCart() implements CheckoutResult {
    String message() {
      return "Your cart is empty.";
    }
  }

  /** Every attempt met a concurrent order of the same products. */
  record Busy(int attempts) implements CheckoutResult {
    String message() {
      return "The shop is very busy: " + attempts + " attempts to place your order met other orders of the same "
          + "products. Your order was not placed; please check out again.";
    }
  }
}
