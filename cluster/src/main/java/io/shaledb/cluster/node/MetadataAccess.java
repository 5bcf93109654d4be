package io.shaledb.cluster.node;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import io.shaledb.cluster.membership.ShardMap;
import io.shaledb.cluster.protocol.ClusterRequest;

/** The metadata node's services as any node reaches them: in process on the metadata node, by request elsewhere. */
interface MetadataAccess {
  ShardMap shardMap();

  ShardMap createKeyspace(int keyspaceId, int shardCount);

  ShardMap dropKeyspace(int keyspaceId);

  Membership join(Member member);

  Membership membership();

  static MetadataAccess local(MetadataService service) {
    return new MetadataAccess() {
      @Override
      public ShardMap shardMap() {
        return service.shardMap();
      }

      @Override
      public ShardMap createKeyspace(int keyspaceId, int shardCount) {
        return service.createKeyspace(keyspaceId, shardCount);
      }

      @Override
      public ShardMap dropKeyspace(int keyspaceId) {
        return service.dropKeyspace(keyspaceId);
      }

      @Override
      public Membership join(Member member) {
        return service.join(member);
      }

      @Override
      public Membership membership() {
        return service.membership();
      }
    };
  }

  static MetadataAccess remote(ClusterClient client) {
    int metadataNode = ClusterClient.METADATA_NODE_ID;
    return new MetadataAccess() {
      @Override
      public ShardMap shardMap() {
        return client.call(metadataNode, new ClusterRequest.GetShardMap());
      }

      @Override
      public ShardMap createKeyspace(int keyspaceId, int shardCount) {
        return client.call(metadataNode, new ClusterRequest.CreateKeyspace(keyspaceId, shardCount));
      }

      @Override
      public ShardMap dropKeyspace(int keyspaceId) {
        return client.call(metadataNode, new ClusterRequest.DropKeyspace(keyspaceId));
      }

      @Override
      public Membership join(Member member) {
        return client.call(metadataNode, new ClusterRequest.Join(member));
      }

      @Override
      public Membership membership() {
        return client.call(metadataNode, new ClusterRequest.GetMembership());
      }
    };
  }
}
