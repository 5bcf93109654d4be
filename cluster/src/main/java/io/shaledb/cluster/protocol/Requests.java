package io.shaledb.cluster.protocol;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;

/** Decodes a request from its wire type and payload. */
public final class Requests {
  private Requests() {}

  /**
   * @throws ShaleException {@link SqlState#PROTOCOL_VIOLATION} if the type is unknown or the payload malformed
   */
  public static Request<?> decode(int type, byte[] payload) {
    WireInput in = new WireInput(payload);
    Request<?> request;
    try {
      request = decode(type, in);
    } catch (IllegalArgumentException e) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "malformed message of type " + type + ": " + e.getMessage(), e);
    }
    in.expectEnd();
    return request;
  }

  private static Request<?> decode(int type, WireInput in) {
    if (ShardWire.isShardType(type)) {
      return new ShardCall<>(ShardWire.read(type, in));
    }
    switch (type) {
      case ClusterRequest.NextTimestamps.TYPE:
        return ClusterRequest.NextTimestamps.read(in);
      case ClusterRequest.Join.TYPE:
        return ClusterRequest.Join.read(in);
      case ClusterRequest.CreateShards.TYPE:
        return ClusterRequest.CreateShards.read(in);
      case ClusterRequest.DropShards.TYPE:
        return ClusterRequest.DropShards.read(in);
      case ClusterRequest.OldestActiveSnapshot.TYPE:
        return new ClusterRequest.OldestActiveSnapshot();
      case ClusterRequest.CatalogChanged.TYPE:
        return new ClusterRequest.CatalogChanged();
      case ClusterRequest.Ping.TYPE:
        return new ClusterRequest.Ping();
      default:
        throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "unknown message type " + type);
    }
  }
}
