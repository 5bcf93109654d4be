package io.shaledb.txn.local;

import io.shaledb.txn.TxnConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link LocalKvStore}.
 *
 * @param txn lock TTL, lock wait bound and back-off of transactions
 * @param timestampWindowMs how far ahead of the clock the timestamp oracle's durable bound runs
 *     (one sync per window)
 * @param versionRetention how long old row versions stay readable (time travel) before garbage
 *     collection may remove them; a transaction still in progress keeps what its snapshot needs
 *     however old it is
 * @param gcInterval pause between garbage collection passes when the store runs them on a scheduler
 */
public record LocalKvStoreConfig(TxnConfig txn, long timestampWindowMs, Duration versionRetention, Duration gcInterval) {
  /**
   * One day: the window the SQL layer's {@code FOR SYSTEM_TIME AS OF} promises by default, long
   * enough to look at (or copy back) data as it was before a mistake noticed the next morning, and
   * for a consistent export that reads at one timestamp for hours; a row updated every second then
   * keeps under 100,000 versions. (CockroachDB kept 25 hours by default for years; Spanner keeps one.)
   */
  public static final Duration DEFAULT_VERSION_RETENTION = Duration.ofHours(24);

  /** One minute: a pass costs a walk over every shard, and versions pile up for an hour anyway. */
  public static final Duration DEFAULT_GC_INTERVAL = Duration.ofMinutes(1);

  public LocalKvStoreConfig {
    Objects.requireNonNull(txn, "txn");
    Objects.requireNonNull(versionRetention, "versionRetention");
    Objects.requireNonNull(gcInterval, "gcInterval");
    if (timestampWindowMs < 1) {
      throw new IllegalArgumentException("timestampWindowMs must be >= 1: " + timestampWindowMs);
    }
    if (versionRetention.isNegative()) {
      throw new IllegalArgumentException("versionRetention must not be negative: " + versionRetention);
    }
    if (gcInterval.isNegative() || gcInterval.isZero()) {
      throw new IllegalArgumentException("gcInterval must be positive: " + gcInterval);
    }
  }

  /** With the default retention and collection interval. */
  public LocalKvStoreConfig(TxnConfig txn, long timestampWindowMs) {
    this(txn, timestampWindowMs, DEFAULT_VERSION_RETENTION, DEFAULT_GC_INTERVAL);
  }

  public LocalKvStoreConfig withVersionRetention(Duration retention) {
    return new LocalKvStoreConfig(txn, timestampWindowMs, retention, gcInterval);
  }

  public LocalKvStoreConfig withGcInterval(Duration interval) {
    return new LocalKvStoreConfig(txn, timestampWindowMs, versionRetention, interval);
  }

  /** {@link TxnConfig#defaults()}, a 3 s timestamp window, one day of version retention, a pass a minute. */
  public static LocalKvStoreConfig defaults() {
    return new LocalKvStoreConfig(TxnConfig.defaults(), 3_000);
  }
}
