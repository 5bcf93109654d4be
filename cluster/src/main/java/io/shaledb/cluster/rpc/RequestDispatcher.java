package io.shaledb.cluster.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the requests of one authenticated connection on the server's worker executor and writes
 * each response back on the connection as soon as it is ready, so responses may overtake each other.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<Frame> {
  private static final System.Logger LOG = System.getLogger(RequestDispatcher.class.getName());

  private final int nodeId;
  private final int callerNodeId;
  private final RpcHandler handler;
  private final Executor workers;
  private final int maxFrameBytes;

  RequestDispatcher(int nodeId, int callerNodeId, RpcHandler handler, Executor workers, int maxFrameBytes) {
    this.nodeId = nodeId;
    this.callerNodeId = callerNodeId;
    this.handler = handler;
    this.workers = workers;
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (frame.kind() != FrameKind.REQUEST) {
      LOG.log(Level.WARNING, "RPC connection from {0} (node {1}) sent {2} where only requests belong; closing it",
          ctx.channel().remoteAddress(), callerNodeId, frame);
      ctx.close();
      return;
    }
    Channel channel = ctx.channel();
    try {
      workers.execute(() -> serve(channel, frame));
    } catch (RejectedExecutionException e) {
      // Neither run nor queued, so the caller may safely retry it elsewhere or later.
      reply(channel, error(frame, new RemoteError(SqlState.CONNECTION_FAILURE, "node " + nodeId
          + " is overloaded or shutting down; request of type " + frame.messageType() + " was not run")));
    }
  }

  private void serve(Channel channel, Frame request) {
    Frame response;
    try {
      byte[] result = handler.handle(callerNodeId, request.messageType(), request.payload());
      response = Frame.of(FrameKind.RESPONSE, request.requestId(), request.messageType(),
          result != null ? result : new byte[0]);
      if (response.encodedBytes() > maxFrameBytes) {
        response = error(request, new RemoteError(SqlState.PROGRAM_LIMIT_EXCEEDED, "response of "
            + response.payload().length + " bytes to request of type " + request.messageType()
            + " exceeds the RPC frame limit of " + maxFrameBytes + " bytes"));
      }
    } catch (Throwable failure) {
      if (!(failure instanceof ShaleException)) {
        LOG.log(Level.WARNING, "RPC handler failed on request of type " + request.messageType() + " from node "
            + callerNodeId, failure);
      }
      response = error(request, RemoteError.of(failure));
    }
    reply(channel, response);
  }

  private static Frame error(Frame request, RemoteError error) {
    return Frame.of(FrameKind.ERROR, request.requestId(), request.messageType(), error.encode());
  }

  /**
   * Writes unless the connection is gone; the caller then learns of the loss from its side, so a
   * failed write needs no handling here.
   */
  private static void reply(Channel channel, Frame response) {
    channel.writeAndFlush(response);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.WARNING, "closing RPC connection from {0} (node {1}): {2}", ctx.channel().remoteAddress(),
        callerNodeId, cause.getMessage());
    ctx.close();
  }
}
