package io.shaledb.txn;

/**
 * Timing of the transaction coordinator.
 *
 * @param lockTtlMs how long a prepared lock protects an unfinished commit before other
 *     transactions may roll it back; a live coordinator renews it at phase boundaries, so one
 *     phase step must take well under half of it
 * @param lockWaitMaxMs the most a statement backs off in total waiting for one lock of a pending
 *     transaction before it fails with SQLSTATE 40001
 * @param backoffInitialMs first back-off pause when a lock is pending; doubles up to {@code backoffMaxMs}
 * @param backoffMaxMs longest single back-off pause
 */
public record TxnConfig(long lockTtlMs, long lockWaitMaxMs, long backoffInitialMs, long backoffMaxMs) {
  public TxnConfig {
    if (lockTtlMs < 2) {
      throw new IllegalArgumentException("lockTtlMs must be >= 2: " + lockTtlMs);
    }
    if (lockWaitMaxMs < 0) {
      throw new IllegalArgumentException("lockWaitMaxMs must be >= 0: " + lockWaitMaxMs);
    }
    if (backoffInitialMs < 1) {
      throw new IllegalArgumentException("backoffInitialMs must be >= 1: " + backoffInitialMs);
    }
    if (backoffMaxMs < backoffInitialMs) {
      throw new IllegalArgumentException(
          "backoffMaxMs must be >= backoffInitialMs: " + backoffMaxMs + " < " + backoffInitialMs);
    }
  }

  /** 10 s lock TTL, 3 s lock wait, back-off 1..64 ms. */
  public static TxnConfig defaults() {
    return new TxnConfig(10_000, 3_000, 1, 64);
  }
}
