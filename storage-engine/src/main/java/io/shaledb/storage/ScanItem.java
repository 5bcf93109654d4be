package io.shaledb.storage;

import java.util.Objects;

/** A key found by a scan and what a read of it returns (never {@link ReadResult.Absent}). */
public record ScanItem(byte[] key, ReadResult result) {
  public ScanItem {
    Objects.requireNonNull(key, "key");
    if (result instanceof ReadResult.Absent) {
      throw new IllegalArgumentException("scans skip absent keys");
    }
  }
}
