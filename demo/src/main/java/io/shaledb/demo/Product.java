package io.shaledb.demo;

import java.math.BigDecimal;

/** A product as the shop shows it; {@code description} may be null. */
record Product(int id, String name, BigDecimal price, String description, int stock) {}
