package io.shaledb.cluster.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * For fault tests ({@code --test-clock-offset-file}): a clock that runs ahead of another by the
 * milliseconds written in a file (negative: behind), so a test can step one node's clock while
 * it runs. The file is read again at most every {@link #REREAD_NANOS} on use; a missing or empty
 * file means no offset, and a file being rewritten keeps the last offset read. Thread-safe.
 */
final class OffsetFileClock extends Clock {
  static final long REREAD_NANOS = 100_000_000L;

  private final Clock base;
  private final Path file;
  private final LongSupplier nanoTime;
  private volatile long offsetMillis;
  private volatile long readAtNanos;

  OffsetFileClock(Clock base, Path file, LongSupplier nanoTime) {
    this.base = base;
    this.file = file;
    this.nanoTime = nanoTime;
    this.readAtNanos = nanoTime.getAsLong();
    this.offsetMillis = readOffset(0);
  }

  /** The offset currently applied, in milliseconds. */
  long offsetMillis() {
    long now = nanoTime.getAsLong();
    if (now - readAtNanos >= REREAD_NANOS) {
      readAtNanos = now;
      offsetMillis = readOffset(offsetMillis);
    }
    return offsetMillis;
  }

  private long readOffset(long previous) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      // Caught halfway through a rewrite: the next read sees the whole number.
      return previous;
    }
  }

  @Override
  public long millis() {
    return base.millis() + offsetMillis();
  }

  @Override
  public Instant instant() {
    return base.instant().plusMillis(offsetMillis());
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new OffsetFileClock(base.withZone(zone), file, nanoTime);
  }
}
