package io.shaledb.cluster.replication;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.storage.GcResult;
import io.shaledb.txn.ShardParticipant;
import io.shaledb.txn.ShardRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * A node's handle on one replica group: a Raft client that finds the leader (following not-leader
 * hints), and the {@link ShardParticipant}s of the group's shards over it.
 *
 * <p>Retries: the Raft client resends a command under the same call id until the {@link
 * ReplicationConfig#commandDeadline()}; a leader (the new one too, after a fail-over: every replica
 * fills its retry cache as it applies) answers a call id it already applied from its cache, so no
 * command is applied twice for one send. When that gives up, a command that is safe to repeat
 * (every shard request but a one-phase commit: see {@code ShardStore}) is sent again as a new
 * command while the deadline lasts. A commit point whose outcome stays unknown fails with {@link
 * SqlState#TRANSACTION_RESOLUTION_UNKNOWN} (08007); any other command with {@link
 * SqlState#CONNECTION_FAILURE} (08006).
 */
public final class ReplicaGroupClient implements AutoCloseable {
  private static final long RESEND_PAUSE_MS = 200;
  /** Commands in flight at once; more wait in the caller's thread. */
  private static final int SENDERS_MAX = 64;

  private final RaftClient raft;
  private final ReplicationConfig config;
  private final ScheduledExecutorService timer;
  /**
   * Runs the Raft client's blocking calls. Its asynchronous API is ordered: one command that runs
   * out of retries closes the stream for every later one. Commands of a coordinator need no order
   * among them (it waits for a reply before it sends what depends on it).
   */
  private final ExecutorService senders;
  /** Where reads go when a replica named the leader in a refusal; null: the Raft client's own guess. */
  private volatile RaftPeerId readTarget;

  private ReplicaGroupClient(RaftClient raft, ReplicationConfig config, ScheduledExecutorService timer) {
    this.raft = raft;
    this.config = config;
    this.timer = timer;
    this.senders = new ThreadPoolExecutor(0, SENDERS_MAX, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, "shaledb-replica-client");
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
  }

  public static ReplicaGroupClient open(RaftGroup group, ReplicationConfig config) {
    Objects.requireNonNull(group, "group");
    // Not-leader answers come at once while an election runs: count attempts by the pause alone.
    int attempts = (int) Math.max(1, config.commandDeadline().toMillis() / RESEND_PAUSE_MS);
    RaftClient raft = RaftClient.newBuilder()
        .setProperties(config.clientProperties())
        .setRaftGroup(group)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            attempts, TimeDuration.valueOf(RESEND_PAUSE_MS, TimeUnit.MILLISECONDS)))
        .build();
    ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "shaledb-replica-client-timer");
      thread.setDaemon(true);
      return thread;
    });
    return new ReplicaGroupClient(raft, config, timer);
  }

  /** The participant for {@code shardId}, one of the group's shards. */
  public ShardParticipant participant(int shardId) {
    return new ReplicatedShardParticipant(shardId, this);
  }

  /** Version garbage collection of every shard of the group at {@code safeTs}, as a log entry. */
  public CompletableFuture<GcResult> collectGarbage(long safeTs) {
    long deadline = System.nanoTime() + config.commandDeadline().toNanos();
    return attempt(new ReplicaCommand.CollectGarbage(safeTs), true, true, deadline, ReplicaReply::readGcResult,
        "version collection at " + safeTs);
  }

  /** Sends {@code request} to the group: state changes through the log, reads to the leader after its read index. */
  <R> CompletableFuture<R> send(ShardRequest<R> request) {
    long deadline = System.nanoTime() + config.commandDeadline().toNanos();
    boolean repeatable = !(request instanceof ShardRequest.CommitOnePhase);
    return attempt(new ReplicaCommand.Shard(request), request.changesState(), repeatable, deadline,
        reply -> ReplicaReply.readResult(request, reply), request.getClass().getSimpleName() + " on shard " + request.shardId())
        .exceptionally(failure -> {
          throw new CompletionException(finalFailure(request, unwrap(failure)));
        });
  }

  private <R> CompletableFuture<R> attempt(
      ReplicaCommand command, boolean write, boolean repeatable, long deadlineNanos, Function<byte[], R> decode,
      String what) {
    Message message = Message.valueOf(ByteString.copyFrom(command.encode()));
    CompletableFuture<RaftClientReply> sent = CompletableFuture.supplyAsync(() -> {
      try {
        if (write) {
          return raft.io().send(message);
        }
        RaftPeerId target = readTarget;
        return target == null ? raft.io().sendReadOnly(message) : raft.io().sendReadOnly(message, target);
      } catch (IOException e) {
        readTarget = null;
        throw new CompletionException(e);
      }
    }, senders);
    long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    return sent.orTimeout(leftMs, TimeUnit.MILLISECONDS)
        .thenApply(reply -> {
          if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
          }
          return decode.apply(reply.getMessage().getContent().toByteArray());
        })
        .handle((result, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(result);
          }
          Throwable cause = unwrap(failure);
          if (cause instanceof ReplicaReply.NotLeaderException notLeader) {
            readTarget = notLeader.leaderHint().isEmpty() ? null : RaftPeerId.valueOf(notLeader.leaderHint());
          }
          boolean definite = cause instanceof ShaleException && !(cause instanceof ReplicaReply.AppliedBeforeException)
              && !(cause instanceof ReplicaReply.NotLeaderException);
          if (definite || !repeatable || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESEND_PAUSE_MS) >= deadlineNanos) {
            return CompletableFuture.<R>failedFuture(cause);
          }
          CompletableFuture<R> again = new CompletableFuture<>();
          timer.schedule(() -> attempt(command, write, true, deadlineNanos, decode, what).whenComplete((value, error) -> {
            if (error == null) {
              again.complete(value);
            } else {
              again.completeExceptionally(unwrap(error));
            }
          }), RESEND_PAUSE_MS, TimeUnit.MILLISECONDS);
          return again;
        })
        .thenCompose(Function.identity());
  }

  private static RuntimeException finalFailure(ShardRequest<?> request, Throwable cause) {
    if (cause instanceof ShaleException shale && !(cause instanceof ReplicaReply.AppliedBeforeException)
        && !(cause instanceof ReplicaReply.NotLeaderException)) {
      return shale; // a replica's answer: definite
    }
    String detail = cause instanceof TimeoutException ? "no answer within the deadline" : String.valueOf(cause);
    if (request instanceof ShardRequest.CommitOnePhase || request instanceof ShardRequest.CommitPrimary) {
      long startTs = request instanceof ShardRequest.CommitOnePhase c ? c.startTs() : ((ShardRequest.CommitPrimary) request).startTs();
      return new ShaleException(SqlState.TRANSACTION_RESOLUTION_UNKNOWN,
          "the outcome of committing the transaction started at " + startTs + " on shard " + request.shardId()
              + " is unknown: " + detail, cause);
    }
    return new ShaleException(SqlState.CONNECTION_FAILURE,
        "shard " + request.shardId() + "'s replica group did not answer " + request.getClass().getSimpleName() + ": " + detail, cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    senders.shutdownNow();
    try {
      raft.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
