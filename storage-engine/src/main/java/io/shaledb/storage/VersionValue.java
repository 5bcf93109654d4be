package io.shaledb.storage;

import java.util.Arrays;

/** Encoding of a version map value: a tag byte, then the value; a lone tag marks a tombstone (a committed delete). */
final class VersionValue {
  private static final byte TOMBSTONE = 0;
  private static final byte PUT = 1;
  private static final byte[] TOMBSTONE_BYTES = {TOMBSTONE};

  private VersionValue() {}

  /** The encoding of {@code value}, or of a tombstone if it is null. */
  static byte[] encode(byte[] value) {
    if (value == null) {
      return TOMBSTONE_BYTES.clone();
    }
    byte[] out = new byte[value.length + 1];
    out[0] = PUT;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  static boolean isTombstone(byte[] encoded) {
    if (encoded[0] == TOMBSTONE) {
      return true;
    }
    if (encoded[0] != PUT) {
      throw new IllegalStateException("corrupt version value tag " + encoded[0]);
    }
    return false;
  }

  /** The value of a non-tombstone encoding. */
  static byte[] valueOf(byte[] encoded) {
    return Arrays.copyOfRange(encoded, 1, encoded.length);
  }
}
