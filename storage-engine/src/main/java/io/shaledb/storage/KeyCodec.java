package io.shaledb.storage;

import java.util.Arrays;

/**
 * Layout of the keys of a shard's MapDB maps, all compared as unsigned byte strings.
 *
 * <p>A user key is escaped so that it can be followed by more bytes without breaking its order
 * against keys it is a prefix of: {@code 0x00} becomes {@code 0x00 0xFF} and the key ends with the
 * terminator {@code 0x00 0x01}. For user keys {@code a < b} every string starting with {@code
 * escaped(a) + terminator} sorts below every string starting with {@code escaped(b) + terminator},
 * and {@code escaped(a)} without terminator is a lower bound of both.
 *
 * <p>Version keys are {@code escaped(key) + terminator + ~commitTs} (8 bytes, big-endian), so the
 * versions of one key are contiguous and newest first. Transaction record keys are {@code
 * escaped(primaryKey) + terminator + startTs}.
 */
final class KeyCodec {
  static final int TIMESTAMP_BYTES = 8;
  private static final byte ESCAPE = 0x00;
  private static final byte ESCAPED_ZERO = (byte) 0xFF;
  private static final byte TERMINATOR = 0x01;

  private KeyCodec() {}

  /** The escaped key without terminator: a lower bound of the map keys of {@code key} and of every greater user key. */
  static byte[] escapedBound(byte[] key) {
    return escape(key, 0);
  }

  /** The map key of the version of {@code key} committed at {@code commitTs}. */
  static byte[] versionKey(byte[] key, long commitTs) {
    return withTimestamp(key, ~commitTs);
  }

  /** The smallest map key of {@code key}: the position of its newest version. */
  static byte[] newestVersionKey(byte[] key) {
    return versionKey(key, Long.MAX_VALUE);
  }

  /** The map key of the status record of the transaction {@code startTs} whose primary is {@code primaryKey}. */
  static byte[] txnKey(byte[] primaryKey, long startTs) {
    return withTimestamp(primaryKey, startTs);
  }

  static long commitTsOf(byte[] versionKey) {
    return ~readLong(versionKey, versionKey.length - TIMESTAMP_BYTES);
  }

  /** Whether two version keys belong to the same user key. */
  static boolean isVersionOf(byte[] versionKey, byte[] otherVersionKey) {
    return versionKey.length == otherVersionKey.length
        && Arrays.equals(
            versionKey, 0, versionKey.length - TIMESTAMP_BYTES,
            otherVersionKey, 0, otherVersionKey.length - TIMESTAMP_BYTES);
  }

  /** The user key a version key belongs to. */
  static byte[] userKeyOf(byte[] versionKey) {
    int escapedEnd = versionKey.length - TIMESTAMP_BYTES - 2;
    if (escapedEnd < 0 || versionKey[escapedEnd] != ESCAPE || versionKey[escapedEnd + 1] != TERMINATOR) {
      throw new IllegalStateException("not a version key: " + Arrays.toString(versionKey));
    }
    int zeros = 0;
    for (int i = 0; i < escapedEnd; i++) {
      if (versionKey[i] == ESCAPE) {
        zeros++;
        i++;
      }
    }
    byte[] key = new byte[escapedEnd - zeros];
    int out = 0;
    for (int i = 0; i < escapedEnd; i++) {
      byte b = versionKey[i];
      if (b == ESCAPE) {
        if (versionKey[i + 1] != ESCAPED_ZERO) {
          throw new IllegalStateException("bad escape in version key: " + Arrays.toString(versionKey));
        }
        i++;
      }
      key[out++] = b;
    }
    return key;
  }

  /** The smallest byte string greater than {@code key}: the exclusive bound that covers {@code key} itself. */
  static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  private static byte[] withTimestamp(byte[] key, long encodedTs) {
    byte[] out = escape(key, 2 + TIMESTAMP_BYTES);
    int pos = out.length - 2 - TIMESTAMP_BYTES;
    out[pos] = ESCAPE;
    out[pos + 1] = TERMINATOR;
    writeLong(out, pos + 2, encodedTs);
    return out;
  }

  private static byte[] escape(byte[] key, int extraBytes) {
    int zeros = 0;
    for (byte b : key) {
      if (b == ESCAPE) {
        zeros++;
      }
    }
    byte[] out = new byte[key.length + zeros + extraBytes];
    if (zeros == 0) {
      System.arraycopy(key, 0, out, 0, key.length);
      return out;
    }
    int pos = 0;
    for (byte b : key) {
      out[pos++] = b;
      if (b == ESCAPE) {
        out[pos++] = ESCAPED_ZERO;
      }
    }
    return out;
  }

  static void writeLong(byte[] out, int pos, long value) {
    for (int i = 7; i >= 0; i--) {
      out[pos + i] = (byte) value;
      value >>>= 8;
    }
  }

  static long readLong(byte[] in, int pos) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (in[pos + i] & 0xFF);
    }
    return value;
  }
}
