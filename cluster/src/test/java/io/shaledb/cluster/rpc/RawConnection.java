package io.shaledb.cluster.rpc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A plain socket speaking the RPC wire format by hand, to play a misbehaving or foreign peer
 * (garbage, truncated frames, wrong proofs, other protocol versions) against a real server.
 */
final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static RawConnection to(int port) throws IOException {
    return new RawConnection(new Socket("127.0.0.1", port));
  }

  void sendFrame(int version, int kind, long requestId, int messageType, byte[] payload) throws IOException {
    out.writeInt(Frame.HEADER_BYTES + payload.length);
    out.writeByte(version);
    out.writeByte(kind);
    out.writeLong(requestId);
    out.writeInt(messageType);
    out.write(payload);
    out.flush();
  }

  void sendFrame(FrameKind kind, long requestId, int messageType, byte[] payload) throws IOException {
    sendFrame(Frame.PROTOCOL_VERSION, kind.wireId(), requestId, messageType, payload);
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendLengthPrefix(int length) throws IOException {
    out.writeInt(length);
    out.flush();
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  Frame readFrame() throws IOException {
    int length = in.readInt();
    byte version = in.readByte();
    FrameKind kind = FrameKind.fromWireId(in.readByte());
    long requestId = in.readLong();
    int messageType = in.readInt();
    byte[] payload = new byte[length - Frame.HEADER_BYTES];
    in.readFully(payload);
    return new Frame(version, kind, requestId, messageType, payload);
  }

  /** Whether the peer closes the connection within the socket timeout (reading and dropping any bytes). */
  boolean closedByPeer() throws IOException {
    try {
      while (in.read() >= 0) {
        // drain whatever the peer sent before closing
      }
      return true;
    } catch (EOFException | SocketException closedOrReset) {
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
