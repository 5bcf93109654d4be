package io.shaledb.cluster.rpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mutual authentication with the cluster secret, without sending it:
 *
 * <ol>
 *   <li>client → {@code HELLO}: client node id, client nonce;
 *   <li>server → {@code CHALLENGE}: server node id, server nonce, server proof;
 *   <li>client checks the server proof, → {@code PROOF}: client proof;
 *   <li>server checks the client proof, → {@code ACCEPTED} (or {@code REFUSED} with a reason).
 * </ol>
 *
 * <p>A proof is HMAC-SHA256 keyed with the secret over a role label, the protocol version, both
 * node ids and both nonces: fresh nonces on each side stop replays, and the differing labels stop a
 * peer from reflecting the other side's proof back. Proofs are compared in constant time.
 */
final class Handshake {
  static final int NONCE_BYTES = 32;
  static final int PROOF_BYTES = 32;
  /** A connection that has not authenticated by then is closed. */
  static final Duration SERVER_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final String HMAC = "HmacSHA256";
  private static final byte[] SERVER_LABEL = "shaledb-rpc server proof".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLIENT_LABEL = "shaledb-rpc client proof".getBytes(StandardCharsets.US_ASCII);

  private Handshake() {}

  /** The client's opening. */
  record Hello(int nodeId, byte[] nonce) {
    byte[] encode() {
      return ByteBuffer.allocate(4 + NONCE_BYTES).putInt(nodeId).put(nonce).array();
    }

    static Hello decode(byte[] payload) {
      check(payload, 4 + NONCE_BYTES, "HELLO");
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      int nodeId = buffer.getInt();
      byte[] nonce = new byte[NONCE_BYTES];
      buffer.get(nonce);
      return new Hello(nodeId, nonce);
    }
  }

  /** The server's answer to {@link Hello}. */
  record Challenge(int nodeId, byte[] nonce, byte[] proof) {
    byte[] encode() {
      return ByteBuffer.allocate(4 + NONCE_BYTES + PROOF_BYTES).putInt(nodeId).put(nonce).put(proof).array();
    }

    static Challenge decode(byte[] payload) {
      check(payload, 4 + NONCE_BYTES + PROOF_BYTES, "CHALLENGE");
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      int nodeId = buffer.getInt();
      byte[] nonce = new byte[NONCE_BYTES];
      byte[] proof = new byte[PROOF_BYTES];
      buffer.get(nonce).get(proof);
      return new Challenge(nodeId, nonce, proof);
    }
  }

  static byte[] nonce(RandomGenerator random) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  static byte[] serverProof(byte[] secret, int clientNodeId, int serverNodeId, byte[] clientNonce, byte[] serverNonce) {
    return proof(secret, SERVER_LABEL, clientNodeId, serverNodeId, clientNonce, serverNonce);
  }

  static byte[] clientProof(byte[] secret, int clientNodeId, int serverNodeId, byte[] clientNonce, byte[] serverNonce) {
    return proof(secret, CLIENT_LABEL, clientNodeId, serverNodeId, clientNonce, serverNonce);
  }

  /** Constant-time comparison, so timing tells an attacker nothing about how much of a proof matched. */
  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] proof(byte[] secret, byte[] label, int clientNodeId, int serverNodeId, byte[] clientNonce,
      byte[] serverNonce) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret, HMAC));
      mac.update(label);
      mac.update(ByteBuffer.allocate(1 + 4 + 4).put(Frame.PROTOCOL_VERSION).putInt(clientNodeId)
          .putInt(serverNodeId).array());
      mac.update(clientNonce);
      mac.update(serverNonce);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // Every Java runtime must provide HmacSHA256; a non-empty key is always valid for it.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static void check(byte[] payload, int expectedBytes, String what) {
    if (payload.length != expectedBytes) {
      throw new IllegalArgumentException(what + " of " + payload.length + " bytes, expected " + expectedBytes);
    }
  }
}
