package io.shaledb.storage;

/** The outcome of phase 1 on one shard. */
public sealed interface PrepareResult {
  record Prepared() implements PrepareResult {}

  /** A version of {@code key} committed at {@code commitTs} after the transaction started. */
  record WriteConflict(byte[] key, long commitTs) implements PrepareResult {}

  /** Another transaction holds a lock on a key; resolve it, then prepare again or abort. */
  record KeyLocked(LockInfo lock) implements PrepareResult {}

  PrepareResult PREPARED = new Prepared();
}
