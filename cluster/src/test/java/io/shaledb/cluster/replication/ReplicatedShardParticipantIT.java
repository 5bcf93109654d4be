package io.shaledb.cluster.replication;

import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.ShardParticipantContract;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ShardParticipantContract} of a shard replicated on three Ratis servers (loopback gRPC,
 * MapDB stores in temporary directories): every state change is a log entry applied by all three,
 * every read a linearizable read of the leader.
 */
class ReplicatedShardParticipantIT extends ShardParticipantContract {
  private static final int SHARD = 7;

  @TempDir Path directory;
  private final AtomicLong oracle = new AtomicLong(1_000);
  private ReplicaGroupRig rig;

  @Override
  protected ShardParticipant open() {
    rig = new ReplicaGroupRig(directory, 3, Set.of(SHARD), ReplicaGroupRig.testConfig(10_000), oracle::incrementAndGet).startAll();
    return rig.client().participant(SHARD);
  }

  @Override
  protected long nextTimestamp() {
    return oracle.incrementAndGet();
  }

  @Override
  protected void close() {
    rig.close();
  }
}
