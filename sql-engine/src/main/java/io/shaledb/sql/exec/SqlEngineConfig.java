package io.shaledb.sql.exec;

import java.time.Clock;
import java.util.Objects;

/**
 * How the SQL engine behaves.
 *
 * @param clock statement time (CURRENT_TIMESTAMP); injectable for deterministic tests
 * @param defaultShardCount shards of a table created without {@code SHARDS n}
 */
public record SqlEngineConfig(Clock clock, int defaultShardCount) {
  public static final int DEFAULT_SHARD_COUNT = 8;

  public SqlEngineConfig {
    Objects.requireNonNull(clock, "clock");
    if (defaultShardCount < 1) {
      throw new IllegalArgumentException("defaultShardCount must be positive");
    }
  }

  public static SqlEngineConfig defaults() {
    return new SqlEngineConfig(Clock.systemUTC(), DEFAULT_SHARD_COUNT);
  }
}
