package io.shaledb.storage;

/** The outcome of a one-shard, one-step commit. */
public sealed interface OnePhaseResult {
  record Committed(long commitTs) implements OnePhaseResult {}

  record WriteConflict(byte[] key, long commitTs) implements OnePhaseResult {}

  record KeyLocked(LockInfo lock) implements OnePhaseResult {}
}
