package io.shaledb.kv;

import java.util.Objects;

/** A key and its value as one transaction sees them. */
public record KvEntry(byte[] key, byte[] value) {
  public KvEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
