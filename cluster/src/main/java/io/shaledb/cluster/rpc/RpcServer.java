package io.shaledb.cluster.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Listens for RPC connections from other nodes, authenticates them with the cluster secret and
 * serves their requests with an {@link RpcHandler} on a bounded pool of worker threads.
 *
 * <p>A connection that sends anything but well-formed frames (garbage, an oversized or truncated
 * frame, an unknown kind or protocol version, a request before authenticating) is closed with a
 * warning naming the remote address; other connections are not affected. Thread-safe.
 */
public final class RpcServer implements AutoCloseable {
  /** How long {@link #close()} waits for running handlers and then for the network threads. */
  private static final long CLOSE_WAIT_MS = 2_000;

  private final RpcServerConfig config;
  private final EventLoopGroup eventLoops;
  private final ThreadPoolExecutor workers;
  private final ChannelGroup channels;
  private final Channel listener;

  private RpcServer(RpcServerConfig config, RpcHandler handler, RandomGenerator random) {
    this.config = config;
    this.eventLoops = new NioEventLoopGroup(ioThreads(), new DefaultThreadFactory("shaledb-rpc-server-io"));
    this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(RpcServerConfig.MAX_QUEUED_REQUESTS),
        new DefaultThreadFactory("shaledb-rpc-worker"));
    this.channels = new DefaultChannelGroup("shaledb-rpc-connections", eventLoops.next());
    byte[] secret = config.clusterSecret();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(eventLoops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channels.add(channel);
            FrameCodec.install(channel.pipeline(), config.maxFrameBytes());
            channel.pipeline().addLast("handshake", new ServerHandshakeHandler(config.nodeId(), secret, random,
                callerNodeId -> new RequestDispatcher(config.nodeId(), callerNodeId, handler, workers,
                    config.maxFrameBytes())));
          }
        });
    try {
      this.listener = bootstrap.bind(config.bindHost(), config.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      shutdown();
      throw new ShaleException(SqlState.CONNECTION_EXCEPTION, "cannot listen for RPC on " + config.bindHost() + ":"
          + config.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts listening; returns once the port is bound.
   *
   * @throws ShaleException 08000 when the address cannot be bound
   */
  public static RpcServer start(RpcServerConfig config, RpcHandler handler) {
    return start(config, handler, new SecureRandom());
  }

  /** As {@link #start(RpcServerConfig, RpcHandler)}, drawing handshake nonces from {@code random}. */
  public static RpcServer start(RpcServerConfig config, RpcHandler handler, RandomGenerator random) {
    return new RpcServer(Objects.requireNonNull(config, "config"), Objects.requireNonNull(handler, "handler"),
        Objects.requireNonNull(random, "random"));
  }

  /** The port listened on (the chosen one when the configuration said 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public int nodeId() {
    return config.nodeId();
  }

  /**
   * Stops listening and closes every connection, so callers' in-flight requests fail with 08006;
   * drops queued requests, waits briefly for running handlers (without interrupting them) and the
   * network threads. Idempotent.
   */
  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    channels.close().awaitUninterruptibly(CLOSE_WAIT_MS);
    shutdown();
  }

  private void shutdown() {
    // No interrupts: a handler interrupted in a file write would close the store's FileChannel.
    workers.shutdown();
    workers.getQueue().clear();
    try {
      workers.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLoops.shutdownGracefully(0, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly(CLOSE_WAIT_MS);
  }

  /** Two loops keep both cores busy with socket work; handlers run elsewhere, so more do not help. */
  private static int ioThreads() {
    return Math.min(2, Runtime.getRuntime().availableProcessors());
  }
}
