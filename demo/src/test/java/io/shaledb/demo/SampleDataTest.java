package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class SampleDataTest {
  @Test
  void loadsOnceWithAProgressBarAndThenLeavesTheShopAlone() throws Exception {
    try (MemoryDatabase db = new MemoryDatabase()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PasswordHasher hasher = new PasswordHasher(1_000, new SecureRandom());
      SampleData sample = new SampleData(db.pool(), hasher, Clock.systemUTC(),
          new PrintStream(out, true, StandardCharsets.UTF_8));
      assertTrue(sample.loadIfEmpty(new SampleSizes(4, 10, 30), 1));
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("] 100% 46/46"), out.toString());
      assertEquals(4, db.number("SELECT COUNT(*) FROM users"));
      assertEquals(12, db.number("SELECT COUNT(*) FROM products"));
      assertEquals(30, db.number("SELECT COUNT(*) FROM orders"));
      assertEquals(1, db.number("SELECT COUNT(*) FROM products WHERE name = 'keyboard' AND price = 49.90"));
      assertEquals(0, db.number("SELECT COUNT(*) FROM orders o WHERE o.total <> "
          + "(SELECT SUM(l.quantity * l.unit_price) FROM order_lines l WHERE l.order_id = o.id)"),
          "every order's total is the sum of its lines");
      Accounts accounts = new Accounts(db.pool(), hasher, Clock.systemUTC());
      assertTrue(accounts.signIn("alice", SampleData.CUSTOMER_PASSWORD).isPresent());

      assertFalse(sample.loadIfEmpty(new SampleSizes(4, 10, 30), 1));
      assertEquals(4, db.number("SELECT COUNT(*) FROM users"));
      assertEquals(30, db.number("SELECT COUNT(*) FROM orders"));
    }
  }

  @Test
  void aFailedLoadLeavesTheShopEmpty() throws Exception {
    try (MemoryDatabase db = new MemoryDatabase()) {
      db.addUser("bob");
      SampleData sample = new SampleData(db.pool(), new PasswordHasher(1_000, new SecureRandom()),
          Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThrows(java.sql.SQLException.class, () -> sample.loadIfEmpty(new SampleSizes(3, 5, 5), 1));
      assertEquals(1, db.number("SELECT COUNT(*) FROM users"));
      assertEquals(0, db.number("SELECT COUNT(*) FROM products"));
    }
  }
}
