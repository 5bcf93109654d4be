package io.shaledb.sql.exec;

import java.time.Clock;
import java.util.Objects;

/**
 * How the SQL engine behaves.
 *
 * @param clock statement time (CURRENT_TIMESTAMP); injectable for deterministic tests
 * @param defaultShardCount shards of a table created without {@code SHARDS n}
 * @param planCacheCapacity statement texts whose plans are kept; 0 disables the plan cache
 * @param planningTimeoutMs how long the optimizer may search before the statement fails with 54001
 */
public record SqlEngineConfig(Clock clock, int defaultShardCount, int planCacheCapacity, long planningTimeoutMs) {
  public static final int DEFAULT_SHARD_COUNT = 8;
  public static final int DEFAULT_PLAN_CACHE_CAPACITY = 1000;
  public static final long DEFAULT_PLANNING_TIMEOUT_MS = 10_000;

  public SqlEngineConfig {
    Objects.requireNonNull(clock, "clock");
    if (defaultShardCount < 1) {
      throw new IllegalArgumentException("defaultShardCount must be positive");
    }
    if (planCacheCapacity < 0) {
      throw new IllegalArgumentException("planCacheCapacity must not be negative");
    }
    if (planningTimeoutMs < 1) {
      throw new IllegalArgumentException("planningTimeoutMs must be positive");
    }
  }

  public SqlEngineConfig(Clock clock, int defaultShardCount) {
    this(clock, defaultShardCount, DEFAULT_PLAN_CACHE_CAPACITY, DEFAULT_PLANNING_TIMEOUT_MS);
  }

  public static SqlEngineConfig defaults() {
    return new SqlEngineConfig(Clock.systemUTC(), DEFAULT_SHARD_COUNT, DEFAULT_PLAN_CACHE_CAPACITY,
        DEFAULT_PLANNING_TIMEOUT_MS);
  }

  public SqlEngineConfig withPlanCacheCapacity(int capacity) {
    return new SqlEngineConfig(clock, defaultShardCount, capacity, planningTimeoutMs);
  }

  public SqlEngineConfig withPlanningTimeoutMs(long timeoutMs) {
    return new SqlEngineConfig(clock, defaultShardCount, planCacheCapacity, timeoutMs);
  }
}
