package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;

/**
 * The metadata node's {@link MetadataAccess} while it starts: its RPC listener must be bound
 * before the service knows the node's own address, and requests that come in between are refused
 * with a retryable error. Thread-safe.
 */
final class MetadataServiceHolder implements MetadataAccess {
  private volatile MetadataService service;

  void set(MetadataService loaded) {
    service = loaded;
  }

  private MetadataService service() {
    MetadataService current = service;
    if (current == null) {
      throw new ShaleException(SqlState.CONNECTION_FAILURE, "the metadata node is starting; try again");
    }
    return current;
  }

  @Override
  public ShardMap shardMap() {
    return service().shardMap();
  }

  @Override
  public ShardMap createKeyspace(int keyspaceId, int shardCount) {
    return service().createKeyspace(keyspaceId, shardCount);
  }

  @Override
  public ShardMap dropKeyspace(int keyspaceId) {
    return service().dropKeyspace(keyspaceId);
  }

  @Override
  public Membership join(Member member) {
    return service().join(member);
  }

  @Override
  public Membership membership() {
    return service().membership();
  }
}
