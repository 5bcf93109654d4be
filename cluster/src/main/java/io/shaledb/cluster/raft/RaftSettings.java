package io.shaledb.cluster.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/**
 * Every Raft setting of a node, in one place: the metadata group and (later) replicated shards
 * all run on the one {@link NodeRaftServer} these configure.
 *
 * <p>The defaults suit a loaded two-core machine: elections after 1-2 s of silence rather than
 * Ratis's 150-300 ms, which a garbage collection pause or a busy neighbour would trip. The leader
 * lease (on) lets the leader answer linearizable reads, and confirm it still leads before it hands
 * out timestamps, without a round of heartbeats: it holds for {@link #LEASE_RATIO} of the minimum
 * election timeout after a majority last acknowledged it, and no follower starts an election
 * before that timeout, so no other leader can exist meanwhile (clocks may drift, not step, by
 * less than the remaining 10% over one timeout: Ratis measures it with the monotonic clock).
 *
 * @param host the interface the Raft port binds
 * @param port the Raft port (gRPC, mutual TLS); 0 picks a free one
 * @param storageDirectory the node's Raft directory, under its data directory: its Raft identity,
 *     TLS key, and the logs and snapshots of its groups
 * @param electionTimeoutMin a follower that hears nothing from its leader this long may start an election
 * @param electionTimeoutMax the upper end of the randomized election timeout
 * @param requestTimeout how long one Raft request (a client's write, an append to a follower) may take
 * @param snapshotEveryEntries a state machine snapshot is taken after this many applied entries,
 *     and the log before it is purged
 */
public record RaftSettings(
    String host,
    int port,
    Path storageDirectory,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    long snapshotEveryEntries) {

  public static final int DEFAULT_PORT = 7660;
  public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(1000);
  public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(2000);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;
  /** The share of the minimum election timeout a leader trusts its lease for. */
  public static final double LEASE_RATIO = 0.9;

  public RaftSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(storageDirectory, "storageDirectory");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("raft-port must be between 0 and 65535, not " + port);
    }
    if (electionTimeoutMin.toMillis() < 100 || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
      throw new IllegalArgumentException("election timeouts must be at least 100 ms and min < max: "
          + electionTimeoutMin.toMillis() + " ms, " + electionTimeoutMax.toMillis() + " ms");
    }
    if (requestTimeout.compareTo(electionTimeoutMin) < 0) {
      throw new IllegalArgumentException("the Raft request timeout must not be shorter than the election timeout");
    }
    if (snapshotEveryEntries < 1) {
      throw new IllegalArgumentException("snapshotEveryEntries must be positive: " + snapshotEveryEntries);
    }
  }

  /** The defaults, with the Raft port and storage given. */
  public static RaftSettings defaults(String host, int port, Path storageDirectory) {
    return new RaftSettings(host, port, storageDirectory, DEFAULT_ELECTION_TIMEOUT_MIN, DEFAULT_ELECTION_TIMEOUT_MAX,
        DEFAULT_REQUEST_TIMEOUT, DEFAULT_SNAPSHOT_EVERY_ENTRIES);
  }

  public RaftSettings withElectionTimeouts(Duration min, Duration max) {
    return new RaftSettings(host, port, storageDirectory, min, max, requestTimeout, snapshotEveryEntries);
  }

  public RaftSettings withSnapshotEveryEntries(long entries) {
    return new RaftSettings(host, port, storageDirectory, electionTimeoutMin, electionTimeoutMax, requestTimeout, entries);
  }

  /** Where Ratis keeps the groups' logs and snapshots, one directory per group. */
  Path groupsDirectory() {
    return storageDirectory.resolve("groups");
  }

  /** The Ratis properties of a server (and of the clients that talk to it). */
  RaftProperties toProperties() {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(groupsDirectory().toFile()));
    GrpcConfigKeys.Server.setHost(properties, host);
    GrpcConfigKeys.Server.setPort(properties, port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(electionTimeoutMax));
    // A starting node asks for votes sooner (a lone first node elects itself at once); it cannot
    // disrupt a live leader: with pre-vote, voters that heard from a leader within the minimum
    // timeout withhold their votes.
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, millis(electionTimeoutMin.dividedBy(5)));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, millis(electionTimeoutMax.dividedBy(5)));
    RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(requestTimeout));
    RaftServerConfigKeys.LeaderElection.setPreVote(properties, true);
    // Growing from one voter to three adds a majority at once; joint consensus keeps that safe.
    RaftServerConfigKeys.LeaderElection.setMemberMajorityAdd(properties, true);
    // A leader cut off from the majority steps down after one election timeout instead of
    // serving reads it can no longer prove.
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(properties, millis(electionTimeoutMin));
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
    RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(properties, LEASE_RATIO);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, snapshotEveryEntries);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(Integer.MAX_VALUE, Math.max(1, snapshotEveryEntries / 2)));
    return properties;
  }

  private static TimeDuration millis(Duration duration) {
    return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
  }
}
