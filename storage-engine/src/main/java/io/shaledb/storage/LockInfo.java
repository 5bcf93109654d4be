package io.shaledb.storage;

import java.util.Objects;

/** A prepared write: transaction {@code startTs} holds {@code key}; its fate is decided at {@code primaryKey}. */
public record LockInfo(byte[] key, long startTs, byte[] primaryKey, long expiresAtMs) {
  public LockInfo {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(primaryKey, "primaryKey");
  }
}
