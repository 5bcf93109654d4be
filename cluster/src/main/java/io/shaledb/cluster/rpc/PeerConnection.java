package io.shaledb.cluster.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated connection to a peer, carrying any number of concurrent requests told apart
 * by request id. Responses complete their callers in whatever order they arrive; a response for a
 * request that already timed out is dropped. When the connection is lost every outstanding request
 * fails at once with {@link RpcOutcomeUnknownException}.
 */
final class PeerConnection extends SimpleChannelInboundHandler<Frame> {
  private static final System.Logger LOG = System.getLogger(PeerConnection.class.getName());

  private final PeerAddress peer;
  private final Timer timer;
  private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
  private volatile Channel channel;
  private volatile int peerNodeId = -1;
  /** Set before outstanding calls are failed, so a call registered afterwards sees it. */
  private volatile String lostReason;

  /** A request waiting for its response. */
  private static final class PendingCall {
    final int messageType;
    final CompletableFuture<byte[]> result;
    volatile Timeout timeout;

    PendingCall(int messageType, CompletableFuture<byte[]> result) {
      this.messageType = messageType;
      this.result = result;
    }

    void cancelTimeout() {
      Timeout scheduled = timeout;
      if (scheduled != null) {
        scheduled.cancel();
      }
    }
  }

  PeerConnection(PeerAddress peer, Timer timer) {
    this.peer = peer;
    this.timer = timer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Called once the handshake proved the peer's node id; requests may be sent from then on. */
  void authenticated(int nodeId) {
    this.peerNodeId = nodeId;
  }

  int peerNodeId() {
    return peerNodeId;
  }

  boolean isOpen() {
    return lostReason == null && channel.isActive();
  }

  /**
   * Sends a request; {@code result} completes with the response, the remote error, or a failure
   * after {@code timeoutMs}.
   */
  void send(long requestId, int messageType, byte[] payload, long timeoutMs, CompletableFuture<byte[]> result) {
    PendingCall call = new PendingCall(messageType, result);
    pending.put(requestId, call);
    if (lostReason != null) {
      if (pending.remove(requestId, call)) {
        result.completeExceptionally(new PeerUnreachableException(peer, "connection to node " + peerNodeId + " at "
            + peer + " was lost before the request was sent: " + lostReason, null));
      }
      return;
    }
    try {
      call.timeout = timer.newTimeout(expired -> {
        if (pending.remove(requestId, call)) {
          result.completeExceptionally(new RpcTimeoutException(peer, messageType, timeoutMs));
        }
      }, timeoutMs, TimeUnit.MILLISECONDS);
    } catch (IllegalStateException timerStopped) {
      // The client is being closed; the request has not been written.
      if (pending.remove(requestId, call)) {
        result.completeExceptionally(new PeerUnreachableException(peer, "the RPC client is closed", timerStopped));
      }
      return;
    }
    channel.writeAndFlush(Frame.of(FrameKind.REQUEST, requestId, messageType, payload)).addListener(written -> {
      // A frame whose write failed never reached the peer whole, so it cannot have been applied.
      if (!written.isSuccess() && pending.remove(requestId, call)) {
        call.cancelTimeout();
        result.completeExceptionally(new PeerUnreachableException(peer, "could not send request to node "
            + peerNodeId + " at " + peer + ": " + written.cause(), written.cause()));
      }
    });
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (frame.kind() != FrameKind.RESPONSE && frame.kind() != FrameKind.ERROR) {
      LOG.log(Level.WARNING, "RPC peer {0} (node {1}) sent {2} where only responses belong; closing the connection",
          peer, peerNodeId, frame);
      ctx.close();
      return;
    }
    PendingCall call = pending.remove(frame.requestId());
    if (call == null) {
      return; // timed out earlier: the caller has its answer already
    }
    call.cancelTimeout();
    if (frame.kind() == FrameKind.RESPONSE) {
      call.result.complete(frame.payload());
    } else {
      call.result.completeExceptionally(RemoteError.decode(frame.payload()).toException());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    lost("the connection closed");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.WARNING, "closing RPC connection to {0} (node {1}): {2}", peer, peerNodeId, cause.getMessage());
    lost(String.valueOf(cause.getMessage()));
    ctx.close();
  }

  /** Closes the connection; outstanding calls fail saying {@code reason}. */
  void close(String reason) {
    lost(reason);
    channel.close();
  }

  private void lost(String reason) {
    if (lostReason == null) {
      lostReason = reason;
    }
    for (Map.Entry<Long, PendingCall> entry : pending.entrySet()) {
      PendingCall call = entry.getValue();
      if (pending.remove(entry.getKey(), call)) {
        call.cancelTimeout();
        call.result.completeExceptionally(new RpcOutcomeUnknownException(peer, "request of type " + call.messageType
            + " to node " + peerNodeId + " at " + peer + " got no response: " + lostReason));
      }
    }
  }
}
