package io.shaledb.cluster.rpc;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.common.ShaleException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Configurations and assertions shared by the RPC tests, all on loopback. */
final class RpcFixture {
  static final byte[] SECRET = "the cluster secret of the test cluster".getBytes(StandardCharsets.UTF_8);
  static final byte[] OTHER_SECRET = "a different secret entirely, oops".getBytes(StandardCharsets.UTF_8);
  static final int SERVER_NODE = 2;
  static final int CLIENT_NODE = 1;

  private RpcFixture() {}

  static RpcServer server(RpcHandler handler) {
    return server(0, SECRET, handler);
  }

  static RpcServer server(int port, byte[] secret, RpcHandler handler) {
    return RpcServer.start(new RpcServerConfig("127.0.0.1", port, SERVER_NODE, secret, 16,
        RpcServerConfig.DEFAULT_MAX_FRAME_BYTES), handler);
  }

  static RpcClient client() {
    return client(SECRET);
  }

  static RpcClient client(byte[] secret) {
    return new RpcClient(new RpcClientConfig(CLIENT_NODE, secret, Duration.ofSeconds(2), Duration.ofSeconds(10),
        RpcClientConfig.DEFAULT_MAX_FRAME_BYTES));
  }

  static PeerAddress peer(RpcServer server) {
    return new PeerAddress("127.0.0.1", server.port());
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] await(CompletableFuture<byte[]> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  /** The ShaleException {@code call} failed with, asserting it failed with one of class {@code type}. */
  static <T extends ShaleException> T failure(CompletableFuture<byte[]> call, Class<T> type) {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(type, failed.getCause());
  }
}
