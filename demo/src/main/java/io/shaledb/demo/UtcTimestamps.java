package io.shaledb.demo;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The shop stores every time as a TIMESTAMP in UTC (ShaleDB's TIMESTAMP has no time zone). */
final class UtcTimestamps {
  private UtcTimestamps() {}

  /** The clock's current instant, in UTC. */
  static Timestamp now(Clock clock) {
    return Timestamp.valueOf(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
  }
}
