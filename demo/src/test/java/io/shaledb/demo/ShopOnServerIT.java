package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shop unchanged against a ShaleDB server ({@code shaledb start} in its own JVM, as a user runs it): the
 * remote JDBC driver, a password, and the checkout path including an order that outruns the stock.
 */
class ShopOnServerIT {
  private static final String ADMIN_PASSWORD = "server-admin-password";
  /** The server runs from the cluster module's build output (the reactor builds it before this module). */
  private static final Path CLUSTER_TARGET = Path.of("..", "cluster", "target");

  @TempDir
  Path data;

  @Test
  void checkoutThroughAServer() throws Exception {
    int port = freePort();
    Process server = startServer(port);
    try {
      awaitPort(server, port);
      try (TestShop shop = TestShop.start("jdbc:shaledb://127.0.0.1:" + port, "admin", ADMIN_PASSWORD)) {
        int keyboard = (int) shop.number("SELECT id FROM products WHERE name = 'keyboard'");
        int stock = shop.stock(keyboard);
        ShopClient buyer = new ShopClient(shop.baseUrl());
        buyer.signUp("remote", "remote-password");
        buyer.addToCart(keyboard, 3);
        ShopClient.Page placed = buyer.post("/checkout", Map.of());
        assertEquals(303, placed.status(), placed.body());
        assertEquals(stock - 3, shop.stock(keyboard));
        assertTrue(buyer.get("/orders").body().contains("$149.70"));

        buyer.addToCart(keyboard, 2);
        shop.setStock(keyboard, 1);
        String before = shop.fingerprint();
        ShopClient.Page refused = buyer.post("/checkout", Map.of());
        assertEquals(409, refused.status());
        assertTrue(refused.body().contains("only 1 of keyboard left in stock"), refused.body());
        assertEquals(before, shop.fingerprint());
      }
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private Process startServer(int port) throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(CLUSTER_TARGET)) {
      jar = files.filter(f -> f.getFileName().toString().matches("shaledb-cluster-.*\\.jar")
          && !f.getFileName().toString().endsWith("-sources.jar")).findFirst().orElseThrow(() ->
          new IllegalStateException("no cluster jar in " + CLUSTER_TARGET.toAbsolutePath()
              + ": build with the reactor (./mvnw -pl demo -am verify)"));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    String classPath = jar + java.io.File.pathSeparator + CLUSTER_TARGET.resolve("lib") + "/*";
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", classPath, "io.shaledb.cluster.cli.Main", "start", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--data", data.toString(), "--admin-password", ADMIN_PASSWORD);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(data.resolveSibling(data.getFileName() + "-server.log").toFile()).start();
  }

  private void awaitPort(Process server, int port) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the server exited with " + server.exitValue() + ": " + Files.readString(
            data.resolveSibling(data.getFileName() + "-server.log"), StandardCharsets.UTF_8));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the server did not listen on " + port + " within 60 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
