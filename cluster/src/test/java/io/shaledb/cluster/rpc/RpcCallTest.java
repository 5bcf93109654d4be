package io.shaledb.cluster.rpc;

import static io.shaledb.cluster.rpc.RpcFixture.await;
import static io.shaledb.cluster.rpc.RpcFixture.bytes;
import static io.shaledb.cluster.rpc.RpcFixture.failure;
import static io.shaledb.cluster.rpc.RpcFixture.peer;
import static io.shaledb.cluster.rpc.RpcFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests and responses between a real client and server on loopback. */
class RpcCallTest {
  private static final int ECHO = 1;
  private static final int SLEEP_RANDOMLY = 2;
  private static final int THROW_SHALE = 3;
  private static final int THROW_UNEXPECTED = 4;
  private static final int SLOW = 5;
  private static final int HUGE_RESPONSE = 6;
  private static final int NULL_RESPONSE = 7;

  private final AtomicInteger slowCallsServed = new AtomicInteger();
  private RpcServer server;
  private RpcClient client;
  private PeerAddress peer;

  @BeforeEach
  void start() {
    SplittableRandom sleeps = new SplittableRandom(42);
    server = RpcFixture.server((callerNodeId, messageType, payload) -> {
      if (messageType == ECHO) {
        return bytes("node " + callerNodeId + " said " + text(payload));
      } else if (messageType == SLEEP_RANDOMLY) {
        int millis;
        synchronized (sleeps) {
          millis = sleeps.nextInt(6);
        }
        Thread.sleep(millis);
        return payload;
      } else if (messageType == THROW_SHALE) {
        throw new ShaleException(SqlState.UNIQUE_VIOLATION, "duplicate key " + text(payload));
      } else if (messageType == THROW_UNEXPECTED) {
        throw new IllegalStateException("the handler broke on " + text(payload));
      } else if (messageType == SLOW) {
        Thread.sleep(500);
        slowCallsServed.incrementAndGet();
        return bytes("finally");
      } else if (messageType == HUGE_RESPONSE) {
        return new byte[RpcServerConfig.DEFAULT_MAX_FRAME_BYTES];
      } else if (messageType == NULL_RESPONSE) {
        return null;
      }
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "unknown message type " + messageType);
    });
    client = RpcFixture.client();
    peer = peer(server);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void roundTripCarriesTypePayloadAndProvenNodeIds() throws Exception {
    assertEquals(OptionalInt.empty(), client.connectedNodeId(peer));

    assertEquals("node 1 said hello", text(await(client.call(peer, ECHO, bytes("hello")))));
    assertEquals("node 1 said ", text(await(client.call(peer, ECHO, new byte[0]))));
    assertArrayEquals(new byte[0], await(client.call(peer, NULL_RESPONSE, bytes("x"))));
    assertEquals(OptionalInt.of(RpcFixture.SERVER_NODE), client.connectedNodeId(peer));
  }

  @Test
  void concurrentRequestsCompleteOutOfOrderEachWithItsOwnResponse() throws Exception {
    int threads = 8;
    int callsPerThread = 125;
    AtomicInteger sendOrder = new AtomicInteger();
    ConcurrentLinkedQueue<Integer> completionOrder = new ConcurrentLinkedQueue<>();
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> mismatchesPerThread = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        mismatchesPerThread.add(callers.submit(() -> {
          List<CompletableFuture<byte[]>> calls = new ArrayList<>();
          List<String> sent = new ArrayList<>();
          for (int i = 0; i < callsPerThread; i++) {
            int sequence = sendOrder.getAndIncrement();
            String payload = thread + "/" + i + "/" + sequence;
            sent.add(payload);
            CompletableFuture<byte[]> call = client.call(peer, SLEEP_RANDOMLY, bytes(payload));
            call.thenRun(() -> completionOrder.add(sequence));
            calls.add(call);
          }
          List<String> mismatches = new ArrayList<>();
          for (int i = 0; i < callsPerThread; i++) {
            String received = text(await(calls.get(i)));
            if (!received.equals(sent.get(i))) {
              mismatches.add(sent.get(i) + " got " + received);
            }
          }
          return mismatches;
        }));
      }
      for (Future<List<String>> mismatches : mismatchesPerThread) {
        assertEquals(List.of(), mismatches.get(30, TimeUnit.SECONDS));
      }
    } finally {
      callers.shutdownNow();
    }
    List<Integer> completed = new ArrayList<>(completionOrder);
    assertEquals(threads * callsPerThread, completed.size());
    assertFalse(isSorted(completed), "random handler sleeps must reorder responses");
  }

  @Test
  void remoteShaleExceptionKeepsItsSqlStateAndMessage() {
    ShaleException error = failure(client.call(peer, THROW_SHALE, bytes("k1")), ShaleException.class);

    assertEquals(SqlState.UNIQUE_VIOLATION, error.sqlState());
    assertEquals("duplicate key k1", error.getMessage());
  }

  @Test
  void unexpectedHandlerExceptionBecomesInternalErrorWithItsMessage() throws Exception {
    ShaleException error = failure(client.call(peer, THROW_UNEXPECTED, bytes("r7")), ShaleException.class);

    assertEquals(SqlState.INTERNAL_ERROR, error.sqlState());
    assertEquals("the handler broke on r7", error.getMessage());
    assertEquals("node 1 said still here", text(await(client.call(peer, ECHO, bytes("still here")))));
  }

  @Test
  void timeoutFailsTheCallAndTheLateResponseIsDropped() throws Exception {
    await(client.call(peer, ECHO, bytes("connect first")));

    RpcTimeoutException timeout = failure(client.call(peer, SLOW, bytes(""), Duration.ofMillis(100)),
        RpcTimeoutException.class);

    assertEquals(0, slowCallsServed.get(), "the timeout fired before the handler answered");
    assertEquals(SqlState.CONNECTION_FAILURE, timeout.sqlState());
    assertTrue(timeout.getMessage().contains("timed out after 100 ms"), timeout.getMessage());

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (slowCallsServed.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50); // lets the late response reach the client
    assertEquals("node 1 said after", text(await(client.call(peer, ECHO, bytes("after")))));
    assertEquals(OptionalInt.of(RpcFixture.SERVER_NODE), client.connectedNodeId(peer));
  }

  @Test
  void requestLargerThanTheFrameLimitFailsBeforeSending() throws Exception {
    ShaleException error = failure(client.call(peer, ECHO, new byte[RpcClientConfig.DEFAULT_MAX_FRAME_BYTES]),
        ShaleException.class);

    assertEquals(SqlState.PROGRAM_LIMIT_EXCEEDED, error.sqlState());
    assertEquals("node 1 said ok", text(await(client.call(peer, ECHO, bytes("ok")))));
  }

  @Test
  void responseLargerThanTheServersFrameLimitIsSentAsAnError() throws Exception {
    ShaleException error = failure(client.call(peer, HUGE_RESPONSE, new byte[0]), ShaleException.class);

    assertEquals(SqlState.PROGRAM_LIMIT_EXCEEDED, error.sqlState());
    assertTrue(error.getMessage().contains("exceeds the RPC frame limit"), error.getMessage());
    assertEquals("node 1 said ok", text(await(client.call(peer, ECHO, bytes("ok")))));
  }

  @Test
  void frameLargerThanTheClientsLimitClosesTheConnectionAndFailsItsOtherCalls() throws Exception {
    // One connection, so both calls share the connection the oversized response breaks.
    try (RpcClient smallFrames = new RpcClient(new RpcClientConfig(RpcFixture.CLIENT_NODE, RpcFixture.SECRET,
        Duration.ofSeconds(2), Duration.ofSeconds(10), 4096, 1))) {
      assertEquals("node 1 said warm", text(await(smallFrames.call(peer, ECHO, bytes("warm")))));
      CompletableFuture<byte[]> inFlight = smallFrames.call(peer, SLOW, new byte[0]);
      Thread.sleep(50);
      // Fits the limit as a request; the echo adds "node 1 said " and so does not fit as a response.
      byte[] nearLimit = new byte[4096 - Frame.HEADER_BYTES - 7];
      CompletableFuture<byte[]> oversized = smallFrames.call(peer, ECHO, nearLimit);

      long start = System.nanoTime();
      assertEquals(SqlState.CONNECTION_FAILURE,
          failure(oversized, RpcOutcomeUnknownException.class).sqlState());
      assertEquals(SqlState.CONNECTION_FAILURE,
          failure(inFlight, RpcOutcomeUnknownException.class).sqlState());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 400, "the in-flight call failed at once");

      assertEquals("node 1 said again", text(await(smallFrames.call(peer, ECHO, bytes("again")))));
    }
  }

  @Test
  void closingTheClientFailsOutstandingCallsAndRefusesNewOnes() throws Exception {
    CompletableFuture<byte[]> inFlight = client.call(peer, SLOW, new byte[0]);
    Thread.sleep(100);

    client.close();

    failure(inFlight, RpcOutcomeUnknownException.class);
    PeerUnreachableException refused = failure(client.call(peer, ECHO, bytes("late")), PeerUnreachableException.class);
    assertEquals(SqlState.CONNECTION_FAILURE, refused.sqlState());
  }

  private static boolean isSorted(List<Integer> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i - 1) > values.get(i)) {
        return false;
      }
    }
    return true;
  }
}
