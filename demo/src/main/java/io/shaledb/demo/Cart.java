package io.shaledb.demo;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a visitor means to buy: product ids and quantities, in the order they were added. Immutable; the limits
 * keep a session's cart small whatever the browser sends. Prices are not part of it: the checkout reads them.
 */
record Cart(Map<Integer, Integer> quantities) implements Serializable {
  static final int QUANTITY_MAX = 10;
  static final int LINES_MAX = 20;
  static final Cart EMPTY = new Cart(Map.of());

  Cart {
    quantities = Collections.unmodifiableMap(new LinkedHashMap<>(quantities));
    if (quantities.size() > LINES_MAX) {
      throw new InvalidInputException("A cart holds at most " + LINES_MAX + " different products.");
    }
    for (int quantity : quantities.values()) {
      if (quantity < 1 || quantity > QUANTITY_MAX) {
        throw new InvalidInputException("You can have 1 to " + QUANTITY_MAX + " of a product in your cart.");
      }
    }
  }

  /** This cart with {@code quantity} more of the product. */
  Cart plus(int productId, int quantity) {
    Map<Integer, Integer> next = new LinkedHashMap<>(quantities);
    next.merge(productId, quantity, Integer::sum);
    return new Cart(next);
  }

  /** This cart with exactly {@code quantity} of the product. */
  Cart with(int productId, int quantity) {
    Map<Integer, Integer> next = new LinkedHashMap<>(quantities);
    next.put(productId, quantity);
    return new Cart(next);
  }

  /** This cart without the product. */
  Cart without(int productId) {
    Map<Integer, Integer> next = new LinkedHashMap<>(quantities);
    next.remove(productId);
    return new Cart(next);
  }

  boolean isEmpty() {
    return quantities.isEmpty();
  }

  /** How many items in all. */
  int items() {
    return quantities.values().stream().mapToInt(Integer::intValue).sum();
  }
}
