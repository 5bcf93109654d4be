package io.shaledb.cluster.rpc;

import static io.shaledb.cluster.rpc.RpcFixture.await;
import static io.shaledb.cluster.rpc.RpcFixture.bytes;
import static io.shaledb.cluster.rpc.RpcFixture.peer;
import static io.shaledb.cluster.rpc.RpcFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not valid frames close only the connection they came on: a real client with a
 * request in flight on its own connection is answered, and the server keeps accepting.
 */
class RpcHostileInputTest {
  private static final int SLOW_ECHO = 1;

  private RpcServer server;
  private RpcClient client;
  private CompletableFuture<byte[]> inFlight;

  @BeforeEach
  void start() throws Exception {
    server = RpcFixture.server((callerNodeId, messageType, payload) -> {
      if (messageType == SLOW_ECHO) {
        Thread.sleep(300);
      }
      return payload;
    });
    client = RpcFixture.client();
    assertEquals("warm", text(await(client.call(peer(server), 0, bytes("warm")))));
    inFlight = client.call(peer(server), SLOW_ECHO, bytes("in flight"));
  }

  @AfterEach
  void realClientIsUnaffected() throws Exception {
    try {
      assertEquals("in flight", text(await(inFlight)));
      assertEquals("after", text(await(client.call(peer(server), 0, bytes("after")))));
      try (RpcClient newcomer = RpcFixture.client()) {
        assertEquals("new", text(await(newcomer.call(peer(server), 0, bytes("new")))));
      }
    } finally {
      client.close();
      server.close();
    }
  }

  @Test
  void randomGarbage() throws Exception {
    byte[] garbage = new byte[512];
    new SplittableRandom(7).nextBytes(garbage);
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendRaw(garbage);
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void httpRequest() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendRaw(bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void oversizedLengthPrefixClosesAtOnceWithoutWaitingForTheBody() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendLengthPrefix(RpcServerConfig.DEFAULT_MAX_FRAME_BYTES + 1);
      assertTrue(raw.closedByPeer());
    }
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendLengthPrefix(Integer.MAX_VALUE);
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void negativeLengthPrefix() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendLengthPrefix(-5);
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void frameShorterThanItsHeader() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendRaw(ByteBuffer.allocate(4 + 5).putInt(5).put(new byte[] {1, 4, 0, 0, 0}).array());
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void truncatedFrameThenHangUp() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendRaw(ByteBuffer.allocate(4 + 10).putInt(100).put(new byte[10]).array());
      raw.shutdownOutput();
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void unknownFrameKind() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(Frame.PROTOCOL_VERSION, 99, 0, 0, new byte[0]);
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void requestOfAnUnknownProtocolVersion() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(42, FrameKind.REQUEST.wireId(), 1, 1, bytes("from the future"));
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void malformedHello() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(FrameKind.HELLO, 0, 0, new byte[3]);
      assertTrue(raw.closedByPeer());
    }
  }
}
