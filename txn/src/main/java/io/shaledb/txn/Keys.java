package io.shaledb.txn;

import io.shaledb.kv.Keyspaces;
import java.util.HexFormat;

/** Key formatting for error messages. */
final class Keys {
  private static final int SHOWN_BYTES_MAX = 32;

  private Keys() {}

  /** "keyspace 1024 key 0a0b..." with the key's bytes after the prefix in hex, truncated. */
  static String describe(byte[] key) {
    if (key.length < Keyspaces.PREFIX_BYTES) {
      return "key " + HexFormat.of().formatHex(key);
    }
    int end = Math.min(key.length, Keyspaces.PREFIX_BYTES + SHOWN_BYTES_MAX);
    String hex = HexFormat.of().formatHex(key, Keyspaces.PREFIX_BYTES, end);
    return "keyspace " + Keyspaces.keyspaceOf(key) + " key " + hex + (end < key.length ? "..." : "");
  }
}
