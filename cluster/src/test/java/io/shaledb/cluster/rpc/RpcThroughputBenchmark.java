package io.shaledb.cluster.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Round trips per second over loopback with 100-byte payloads echoed by the handler, for 1, 8 and
 * 64 callers each waiting for its response before the next call, over 1 and 2 connections per
 * peer. Client and server share this JVM (and the machine's cores). A measurement that prints, not
 * a test of speed: it is not matched by the build's test patterns and runs only when asked for:
 * {@code ./mvnw -B -o -pl cluster -am test -Dtest=RpcThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RpcThroughputBenchmark {
  private static final long WARM_UP_MS = 1_500;
  private static final long MEASURE_MS = 4_000;
  private static final int PAYLOAD_BYTES = 100;

  @Test
  void roundTripsPerSecond() throws Exception {
    StringBuilder table = new StringBuilder("RPC round trips/s, 100-byte payloads, loopback\n")
        .append(String.format("%-10s %-14s %12s %14s%n", "callers", "connections", "round trips/s", "mean latency"));
    try (RpcServer server = RpcFixture.server((caller, type, payload) -> payload)) {
      PeerAddress peer = RpcFixture.peer(server);
      measure(peer, 1, 8); // compiles the hot paths before anything is counted, so the first row is not penalised
      for (int connections : new int[] {1, 2, 1, 2}) {
        for (int callers : new int[] {1, 8, 64}) {
          double perSecond = measure(peer, connections, callers);
          table.append(String.format("%-10d %-14d %12.0f %11.1f us%n", callers, connections, perSecond,
              callers * 1e6 / perSecond));
        }
      }
    }
    System.out.print(table);
  }

  private static double measure(PeerAddress peer, int connections, int callers) throws Exception {
    RpcClientConfig config = new RpcClientConfig(RpcFixture.CLIENT_NODE, RpcFixture.SECRET, Duration.ofSeconds(2),
        Duration.ofSeconds(10), RpcClientConfig.DEFAULT_MAX_FRAME_BYTES, connections);
    try (RpcClient client = new RpcClient(config)) {
      byte[] payload = new byte[PAYLOAD_BYTES];
      Arrays.fill(payload, (byte) 'x');
      AtomicBoolean counting = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong roundTrips = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Thread caller = new Thread(() -> {
          try {
            while (!stop.get()) {
              byte[] response = client.call(peer, 1, payload).join();
              if (response.length != PAYLOAD_BYTES) {
                throw new AssertionError("echo of " + response.length + " bytes");
              }
              if (counting.get()) {
                roundTrips.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        caller.start();
        threads.add(caller);
      }
      Thread.sleep(WARM_UP_MS);
      counting.set(true);
      long start = System.nanoTime();
      Thread.sleep(MEASURE_MS);
      long counted = roundTrips.get();
      double seconds = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      for (Thread caller : threads) {
        caller.join();
      }
      assertTrue(failure.get() == null, () -> "a caller failed: " + failure.get());
      return counted / seconds;
    }
  }
}
