package io.shaledb.cluster.rpc;

import static io.shaledb.cluster.rpc.RpcFixture.await;
import static io.shaledb.cluster.rpc.RpcFixture.bytes;
import static io.shaledb.cluster.rpc.RpcFixture.failure;
import static io.shaledb.cluster.rpc.RpcFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.SqlState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Peers going away and coming back on the same port. */
class RpcReconnectTest {
  private static final int ECHO = 0;
  private static final int HANG = 1;
  private static final RpcHandler HANGING_OR_ECHOING = (callerNodeId, messageType, payload) -> {
    if (messageType == HANG) {
      Thread.sleep(3_000);
    }
    return payload;
  };

  @Test
  void peerThatIsDownFailsFast() throws IOException {
    int closedPort = freePort();
    try (RpcClient client = RpcFixture.client()) {
      long start = System.nanoTime();
      PeerUnreachableException down = failure(
          client.call(new PeerAddress("127.0.0.1", closedPort), ECHO, bytes("anyone?"), Duration.ofSeconds(30)),
          PeerUnreachableException.class);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertEquals(SqlState.CONNECTION_FAILURE, down.sqlState());
      assertEquals("cannot reach node at 127.0.0.1:" + closedPort + ": connection refused", down.getMessage());
      assertTrue(elapsedMs < 1_000, "failed after " + elapsedMs + " ms");
    }
  }

  @Test
  void callsFailingOnTheSameFailedConnectionAttemptGetExceptionsOfTheirOwn() throws IOException {
    PeerAddress down = new PeerAddress("127.0.0.1", freePort());
    try (RpcClient client = RpcFixture.client()) {
      // Both calls wait for the same connection attempt (or its failure, during the back-off).
      CompletableFuture<byte[]> call1 = client.call(down, ECHO, bytes("1"));
      CompletableFuture<byte[]> call2 = client.call(down, ECHO, bytes("2"));
      PeerUnreachableException first = failure(call1, PeerUnreachableException.class);
      PeerUnreachableException second = failure(call2, PeerUnreachableException.class);
      assertTrue(first != second, "one exception instance for two calls");
      // What a caller collecting failures does: must not throw "Self-suppression not permitted".
      first.addSuppressed(second);
      assertEquals(first.getMessage(), second.getMessage());
    }
  }

  @Test
  void serverStopFailsInFlightCallsAtOnceAndTheNextCallReconnectsAfterRestart() throws Exception {
    RpcServer server = RpcFixture.server(HANGING_OR_ECHOING);
    int port = server.port();
    PeerAddress peer = RpcFixture.peer(server);
    try (RpcClient client = RpcFixture.client()) {
      assertEquals("before", text(await(client.call(peer, ECHO, bytes("before")))));
      List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        inFlight.add(client.call(peer, HANG, bytes("in flight " + i), Duration.ofSeconds(30)));
      }
      Thread.sleep(100);

      long start = System.nanoTime();
      Thread stopper = new Thread(server::close);
      stopper.start();
      for (CompletableFuture<byte[]> call : inFlight) {
        RpcOutcomeUnknownException lost = failure(call, RpcOutcomeUnknownException.class);
        assertEquals(SqlState.CONNECTION_FAILURE, lost.sqlState());
        assertTrue(lost.getMessage().contains("127.0.0.1:" + port), lost.getMessage());
      }
      long failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(failedAfterMs < 1_000, "in-flight calls failed " + failedAfterMs + " ms after the stop");
      stopper.join();

      try (RpcServer restarted = RpcFixture.server(port, RpcFixture.SECRET, HANGING_OR_ECHOING)) {
        assertEquals("after restart", text(await(client.call(peer, ECHO, bytes("after restart")))));
      }
    }
  }

  @Test
  void callsSucceedSoonAfterADownPeerComesUp() throws Exception {
    int port = freePort();
    PeerAddress peer = new PeerAddress("127.0.0.1", port);
    try (RpcClient client = RpcFixture.client()) {
      failure(client.call(peer, ECHO, bytes("too early")), PeerUnreachableException.class);
      failure(client.call(peer, ECHO, bytes("still too early")), PeerUnreachableException.class);

      try (RpcServer server = RpcFixture.server(port, RpcFixture.SECRET, HANGING_OR_ECHOING)) {
        long start = System.nanoTime();
        byte[] response = null;
        while (response == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
          try {
            response = client.call(peer, ECHO, bytes("up")).get();
          } catch (ExecutionException backingOff) {
            Thread.sleep(20);
          }
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals("up", text(response));
        assertTrue(waitedMs <= PeerPool.MAX_BACKOFF_NANOS / 1_000_000 + 500, "reconnected after " + waitedMs + " ms");
      }
    }
  }

  @Test
  void callersRetryingInALoopDoNotMakeAConnectLoop() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        RpcClient client = RpcFixture.client()) {
      Thread acceptor = new Thread(() -> {
        while (!hangsUp.isClosed()) {
          try (Socket socket = hangsUp.accept()) {
            accepted.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      acceptor.start();
      PeerAddress peer = new PeerAddress("127.0.0.1", hangsUp.getLocalPort());

      int calls = 0;
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      while (System.nanoTime() < end) {
        failure(client.call(peer, ECHO, bytes("retry")), PeerUnreachableException.class);
        calls++;
      }
      hangsUp.close();
      acceptor.join();

      // Back-off of 50, 100, 200, 400 ms allows about 4 attempts in 500 ms, however many calls.
      assertTrue(calls > 20, calls + " calls");
      assertTrue(accepted.get() <= 6, accepted.get() + " connection attempts for " + calls + " calls");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
