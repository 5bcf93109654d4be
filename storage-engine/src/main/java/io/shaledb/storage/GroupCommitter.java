package io.shaledb.storage;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: one syncer thread runs the durability barrier ({@code commit}) on behalf of every
 * thread that called {@link #sync} meanwhile.
 *
 * <p>A caller needs a commit that starts after its call began (its earlier writes are then covered,
 * because the commit waits for writes in flight). It asks for commit number {@code started + 1}
 * and waits until that many commits finished; every caller arriving while a commit runs asks for
 * the same next one, so they share it. The syncer also commits on its own when writes went
 * uncommitted for {@code idleCommitInterval}, which bounds what MapDB buffers in memory between
 * commits when nobody syncs.
 *
 * <p>If a commit fails, the gate is failed and every waiting and later {@link #sync} throws.
 */
final class GroupCommitter implements AutoCloseable {
  private static final Duration CLOSE_WAIT_LIMIT = Duration.ofMinutes(1);

  /** The barrier itself; runs on the syncer thread only, one at a time. */
  interface Commit {
    void run() throws Exception;
  }

  private final Commit commit;
  private final CommitGate gate;
  private final long idleCommitIntervalNanos;
  private final ReentrantLock mutex = new ReentrantLock();
  private final Condition workArrived = mutex.newCondition();
  private final Condition commitFinished = mutex.newCondition();
  private final Thread syncer;

  // Guarded by mutex.
  private long commitsStarted;
  private long commitsFinished;
  private long commitsRequested;
  private boolean closing;
  private boolean terminated;
  private Throwable failure;

  // Syncer thread only.
  private long writesCommitted;

  GroupCommitter(String name, Commit commit, CommitGate gate, Duration idleCommitInterval) {
    this.commit = commit;
    this.gate = gate;
    this.idleCommitIntervalNanos = idleCommitInterval.toNanos();
    this.writesCommitted = gate.writeOperations();
    this.syncer = new Thread(this::runSyncer, name);
    syncer.setDaemon(true);
    syncer.start();
  }

  /**
   * Returns once a commit that started after this call began has finished.
   *
   * @throws ShaleException if a commit failed or the thread was interrupted while waiting
   * @throws IllegalStateException if the committer is closed
   */
  void sync() {
    mutex.lock();
    try {
      long target = commitsStarted + 1;
      if (commitsRequested < target) {
        commitsRequested = target;
        workArrived.signal();
      }
      while (commitsFinished < target) {
        throwIfFailed();
        if (terminated) {
          throw new IllegalStateException("storage is closed");
        }
        commitFinished.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShaleException(SqlState.QUERY_CANCELED, "interrupted while waiting for a sync; writes may not be durable", e);
    } finally {
      mutex.unlock();
    }
  }

  /** Commits finished so far. */
  long commitCount() {
    mutex.lock();
    try {
      return commitsFinished;
    } finally {
      mutex.unlock();
    }
  }

  /** Runs a last commit if anything was written since the previous one, then stops the syncer. */
  @Override
  public void close() {
    mutex.lock();
    try {
      closing = true;
      workArrived.signal();
    } finally {
      mutex.unlock();
    }
    try {
      syncer.join(CLOSE_WAIT_LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (syncer.isAlive()) {
      throw new IllegalStateException("syncer did not stop within " + CLOSE_WAIT_LIMIT);
    }
    mutex.lock();
    try {
      throwIfFailed();
    } finally {
      mutex.unlock();
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw new ShaleException(SqlState.INTERNAL_ERROR, "commit failed, storage is unusable: " + failure, failure);
    }
  }

  private void runSyncer() {
    while (true) {
      long number;
      mutex.lock();
      try {
        if (!awaitWork()) {
          terminated = true;
          commitFinished.signalAll();
          return;
        }
        number = ++commitsStarted;
      } finally {
        mutex.unlock();
      }
      long writesBefore = gate.writeOperations();
      Throwable error = null;
      try {
        commit.run();
      } catch (Throwable e) {
        error = e;
      }
      mutex.lock();
      try {
        if (error != null) {
          failure = error;
          gate.fail(error);
          terminated = true;
          commitFinished.signalAll();
          return;
        }
        writesCommitted = writesBefore;
        commitsFinished = number;
        commitFinished.signalAll();
      } finally {
        mutex.unlock();
      }
    }
  }

  /** Waits (holding mutex) until a commit is due; false when the syncer should stop. */
  private boolean awaitWork() {
    long idleUntil = System.nanoTime() + idleCommitIntervalNanos;
    while (true) {
      if (commitsRequested > commitsStarted) {
        return true;
      }
      boolean uncommittedWrites = gate.writeOperations() != writesCommitted;
      if (closing) {
        return uncommittedWrites;
      }
      long remaining = idleUntil - System.nanoTime();
      if (remaining <= 0) {
        if (uncommittedWrites) {
          return true;
        }
        idleUntil = System.nanoTime() + idleCommitIntervalNanos;
        remaining = idleCommitIntervalNanos;
      }
      try {
        workArrived.awaitNanos(Math.min(remaining, TimeUnit.SECONDS.toNanos(1)));
      } catch (InterruptedException e) {
        // Nobody but close() should stop the syncer; close() signals instead of interrupting.
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
