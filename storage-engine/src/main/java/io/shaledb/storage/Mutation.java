package io.shaledb.storage;

import java.util.Objects;

/** An intended write: {@code value} for a put, null for a delete. */
public record Mutation(byte[] key, byte[] value) {
  public Mutation {
    Objects.requireNonNull(key, "key");
  }

  public static Mutation put(byte[] key, byte[] value) {
    return new Mutation(key, Objects.requireNonNull(value, "value"));
  }

  public static Mutation delete(byte[] key) {
    return new Mutation(key, null);
  }

  public boolean isDelete() {
    return value == null;
  }
}
