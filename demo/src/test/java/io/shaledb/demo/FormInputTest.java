package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FormInputTest {
  @Test
  void quantitiesAreWholeNumbersFromOneToTen() {
    assertEquals(1, FormInput.quantity("1"));
    assertEquals(10, FormInput.quantity(" 10 "));
    for (String bad : new String[] {null, "", "0", "-1", "11", "1.0", "1e1", "+3", "99999999999999", "٣"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> FormInput.quantity(bad));
      assertTrue(e.getMessage().startsWith("The quantity must be a whole number from 1 to 10"), e.getMessage());
    }
  }

  @Test
  void productIdsArePositiveWholeNumbers() {
    assertEquals(12, FormInput.productId("12"));
    assertEquals("No product was chosen.", assertThrows(InvalidInputException.class,
        () -> FormInput.productId(" ")).getMessage());
    for (String bad : new String[] {"0", "-2", "x", "1 OR 1=1", "1234567890"}) {
      assertThrows(InvalidInputException.class, () -> FormInput.productId(bad));
    }
    String quoted = assertThrows(InvalidInputException.class, () -> FormInput.productId("y".repeat(500)))
        .getMessage();
    assertTrue(quoted.length() < 120, "a long input is quoted only in part");
  }

  @Test
  void pagesDefaultToTheFirst() {
    assertEquals(1, FormInput.page(null));
    assertEquals(3, FormInput.page("3"));
    assertThrows(InvalidInputException.class, () -> FormInput.page("0"));
    assertThrows(InvalidInputException.class, () -> FormInput.page("two"));
  }
}
