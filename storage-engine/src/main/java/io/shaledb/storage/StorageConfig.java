package io.shaledb.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How to open a node's storage.
 *
 * @param directory data directory for the MapDB file, or null for in-memory storage
 * @param clock wall clock for lock expiry; injectable so tests control time
 */
public record StorageConfig(Path directory, Clock clock) {
  public StorageConfig {
    Objects.requireNonNull(clock, "clock");
  }

  public static StorageConfig inMemory() {
    return new StorageConfig(null, Clock.systemUTC());
  }

  public static StorageConfig file(Path directory) {
    return new StorageConfig(Objects.requireNonNull(directory, "directory"), Clock.systemUTC());
  }

  public boolean isInMemory() {
    return directory == null;
  }
}
