package io.shaledb.cluster.protocol;

/**
 * A message one node sends another, answered by one result of type {@code R}. Each request knows
 * its wire type, writes itself, and reads and writes its result, so adding a message touches one
 * record and {@link Requests#decode} (a shard operation: its record in txn and its codec in {@link ShardWire}).
 */
public sealed interface Request<R> permits ShardCall, ClusterRequest {

  /** The message type on the wire; unique over all requests, stable across releases. */
  int type();

  void writeTo(WireOutput out);

  void writeResult(R result, WireOutput out);

  R readResult(WireInput in);

  default byte[] encode() {
    WireOutput out = new WireOutput();
    writeTo(out);
    return out.toByteArray();
  }

  default byte[] encodeResult(R result) {
    WireOutput out = new WireOutput();
    writeResult(result, out);
    return out.toByteArray();
  }

  default R decodeResult(byte[] payload) {
    WireInput in = new WireInput(payload);
    R result = readResult(in);
    in.expectEnd();
    return result;
  }
}
