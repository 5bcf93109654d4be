package io.shaledb.cluster.rpc;

import static io.shaledb.cluster.rpc.RpcFixture.await;
import static io.shaledb.cluster.rpc.RpcFixture.bytes;
import static io.shaledb.cluster.rpc.RpcFixture.failure;
import static io.shaledb.cluster.rpc.RpcFixture.peer;
import static io.shaledb.cluster.rpc.RpcFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.SqlState;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster-secret handshake, from both sides, with real and hand-played peers. */
class RpcAuthenticationTest {
  private final AtomicInteger handled = new AtomicInteger();
  private final AtomicInteger lastCaller = new AtomicInteger(-1);
  private RpcServer server;

  @BeforeEach
  void start() {
    server = RpcFixture.server((callerNodeId, messageType, payload) -> {
      handled.incrementAndGet();
      lastCaller.set(callerNodeId);
      return payload;
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bothSidesLearnTheOthersNodeId() throws Exception {
    try (RpcClient client = RpcFixture.client()) {
      assertEquals("hi", text(await(client.call(peer(server), 1, bytes("hi")))));
      assertEquals(RpcFixture.SERVER_NODE, client.connectedNodeId(peer(server)).getAsInt());
      assertEquals(RpcFixture.CLIENT_NODE, lastCaller.get());
    }
  }

  @Test
  void clientWithWrongSecretIsRefusedAndNothingRuns() {
    try (RpcClient intruder = RpcFixture.client(RpcFixture.OTHER_SECRET)) {
      PeerUnreachableException refused = failure(intruder.call(peer(server), 1, bytes("let me in")),
          PeerUnreachableException.class);

      assertEquals(SqlState.CONNECTION_FAILURE, refused.sqlState());
      assertTrue(refused.getMessage().contains("authentication with node at 127.0.0.1:" + server.port() + " failed"),
          refused.getMessage());
      assertTrue(intruder.connectedNodeId(peer(server)).isEmpty());
    }
    assertEquals(0, handled.get());
  }

  @Test
  void clientRefusesServerWithWrongSecret() throws Exception {
    AtomicInteger rogueHandled = new AtomicInteger();
    try (RpcServer rogue = RpcFixture.server(0, RpcFixture.OTHER_SECRET, (caller, type, payload) -> {
      rogueHandled.incrementAndGet();
      return payload;
    });
        RpcClient client = RpcFixture.client()) {
      PeerUnreachableException refused = failure(client.call(peer(rogue), 1, bytes("secret data")),
          PeerUnreachableException.class);

      assertTrue(refused.getMessage().contains("authentication with node at"), refused.getMessage());
      assertTrue(refused.getMessage().contains("did not prove knowledge of the cluster secret"), refused.getMessage());
      assertEquals(0, rogueHandled.get());
      // The same client still talks to the genuine node.
      assertEquals("ok", text(await(client.call(peer(server), 1, bytes("ok")))));
    }
  }

  @Test
  void serverRefusesAWrongProofWithAReason() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(FrameKind.HELLO, 0, 0, new Handshake.Hello(9, new byte[Handshake.NONCE_BYTES]).encode());
      Frame challenge = raw.readFrame();
      assertEquals(FrameKind.CHALLENGE, challenge.kind());
      assertEquals(RpcFixture.SERVER_NODE, Handshake.Challenge.decode(challenge.payload()).nodeId());

      raw.sendFrame(FrameKind.PROOF, 0, 0, new byte[Handshake.PROOF_BYTES]);
      Frame refusal = raw.readFrame();

      assertEquals(FrameKind.REFUSED, refusal.kind());
      assertTrue(text(refusal.payload()).contains("authentication failed"), text(refusal.payload()));
      assertTrue(raw.closedByPeer());
    }
    assertEquals(0, handled.get());
  }

  @Test
  void requestsBeforeOrInsteadOfTheProofCloseTheConnectionUnserved() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(FrameKind.REQUEST, 1, 1, bytes("no handshake"));
      assertTrue(raw.closedByPeer());
    }
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(FrameKind.HELLO, 0, 0, new Handshake.Hello(9, new byte[Handshake.NONCE_BYTES]).encode());
      assertEquals(FrameKind.CHALLENGE, raw.readFrame().kind());
      raw.sendFrame(FrameKind.REQUEST, 1, 1, bytes("skipping the proof"));
      assertTrue(raw.closedByPeer());
    }
    assertEquals(0, handled.get());
  }

  @Test
  void serverRefusesAnotherProtocolVersionSayingWhich() throws Exception {
    try (RawConnection raw = RawConnection.to(server.port())) {
      raw.sendFrame(2, FrameKind.HELLO.wireId(), 0, 0, new Handshake.Hello(9, new byte[Handshake.NONCE_BYTES]).encode());
      Frame refusal = raw.readFrame();

      assertEquals(FrameKind.REFUSED, refusal.kind());
      assertEquals("node 2 speaks RPC protocol version 1 and cannot serve version 2", text(refusal.payload()));
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void clientReportsAPeerThatRefusesItsProtocolVersion() throws Exception {
    try (ServerSocket futureNode = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        RpcClient client = RpcFixture.client()) {
      CompletableFuture<byte[]> call = client.call(new PeerAddress("127.0.0.1", futureNode.getLocalPort()), 1,
          bytes("x"));
      try (Socket accepted = futureNode.accept(); RawConnection raw = new RawConnection(accepted)) {
        assertEquals(FrameKind.HELLO, raw.readFrame().kind());
        raw.sendFrame(3, FrameKind.REFUSED.wireId(), 0, 0, bytes("node 5 speaks RPC protocol version 3 only"));

        PeerUnreachableException refused = failure(call, PeerUnreachableException.class);
        assertEquals("node at 127.0.0.1:" + futureNode.getLocalPort()
            + " refused the connection: node 5 speaks RPC protocol version 3 only", refused.getMessage());
      }
    }
  }

  @Test
  void clientRefusesAServerThatFakesItsProof() throws IOException {
    try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        RpcClient client = RpcFixture.client()) {
      CompletableFuture<byte[]> call = client.call(new PeerAddress("127.0.0.1", fake.getLocalPort()), 1, bytes("x"));
      try (Socket accepted = fake.accept(); RawConnection raw = new RawConnection(accepted)) {
        assertEquals(FrameKind.HELLO, raw.readFrame().kind());
        raw.sendFrame(FrameKind.CHALLENGE, 0, 0, new Handshake.Challenge(7, new byte[Handshake.NONCE_BYTES],
            new byte[Handshake.PROOF_BYTES]).encode());

        PeerUnreachableException refused = failure(call, PeerUnreachableException.class);
        assertTrue(refused.getMessage().contains("did not prove knowledge of the cluster secret"),
            refused.getMessage());
        assertTrue(raw.closedByPeer(), "the client hangs up without sending its proof or the request");
      }
    }
  }
}
