package io.shaledb.cluster.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.net.ConnectException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Sends requests to other nodes' {@link RpcServer}s. Connections are opened on first use,
 * authenticated with the cluster secret, shared by all concurrent requests to the same peer, and
 * re-established by the first call after one is lost.
 *
 * <p>Every failure completes the returned future with a {@link ShaleException}:
 *
 * <ul>
 *   <li>the remote handler's SQLSTATE and message when it threw;
 *   <li>{@link PeerUnreachableException} (08006) when the request certainly was not delivered: the
 *       peer cannot be connected to, refused us, failed to prove the secret, or the write failed;
 *   <li>{@link RpcOutcomeUnknownException} (08006) when it was sent but no response came: the
 *       connection was lost or the client closed; {@link RpcTimeoutException} when the timeout passed.
 * </ul>
 *
 * <p>Futures complete on a network thread (or the timer thread): callers must not block in
 * dependent stages run on that thread; use the {@code ...Async} variants or {@code join()} from
 * their own thread. Thread-safe.
 */
public final class RpcClient implements AutoCloseable {
  /** How long {@link #close()} waits for the network threads. */
  private static final long CLOSE_WAIT_MS = 2_000;

  private final RpcClientConfig config;
  private final byte[] secret;
  private final RandomGenerator random;
  private final LongSupplier nanoClock;
  private final EventLoopGroup eventLoops;
  private final HashedWheelTimer timer;
  private final Bootstrap bootstrap;
  private final ConcurrentMap<PeerAddress, PeerPool> peers = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong();
  private volatile boolean closed;

  public RpcClient(RpcClientConfig config) {
    this(config, new SecureRandom(), System::nanoTime);
  }

  /**
   * A client drawing handshake nonces from {@code random} and timing reconnect back-off with
   * {@code nanoClock} (a {@link System#nanoTime()}-like clock).
   */
  public RpcClient(RpcClientConfig config, RandomGenerator random, LongSupplier nanoClock) {
    this.config = Objects.requireNonNull(config, "config");
    this.secret = config.clusterSecret();
    this.random = Objects.requireNonNull(random, "random");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    // Daemon threads: a client someone forgot to close must not keep the JVM alive.
    this.eventLoops = new NioEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("shaledb-rpc-client-io", true));
    // A wheel makes adding and cancelling a timeout O(1), which matters at one timeout per request.
    this.timer = new HashedWheelTimer(new DefaultThreadFactory("shaledb-rpc-timeouts", true), 10,
        TimeUnit.MILLISECONDS);
    this.bootstrap = new Bootstrap()
        .group(eventLoops)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            config.connectTimeout().toMillis()));
  }

  /** {@link #call(PeerAddress, int, byte[], Duration)} with the configured default timeout. */
  public CompletableFuture<byte[]> call(PeerAddress peer, int messageType, byte[] payload) {
    return call(peer, messageType, payload, config.defaultRequestTimeout());
  }

  /**
   * Sends one request to {@code peer}. The timeout counts from when the request is written, after
   * the connection is up (connecting is bounded by the configured connect timeout).
   *
   * @param payload the request body; must not be changed until the future completes
   * @return completes with the response body, or exceptionally as the class comment says;
   *     54000 at once when the payload does not fit in a frame
   */
  public CompletableFuture<byte[]> call(PeerAddress peer, int messageType, byte[] payload, Duration timeout) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(timeout, "timeout");
    long timeoutMs = Math.max(1, timeout.toMillis());
    if (closed) {
      return CompletableFuture.failedFuture(new PeerUnreachableException(peer, "the RPC client is closed", null));
    }
    if (Frame.HEADER_BYTES + (long) payload.length > config.maxFrameBytes()) {
      return CompletableFuture.failedFuture(new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "request of "
          + payload.length + " bytes exceeds the RPC frame limit of " + config.maxFrameBytes() + " bytes"));
    }
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    long requestId = nextRequestId.incrementAndGet();
    pool(peer).acquire().whenComplete((connection, failure) -> {
      if (failure != null) {
        result.completeExceptionally(ownFailure(peer, unwrap(failure)));
      } else {
        connection.send(requestId, messageType, payload, timeoutMs, result);
      }
    });
    return result;
  }

  /** The node id {@code peer} proved in its handshake, while a connection to it is up. */
  public OptionalInt connectedNodeId(PeerAddress peer) {
    PeerPool pool = peers.get(peer);
    int nodeId = pool == null ? -1 : pool.connectedNodeId();
    return nodeId < 0 ? OptionalInt.empty() : OptionalInt.of(nodeId);
  }

  /**
   * Closes all connections, failing outstanding calls with {@link RpcOutcomeUnknownException}, and
   * waits briefly for the network threads. Later calls fail with {@link PeerUnreachableException}.
   * Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (PeerPool pool : peers.values()) {
      pool.close("the RPC client was closed");
    }
    eventLoops.shutdownGracefully(0, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly(CLOSE_WAIT_MS);
    timer.stop();
  }

  private PeerPool pool(PeerAddress peer) {
    return peers.computeIfAbsent(peer,
        address -> new PeerPool(config.connectionsPerPeer(), () -> connect(address), nanoClock));
  }

  private CompletableFuture<PeerConnection> connect(PeerAddress peer) {
    PeerConnection connection = new PeerConnection(peer, timer);
    CompletableFuture<Integer> authenticated = new CompletableFuture<>();
    ChannelFuture connecting;
    try {
      connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          FrameCodec.install(channel.pipeline(), config.maxFrameBytes());
          channel.pipeline().addLast("handshake", new ClientHandshakeHandler(peer, config.nodeId(), secret, random,
              config.connectTimeout().toMillis(), authenticated));
          channel.pipeline().addLast("connection", connection);
        }
      }).connect(peer.host(), peer.port());
    } catch (RuntimeException e) {
      // The event loops reject new channels once close() has shut them down.
      return CompletableFuture.failedFuture(new PeerUnreachableException(peer, "cannot reach node at " + peer + ": "
          + e.getMessage(), e));
    }
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        authenticated.completeExceptionally(new PeerUnreachableException(peer, "cannot reach node at " + peer + ": "
            + describe(done.cause()), done.cause()));
      }
    });
    return authenticated.thenApply(peerNodeId -> {
      connection.authenticated(peerNodeId);
      return connection;
    });
  }

  private String describe(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "no answer within " + config.connectTimeout().toMillis() + " ms";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  /**
   * A failed connection attempt stays in the pool during the back-off and fails every call made
   * meanwhile; each call gets its own exception, since callers add suppressed exceptions to the
   * ones they collect, and one instance shared by calls (and threads) would be suppressed into
   * itself (an IllegalArgumentException) or mutated by strangers.
   */
  private static Throwable ownFailure(PeerAddress peer, Throwable shared) {
    if (shared instanceof PeerUnreachableException unreachable) {
      return new PeerUnreachableException(peer, unreachable.getMessage(), unreachable);
    }
    return shared;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
