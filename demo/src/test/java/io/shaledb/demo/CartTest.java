package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CartTest {
  @Test
  void addingMergesAndKeepsTheOrderOfFirstAdding() {
    Cart cart = Cart.EMPTY.plus(7, 2).plus(3, 1).plus(7, 3);
    assertEquals(List.of(7, 3), List.copyOf(cart.quantities().keySet()));
    assertEquals(5, cart.quantities().get(7));
    assertEquals(6, cart.items());
    assertEquals(Map.of(3, 1), cart.without(7).quantities());
    assertEquals(1, cart.with(7, 1).quantities().get(7));
    assertTrue(Cart.EMPTY.isEmpty());
  }

  @Test
  void limitsHoldWhateverIsSent() {
    Cart full = Cart.EMPTY.plus(1, Cart.QUANTITY_MAX);
    InvalidInputException tooMany = assertThrows(InvalidInputException.class, () -> full.plus(1, 1));
    assertEquals("You can have 1 to 10 of a product in your cart.", tooMany.getMessage());
    assertThrows(InvalidInputException.class, () -> full.with(1, 0));
    Cart wide = Cart.EMPTY;
    for (int id = 1; id <= Cart.LINES_MAX; id++) {
      wide = wide.plus(id, 1);
    }
    Cart widest = wide;
    assertThrows(InvalidInputException.class, () -> widest.plus(Cart.LINES_MAX + 1, 1));
  }
}
