package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopConfigTest {
  @Test
  void defaultsRunAnEmbeddedNodeWithSampleData() {
    ShopConfig config = ShopConfig.parse(List.of(), Map.of());
    assertEquals("jdbc:shaledb:file:./shaledb-demo-data", config.url());
    assertEquals(7070, config.port());
    assertEquals(SampleSizes.DEFAULT, config.sampleData());
    assertNull(config.user());
    assertNull(config.adminPassword());
  }

  @Test
  void optionsAndTheEnvironment() {
    ShopConfig config = ShopConfig.parse(List.of("--url", "jdbc:shaledb://db:8765", "--user", "shop", "--port",
        "8080", "--host", "0.0.0.0", "--no-sample-data"),
        Map.of("SHALEDB_PASSWORD", "from-env", "SHOP_ADMIN_PASSWORD", "admin-from-env"));
    assertEquals("jdbc:shaledb://db:8765", config.url());
    assertEquals("shop", config.user());
    assertEquals("from-env", config.password());
    assertEquals("admin-from-env", config.adminPassword());
    assertEquals("0.0.0.0", config.host());
    assertEquals(8080, config.port());
    assertEquals(SampleSizes.NONE, config.sampleData());
    assertEquals("given", ShopConfig.parse(List.of("--password", "given"), Map.of("SHALEDB_PASSWORD", "env"))
        .password());
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertEquals("unknown option --colour", assertThrows(IllegalArgumentException.class,
        () -> ShopConfig.parse(List.of("--colour"), Map.of())).getMessage());
    assertEquals("--port needs a value", assertThrows(IllegalArgumentException.class,
        () -> ShopConfig.parse(List.of("--port"), Map.of())).getMessage());
    assertEquals("--port must be a number, not http", assertThrows(IllegalArgumentException.class,
        () -> ShopConfig.parse(List.of("--port", "http"), Map.of())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShopConfig.parse(List.of("--url", "jdbc:h2:mem:x"), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> ShopConfig.parse(List.of("--admin-password", "short"), Map.of()));
  }
}
