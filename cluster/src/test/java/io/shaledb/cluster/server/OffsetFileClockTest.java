package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetFileClockTest {
  private static final Clock BASE = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

  @TempDir
  Path directory;

  @Test
  void followsTheFileOnceTheRereadIntervalPassed() throws Exception {
    Path file = directory.resolve("offset");
    Files.writeString(file, "2500\n");
    AtomicLong nanos = new AtomicLong();
    OffsetFileClock clock = new OffsetFileClock(BASE, file, nanos::get);
    assertEquals(1_002_500, clock.millis());
    assertEquals(Instant.ofEpochMilli(1_002_500), clock.instant());

    Files.writeString(file, "-7000");
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS - 1);
    assertEquals(1_002_500, clock.millis(), "read again before the interval passed");
    nanos.addAndGet(1);
    assertEquals(993_000, clock.millis());
  }

  @Test
  void aMissingFileIsNoOffsetAndAnUnreadableOneKeepsTheLast() throws Exception {
    Path file = directory.resolve("offset");
    AtomicLong nanos = new AtomicLong();
    OffsetFileClock clock = new OffsetFileClock(BASE, file, nanos::get);
    assertEquals(1_000_000, clock.millis());
    Files.writeString(file, "40");
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS);
    assertEquals(1_000_040, clock.millis());
    Files.writeString(file, "4");
    Files.writeString(file, "not a number");
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS);
    assertEquals(1_000_040, clock.millis());
  }
}
