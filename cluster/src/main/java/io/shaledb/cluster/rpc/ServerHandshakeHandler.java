package io.shaledb.cluster.rpc;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.function.IntFunction;

/**
 * The server's side of the {@link Handshake} on one connection. Until the client has proved the
 * secret, nothing else is accepted: any other frame, a wrong proof, or no proof within {@link
 * Handshake#SERVER_HANDSHAKE_TIMEOUT} closes the connection. On success this handler replaces
 * itself with the connection's request dispatcher.
 */
final class ServerHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  private static final System.Logger LOG = System.getLogger(ServerHandshakeHandler.class.getName());

  private enum State { AWAITING_HELLO, AWAITING_PROOF, DONE }

  private final int nodeId;
  private final byte[] secret;
  private final RandomGenerator random;
  /** Builds the dispatcher for a client with the given proven node id. */
  private final IntFunction<RequestDispatcher> dispatcherForClient;

  private State state = State.AWAITING_HELLO;
  private Handshake.Hello hello;
  private byte[] serverNonce;
  private ScheduledFuture<?> deadline;

  ServerHandshakeHandler(int nodeId, byte[] secret, RandomGenerator random,
      IntFunction<RequestDispatcher> dispatcherForClient) {
    this.nodeId = nodeId;
    this.secret = secret;
    this.random = random;
    this.dispatcherForClient = dispatcherForClient;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> {
      if (state != State.DONE) {
        LOG.log(Level.WARNING, "RPC connection from {0} did not authenticate within {1} s; closing it",
            ctx.channel().remoteAddress(), Handshake.SERVER_HANDSHAKE_TIMEOUT.toSeconds());
        ctx.close();
      }
    }, Handshake.SERVER_HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (state == State.AWAITING_HELLO && frame.kind() == FrameKind.HELLO) {
      onHello(ctx, frame);
    } else if (state == State.AWAITING_PROOF && frame.kind() == FrameKind.PROOF) {
      onProof(ctx, frame);
    } else {
      LOG.log(Level.WARNING, "RPC connection from {0} sent {1} before authenticating; closing it",
          ctx.channel().remoteAddress(), frame);
      state = State.DONE;
      ctx.close();
    }
  }

  private void onHello(ChannelHandlerContext ctx, Frame frame) {
    if (frame.version() != Frame.PROTOCOL_VERSION) {
      refuse(ctx, "node " + nodeId + " speaks RPC protocol version " + Frame.PROTOCOL_VERSION
          + " and cannot serve version " + frame.version());
      return;
    }
    hello = Handshake.Hello.decode(frame.payload());
    serverNonce = Handshake.nonce(random);
    byte[] proof = Handshake.serverProof(secret, hello.nodeId(), nodeId, hello.nonce(), serverNonce);
    state = State.AWAITING_PROOF;
    ctx.writeAndFlush(Frame.handshake(FrameKind.CHALLENGE,
        new Handshake.Challenge(nodeId, serverNonce, proof).encode()));
  }

  private void onProof(ChannelHandlerContext ctx, Frame frame) {
    byte[] expected = Handshake.clientProof(secret, hello.nodeId(), nodeId, hello.nonce(), serverNonce);
    if (!Handshake.matches(expected, frame.payload())) {
      refuse(ctx, "authentication failed: node " + nodeId + " does not share the cluster secret of node "
          + hello.nodeId());
      return;
    }
    state = State.DONE;
    deadline.cancel(false);
    // The client's first request cannot arrive before this returns: both happen on this event loop.
    ctx.writeAndFlush(Frame.handshake(FrameKind.ACCEPTED, new byte[0]));
    ctx.pipeline().replace(this, "dispatcher", dispatcherForClient.apply(hello.nodeId()));
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    LOG.log(Level.WARNING, "refusing RPC connection from {0}: {1}", ctx.channel().remoteAddress(), reason);
    state = State.DONE;
    ctx.writeAndFlush(Frame.refused(reason)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state == State.AWAITING_PROOF) {
      // The client closes here when the server's proof does not match its own secret.
      LOG.log(Level.WARNING, "RPC connection from {0} (node {1}) closed during authentication; "
          + "do both nodes have the same cluster secret?", ctx.channel().remoteAddress(), hello.nodeId());
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.WARNING, "closing RPC connection from {0} during authentication: {1}",
        ctx.channel().remoteAddress(), cause.getMessage());
    state = State.DONE;
    ctx.close();
  }
}
