package io.shaledb.storage;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps MapDB commits between storage operations. Every operation that writes to the maps runs
 * inside {@link #write} (shared); a MapDB commit runs inside {@link #exclusive}. So a commit never
 * splits an operation: after a crash each operation (a prepare's locks, a commit's versions, status
 * record and lock removal) is either wholly present or wholly absent, and MapDB's multi-record tree
 * updates (node splits) are never cut by a commit either.
 *
 * <p>Once {@link #fail} is called every later operation throws: the in-memory state may then be
 * ahead of what is durable, and serving it could acknowledge writes that a restart loses.
 */
final class CommitGate {
  // Non-fair: a waiting commit still blocks newly arriving writers, so commits cannot starve.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong writeOperations = new AtomicLong();
  private volatile Throwable failure;
  private volatile boolean closed;

  /**
   * Runs {@code operation} (map writes only; callers validate beforehand) between commits. If it
   * throws, the storage fails: the operation may be half applied, and the next commit would make
   * that durable.
   */
  <T> T write(Supplier<T> operation) {
    checkUsable();
    lock.readLock().lock();
    try {
      return operation.get();
    } catch (RuntimeException | Error e) {
      fail(e);
      throw e;
    } finally {
      lock.readLock().unlock();
      writeOperations.incrementAndGet();
    }
  }

  void write(Runnable operation) {
    write(
        () -> {
          operation.run();
          return null;
        });
  }

  void exclusive(Runnable commit) {
    lock.writeLock().lock();
    try {
      commit.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Operations that wrote so far; a commit that observes a change has new work. */
  long writeOperations() {
    return writeOperations.get();
  }

  /** Throws if the storage failed or was closed. */
  void checkUsable() {
    Throwable cause = failure;
    if (cause != null) {
      throw new ShaleException(SqlState.INTERNAL_ERROR, "storage failed to persist and is unusable: " + cause, cause);
    }
    if (closed) {
      throw new IllegalStateException("storage is closed");
    }
  }

  void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }

  Throwable failure() {
    return failure;
  }

  void close() {
    closed = true;
  }
}
