package io.shaledb.cluster.metadata;

import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.txn.tso.HybridTimestamps;
import java.time.Clock;
import java.util.Objects;

/**
 * The timestamp oracle as the metadata leader runs it. Timestamps follow the node's clock
 * ({@link HybridTimestamps}) and are handed out from memory below a bound committed in the
 * metadata group ({@link MetadataCommand.RaiseTimestampBound}), raised a window ahead when reached.
 *
 * <p>Why timestamps never repeat nor go backwards, across leader changes, kills, pauses and clock
 * steps:
 * <ul>
 *   <li>A new leader serves nothing before it has committed a bound of its own: the command's
 *       result is the bound before it, as of its place in the log, so it is at least every bound
 *       any earlier leader committed, and every earlier leader served only below its committed
 *       bound. The new leader starts at that previous bound (or its clock, if later), as TiKV's PD
 *       does.
 *   <li>A deposed leader must not serve once a new one may have started: every batch is drawn
 *       first and then confirmed by {@link MetadataGroup#confirmLeadership}, a linearizable read
 *       (leader lease, or a heartbeat round acknowledged by a majority) in the same term. A new
 *       leader needs the votes of a majority, which stop acknowledging the old one first, so a
 *       batch confirmed after it was drawn was drawn before any newer leader existed. A leader
 *       paused (SIGSTOP, GC) between drawing and confirming fails the confirmation when it wakes.
 *   <li>If the bound this leader raises turns out to have been raised by someone else meanwhile,
 *       it stops serving at once.
 *   <li>The clock is only a floor: a clock that steps back makes timestamps advance by the logical
 *       counter until it catches up; one that steps forward makes them jump forward.
 * </ul>
 * Thread-safe.
 */
public final class LeaderTimestamps {
  private final MetadataGroup group;
  private final Clock clock;
  private final long windowMs;
  /** Guarded by {@code this}: the term this leader established its bound in, or -1. */
  private long establishedTerm = -1;
  /** Guarded by {@code this}. */
  private long lastHandedOut;
  /** Guarded by {@code this}: exclusive; committed in the metadata group. */
  private long bound;

  public LeaderTimestamps(MetadataGroup group, Clock clock, long windowMs) {
    this.group = Objects.requireNonNull(group, "group");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (windowMs < 1) {
      throw new IllegalArgumentException("windowMs must be >= 1: " + windowMs);
    }
    this.windowMs = windowMs;
  }

  /**
   * {@code count} fresh timestamps in ascending order, each greater than every timestamp any
   * metadata leader handed out before this call began.
   *
   * @throws ShaleException {@link SqlState#CONNECTION_FAILURE} if this replica does not lead (the
   *     message names the leader it knows), or the bound could not be committed
   */
  public long[] next(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    long term;
    long[] timestamps = new long[count];
    synchronized (this) {
      if (!group.isLeaderReady()) {
        establishedTerm = -1;
        throw group.notLeader();
      }
      term = group.currentTerm();
      if (establishedTerm != term) {
        establishedTerm = -1;
        long[] raised = raiseBound(physicalNow() + HybridTimestamps.firstOf(windowMs));
        lastHandedOut = Math.max(lastHandedOut, raised[0] - 1);
        bound = raised[1];
        establishedTerm = term;
      }
      for (int i = 0; i < count; i++) {
        long candidate = Math.max(lastHandedOut + 1, physicalNow());
        if (candidate >= bound) {
          long[] raised = raiseBound(Math.max(candidate, physicalNow()) + HybridTimestamps.firstOf(windowMs));
          if (raised[0] > bound) {
            // Someone else raised it: another leader has served, so this one must stop.
            establishedTerm = -1;
            throw group.notLeader();
          }
          bound = raised[1];
        }
        lastHandedOut = candidate;
        timestamps[i] = candidate;
      }
    }
    group.confirmLeadership(term);
    return timestamps;
  }

  /** Commits a bound of at least {@code wanted}; returns the bound before and after. */
  private long[] raiseBound(long wanted) {
    if (HybridTimestamps.epochMillisOf(wanted) >= HybridTimestamps.MAX_EPOCH_MILLIS) {
      throw new IllegalStateException("timestamp space exhausted");
    }
    WireInput in = new WireInput(group.submit(new MetadataCommand.RaiseTimestampBound(wanted)));
    long[] beforeAndAfter = {in.readLong(), in.readLong()};
    in.expectEnd();
    return beforeAndAfter;
  }

  private long physicalNow() {
    long millis = clock.millis();
    return millis <= 0 ? 0 : HybridTimestamps.firstOf(Math.min(millis, HybridTimestamps.MAX_EPOCH_MILLIS - windowMs - 1));
  }
}
