package io.shaledb.cluster.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Turns length-delimited byte frames into {@link Frame}s and back. Anything that is not a frame of
 * a known kind fails decoding; the connection's handler then closes the connection. Frames of
 * another protocol version are let through only for the handshake kinds whose layout every version
 * keeps ({@code HELLO} and {@code REFUSED}), so the version mismatch can be reported.
 */
final class FrameCodec extends MessageToMessageCodec<ByteBuf, Frame> {
  static final int LENGTH_PREFIX_BYTES = 4;

  private final int maxFrameBytes;

  private FrameCodec(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Adds framing and the codec to a new channel's pipeline. */
  static void install(ChannelPipeline pipeline, int maxFrameBytes) {
    pipeline.addLast("frames", new LengthPrefixDecoder(maxFrameBytes));
    pipeline.addLast("codec", new FrameCodec(maxFrameBytes));
  }

  /** Splits the stream at length prefixes; a prefix out of range fails as soon as it is read. */
  private static final class LengthPrefixDecoder extends LengthFieldBasedFrameDecoder {
    private final int maxFrameBytes;

    LengthPrefixDecoder(int maxFrameBytes) {
      super(maxFrameBytes + LENGTH_PREFIX_BYTES, 0, LENGTH_PREFIX_BYTES, 0, LENGTH_PREFIX_BYTES, true);
      this.maxFrameBytes = maxFrameBytes;
    }

    /** Drops the rest of the input after a bad prefix, so closing the connection does not decode it again. */
    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
      try {
        return super.decode(ctx, in);
      } catch (DecoderException e) {
        in.skipBytes(in.readableBytes());
        throw e;
      }
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
      long frameBytes = super.getUnadjustedFrameLength(buf, offset, length, order);
      if (frameBytes < 0 || frameBytes > maxFrameBytes) {
        throw new TooLongFrameException("length prefix of " + frameBytes + " bytes is outside the frame limit of 0.."
            + maxFrameBytes + " bytes");
      }
      return frameBytes;
    }
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
    int length = frame.encodedBytes();
    if (length > maxFrameBytes) {
      // Senders check sizes before writing; reaching this is a bug, not a peer's fault.
      throw new EncoderException(frame + " exceeds the frame limit of " + maxFrameBytes + " bytes");
    }
    ByteBuf buffer = ctx.alloc().ioBuffer(LENGTH_PREFIX_BYTES + length);
    buffer.writeInt(length);
    buffer.writeByte(frame.version());
    buffer.writeByte(frame.kind().wireId());
    buffer.writeLong(frame.requestId());
    buffer.writeInt(frame.messageType());
    buffer.writeBytes(frame.payload());
    out.add(buffer);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < Frame.HEADER_BYTES) {
      throw new CorruptedFrameException("frame of " + in.readableBytes() + " bytes is shorter than the "
          + Frame.HEADER_BYTES + "-byte header");
    }
    byte version = in.readByte();
    byte kindId = in.readByte();
    FrameKind kind = FrameKind.fromWireId(kindId);
    if (kind == null) {
      throw new CorruptedFrameException("unknown frame kind " + kindId + " (protocol version " + version + ")");
    }
    if (version != Frame.PROTOCOL_VERSION && kind != FrameKind.HELLO && kind != FrameKind.REFUSED) {
      throw new CorruptedFrameException("frame of unsupported protocol version " + version + " (this node speaks "
          + Frame.PROTOCOL_VERSION + ")");
    }
    long requestId = in.readLong();
    int messageType = in.readInt();
    byte[] payload = new byte[in.readableBytes()];
    in.readBytes(payload);
    out.add(new Frame(version, kind, requestId, messageType, payload));
  }
}
