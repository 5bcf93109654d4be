package io.shaledb.cluster.replication;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * How replica groups run: timeouts sized for a loaded machine (elections after 1–2 s of silence,
 * not Raft's usual 150–300 ms), when snapshots are taken and how long a client keeps trying.
 *
 * @param electionTimeoutMin a follower that hears nothing from its leader for a random time between
 *     this and {@code electionTimeoutMax} starts an election
 * @param electionTimeoutMax see {@code electionTimeoutMin}
 * @param rpcTimeout one request's wait for an answer, before the client retries (same call id, so
 *     the leader's retry cache answers a request it already applied)
 * @param commandDeadline how long a participant keeps trying one command, across leader changes
 * @param snapshotEveryEntries a replica snapshots its store after this many applied entries, and
 *     its log is then purged up to the snapshot, followers behind it or not: a dead replica does not
 *     make the log grow without bound (it gets the snapshot when it comes back)
 * @param logSegmentBytes the Raft log is purged in whole segments of about this size: the log keeps
 *     at most one snapshot interval plus one segment
 */
public record ReplicationConfig(
    Duration electionTimeoutMin, Duration electionTimeoutMax, Duration rpcTimeout, Duration commandDeadline,
    long snapshotEveryEntries, long logSegmentBytes) {

  public ReplicationConfig {
    Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
    Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
    Objects.requireNonNull(rpcTimeout, "rpcTimeout");
    Objects.requireNonNull(commandDeadline, "commandDeadline");
    if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero() || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
      throw new IllegalArgumentException("election timeouts must satisfy 0 < min < max: " + electionTimeoutMin + ", " + electionTimeoutMax);
    }
    if (rpcTimeout.compareTo(electionTimeoutMax) <= 0) {
      throw new IllegalArgumentException("the RPC timeout " + rpcTimeout + " must exceed the election timeout " + electionTimeoutMax);
    }
    if (commandDeadline.compareTo(rpcTimeout) < 0) {
      throw new IllegalArgumentException("the command deadline " + commandDeadline + " is shorter than one RPC " + rpcTimeout);
    }
    if (logSegmentBytes < 4096) {
      throw new IllegalArgumentException("logSegmentBytes must be >= 4096: " + logSegmentBytes);
    }
    if (snapshotEveryEntries < 1) {
      throw new IllegalArgumentException("snapshotEveryEntries must be >= 1: " + snapshotEveryEntries);
    }
  }

  public static ReplicationConfig defaults() {
    return new ReplicationConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(15), 10_000, 8L << 20);
  }

  /**
   * A replica server's properties: gRPC on {@code port}, Raft storage (log, snapshots) under {@code
   * raftDirectory} (never Ratis's default under /tmp), linearizable reads by read index.
   */
  public RaftProperties serverProperties(Path raftDirectory, int port) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    GrpcConfigKeys.Server.setPort(properties, port);
    RaftServerConfigKeys.setStorageDir(properties, List.of(raftDirectory.toFile()));
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(electionTimeoutMax));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, millis(electionTimeoutMin));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, millis(electionTimeoutMax));
    RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(rpcTimeout));
    // Reads go to the leader, which confirms with a majority that it still leads (read index) and
    // waits until it applied everything committed before answering: never stale.
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, snapshotEveryEntries);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(Integer.MAX_VALUE, Math.max(1, snapshotEveryEntries / 4)));
    // The store records its own applied index; Ratis's commit-index entries would add a second log
    // force to every commit (measured: 2 per replica per one-phase commit with them, 1 without).
    RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(logSegmentBytes));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, true);
    RaftServerConfigKeys.RetryCache.setExpiryTime(properties, millis(commandDeadline.multipliedBy(4)));
    return properties;
  }

  /** A client's properties (see {@link ReplicaGroupClient}). */
  public RaftProperties clientProperties() {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, millis(rpcTimeout));
    return properties;
  }

  private static TimeDuration millis(Duration duration) {
    return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
  }
}
