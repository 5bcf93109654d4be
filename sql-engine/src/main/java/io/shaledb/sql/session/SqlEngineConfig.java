package io.shaledb.sql.session;

import java.time.Clock;
import java.time.Duration;
import io.shaledb.sql.schema.ClusterNodesView;
import java.util.Objects;

/**
 * How the SQL engine behaves.
 *
 * @param clock statement time (CURRENT_TIMESTAMP) and the present for time travel; injectable for deterministic tests
 * @param defaultShardCount shards of a table created without {@code SHARDS n}
 * @param planCacheCapacity statement texts whose plans are kept; 0 disables the plan cache
 * @param planningTimeoutMs how long the optimizer may search before the statement fails with 54001
 * @param retention how far back {@code FOR SYSTEM_TIME AS OF} may read; must not exceed how long
 *     the store keeps old versions (its MVCC garbage collection horizon)
 * @param autoAnalyze whether a table's statistics are gathered again on their own once a share of its rows changed
 *     ({@link io.shaledb.sql.stats.StatisticsKeeper}); off, only ANALYZE gathers them
 */
public record SqlEngineConfig(Clock clock, int defaultShardCount, int planCacheCapacity, long planningTimeoutMs,
    Duration retention, boolean autoAnalyze, ClusterNodesView clusterNodes) {
  public static final int DEFAULT_SHARD_COUNT = 8;
  public static final int DEFAULT_PLAN_CACHE_CAPACITY = 1000;
  public static final long DEFAULT_PLANNING_TIMEOUT_MS = 10_000;
  /** Time travel reaches one day back unless configured otherwise. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

  public SqlEngineConfig {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(clusterNodes, "clusterNodes");
    if (defaultShardCount < 1) {
      throw new IllegalArgumentException("defaultShardCount must be positive");
    }
    if (planCacheCapacity < 0) {
      throw new IllegalArgumentException("planCacheCapacity must not be negative");
    }
    if (planningTimeoutMs < 1) {
      throw new IllegalArgumentException("planningTimeoutMs must be positive");
    }
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative");
    }
  }

  /** A configuration with the default plan cache, planning time limit and retention. */
  public SqlEngineConfig(Clock clock, int defaultShardCount) {
    this(clock, defaultShardCount, DEFAULT_PLAN_CACHE_CAPACITY, DEFAULT_PLANNING_TIMEOUT_MS, DEFAULT_RETENTION, true,
        ClusterNodesView.NONE);
  }

  public static SqlEngineConfig defaults() {
    return new SqlEngineConfig(Clock.systemUTC(), DEFAULT_SHARD_COUNT);
  }

  public SqlEngineConfig withPlanCacheCapacity(int capacity) {
    return new SqlEngineConfig(clock, defaultShardCount, capacity, planningTimeoutMs, retention, autoAnalyze,
        clusterNodes);
  }

  public SqlEngineConfig withPlanningTimeoutMs(long timeoutMs) {
    return new SqlEngineConfig(clock, defaultShardCount, planCacheCapacity, timeoutMs, retention, autoAnalyze,
        clusterNodes);
  }

  /** This configuration with another retention window for time travel. */
  public SqlEngineConfig withRetention(Duration newRetention) {
    return new SqlEngineConfig(clock, defaultShardCount, planCacheCapacity, planningTimeoutMs, newRetention, autoAnalyze,
        clusterNodes);
  }

  /** This configuration with automatic statistics refresh switched on or off. */
  public SqlEngineConfig withAutoAnalyze(boolean enabled) {
    return new SqlEngineConfig(clock, defaultShardCount, planCacheCapacity, planningTimeoutMs, retention, enabled,
        clusterNodes);
  }

  /** This configuration with {@code information_schema.cluster_nodes} showing {@code view}. */
  public SqlEngineConfig withClusterNodes(ClusterNodesView view) {
    return new SqlEngineConfig(clock, defaultShardCount, planCacheCapacity, planningTimeoutMs, retention, autoAnalyze,
        view);
  }
}
