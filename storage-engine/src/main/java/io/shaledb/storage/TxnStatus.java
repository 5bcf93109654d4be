package io.shaledb.storage;

/** A transaction's fate as its primary shard knows it. */
public sealed interface TxnStatus {
  record Committed(long commitTs) implements TxnStatus {}

  record RolledBack() implements TxnStatus {}

  /** Still prepared and its lock has not expired: the coordinator may yet commit it. */
  record Pending(long lockExpiresAtMs) implements TxnStatus {}

  TxnStatus ROLLED_BACK = new RolledBack();
}
