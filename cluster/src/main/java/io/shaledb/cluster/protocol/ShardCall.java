package io.shaledb.cluster.protocol;

import io.shaledb.txn.ShardRequest;
import java.util.Objects;

/** A {@link ShardRequest} sent to the node that holds the shard, encoded by {@link ShardWire}. */
public record ShardCall<R>(ShardRequest<R> request) implements Request<R> {
  public ShardCall {
    Objects.requireNonNull(request, "request");
  }

  @Override
  public int type() {
    return ShardWire.type(request);
  }

  @Override
  public void writeTo(WireOutput out) {
    ShardWire.codecOf(request).write().accept(request, out);
  }

  @Override
  public void writeResult(R result, WireOutput out) {
    ShardWire.codecOf(request).writeResult().accept(result, out);
  }

  @Override
  public R readResult(WireInput in) {
    return ShardWire.codecOf(request).readResult().apply(request, in);
  }
}
