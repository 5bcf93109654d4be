package io.shaledb.cluster.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The client's side of the {@link Handshake} on one connection: completes {@code authenticated}
 * with the peer's proven node id and removes itself, or fails it with a {@link
 * PeerUnreachableException} and closes the connection. A server that cannot prove the secret is
 * never sent a request.
 */
final class ClientHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  private final PeerAddress peer;
  private final int nodeId;
  private final byte[] secret;
  private final RandomGenerator random;
  private final long timeoutMs;
  private final CompletableFuture<Integer> authenticated;

  private byte[] clientNonce;
  private Handshake.Challenge challenge;
  private ScheduledFuture<?> deadline;

  ClientHandshakeHandler(PeerAddress peer, int nodeId, byte[] secret, RandomGenerator random, long timeoutMs,
      CompletableFuture<Integer> authenticated) {
    this.peer = peer;
    this.nodeId = nodeId;
    this.secret = secret;
    this.random = random;
    this.timeoutMs = timeoutMs;
    this.authenticated = authenticated;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(
        () -> fail(ctx, "authentication with node at " + peer + " timed out after " + timeoutMs + " ms"),
        timeoutMs, TimeUnit.MILLISECONDS);
    clientNonce = Handshake.nonce(random);
    ctx.writeAndFlush(Frame.handshake(FrameKind.HELLO, new Handshake.Hello(nodeId, clientNonce).encode()));
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (frame.kind() == FrameKind.CHALLENGE && challenge == null) {
      onChallenge(ctx, Handshake.Challenge.decode(frame.payload()));
    } else if (frame.kind() == FrameKind.ACCEPTED && challenge != null) {
      deadline.cancel(false);
      ctx.pipeline().remove(this);
      authenticated.complete(challenge.nodeId());
    } else if (frame.kind() == FrameKind.REFUSED) {
      fail(ctx, "node at " + peer + " refused the connection: " + new String(frame.payload(), StandardCharsets.UTF_8));
    } else {
      fail(ctx, "node at " + peer + " sent " + frame + " during the handshake; is it a ShaleDB RPC port?");
    }
  }

  private void onChallenge(ChannelHandlerContext ctx, Handshake.Challenge received) {
    byte[] expected = Handshake.serverProof(secret, nodeId, received.nodeId(), clientNonce, received.nonce());
    if (!Handshake.matches(expected, received.proof())) {
      fail(ctx, "authentication with node at " + peer + " failed: it did not prove knowledge of the cluster secret "
          + "(do both nodes use the same secret?)");
      return;
    }
    challenge = received;
    byte[] proof = Handshake.clientProof(secret, nodeId, received.nodeId(), clientNonce, received.nonce());
    ctx.writeAndFlush(Frame.handshake(FrameKind.PROOF, proof));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, "node at " + peer + " closed the connection during authentication");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, "authentication with node at " + peer + " failed: " + cause.getMessage());
  }

  /** The first failure wins; later ones (e.g. the close that follows) change nothing. */
  private void fail(ChannelHandlerContext ctx, String message) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    authenticated.completeExceptionally(new PeerUnreachableException(peer, message, null));
    ctx.close();
  }
}
