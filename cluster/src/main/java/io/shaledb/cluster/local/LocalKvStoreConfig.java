package io.shaledb.cluster.local;

import io.shaledb.cluster.txn.TxnConfig;
import java.util.Objects;

/**
 * Configuration of a {@link LocalKvStore}.
 *
 * @param txn lock TTL, lock wait bound and back-off of transactions
 * @param timestampWindowMs how far ahead of the clock the timestamp oracle's durable bound runs
 *     (one sync per window)
 */
public record LocalKvStoreConfig(TxnConfig txn, long timestampWindowMs) {
  public LocalKvStoreConfig {
    Objects.requireNonNull(txn, "txn");
    if (timestampWindowMs < 1) {
      throw new IllegalArgumentException("timestampWindowMs must be >= 1: " + timestampWindowMs);
    }
  }

  /** {@link TxnConfig#defaults()} and a 3 s timestamp window. */
  public static LocalKvStoreConfig defaults() {
    return new LocalKvStoreConfig(TxnConfig.defaults(), 3_000);
  }
}
