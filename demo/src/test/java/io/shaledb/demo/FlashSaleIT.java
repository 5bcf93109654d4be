package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The flash sale: 50 buyers, each signed in on a session of their own, press "Place order" at the same moment
 * for one of 10 items, through the shop's HTTP endpoints. Exactly 10 get an order, the stock ends at 0, and
 * the other 40 are told the product is out of stock.
 */
class FlashSaleIT {
  private static final int BUYERS = 50;
  private static final int ITEMS = 10;

  @Test
  void fiftyBuyersRaceForTenItems() throws Exception {
    try (TestShop shop = TestShop.start()) {
      int lamp = shop.addProduct("Flash sale lamp", "29.99", ITEMS);
      List<ShopClient> buyers = new ArrayList<>();
      for (int i = 0; i < BUYERS; i++) {
        ShopClient buyer = new ShopClient(shop.baseUrl());
        buyer.signUp("buyer" + i, "password" + i);
        buyer.addToCart(lamp, 1);
        buyer.get("/cart");
        buyers.add(buyer);
      }
      long ordersBefore = shop.number("SELECT COUNT(*) FROM orders");

      ExecutorService pool = Executors.newFixedThreadPool(BUYERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ShopClient.Page>> answers = new ArrayList<>();
      for (ShopClient buyer : buyers) {
        answers.add(pool.submit(() -> {
          go.await();
          return buyer.post("/checkout", Map.of());
        }));
      }
      go.countDown();
      int placed = 0;
      int soldOut = 0;
      List<String> other = new ArrayList<>();
      for (Future<ShopClient.Page> answer : answers) {
        ShopClient.Page page = answer.get(90, TimeUnit.SECONDS);
        if (page.status() == 303 && "/orders".equals(page.location())) {
          placed++;
        } else if (page.status() == 409 && page.body().contains("Flash sale lamp is out of stock")) {
          soldOut++;
        } else {
          other.add(page.status() + ": " + page.body());
        }
      }
      pool.shutdown();

      assertEquals(List.of(), other, "every buyer gets an order or an out-of-stock message");
      assertEquals(ITEMS, placed);
      assertEquals(BUYERS - ITEMS, soldOut);
      assertEquals(0, shop.stock(lamp));
      assertEquals(ITEMS, shop.number("SELECT COUNT(*) FROM orders") - ordersBefore);
      assertEquals(ITEMS, shop.number("SELECT COUNT(*) FROM order_lines WHERE product_id = " + lamp));
      assertEquals(ITEMS, shop.number("SELECT SUM(quantity) FROM order_lines WHERE product_id = " + lamp));
      assertEquals(ITEMS, shop.number("SELECT COUNT(DISTINCT o.user_id) FROM orders o JOIN order_lines l "
          + "ON l.order_id = o.id WHERE l.product_id = " + lamp), "no buyer got two");
      // The winners see their order; a loser's cart still holds the lamp.
      int winnersSeeingIt = 0;
      for (ShopClient buyer : buyers) {
        if (buyer.get("/orders").body().contains("Flash sale lamp")) {
          winnersSeeingIt++;
        } else {
          assertTrue(buyer.get("/cart").body().contains("Flash sale lamp"));
        }
      }
      assertEquals(ITEMS, winnersSeeingIt);
    }
  }
}
