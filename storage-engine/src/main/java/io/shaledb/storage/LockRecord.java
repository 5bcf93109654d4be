package io.shaledb.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A lock as stored in a shard's lock map (keyed by the locked key): the owning transaction, where
 * its fate is decided, until when its coordinator is presumed alive, and the intended write.
 *
 * <p>Encoding: {@code flags(1) | startTs(8) | expiresAtMs(8) | [primary length (varint) | primary
 * key] | value}. The primary key is omitted when it is the locked key itself (flag), the value when
 * the write is a delete (flag).
 *
 * @param value the intended value, or null for a delete
 */
record LockRecord(long startTs, byte[] primaryKey, long expiresAtMs, byte[] value) {
  private static final int DELETE = 1;
  private static final int PRIMARY_IS_KEY = 2;
  private static final int FIXED_BYTES = 1 + 8 + 8;

  LockRecord {
    Objects.requireNonNull(primaryKey, "primaryKey");
  }

  boolean isDelete() {
    return value == null;
  }

  LockInfo info(byte[] key) {
    return new LockInfo(key.clone(), startTs, primaryKey.clone(), expiresAtMs);
  }

  LockRecord withExpiry(long newExpiresAtMs) {
    return new LockRecord(startTs, primaryKey, newExpiresAtMs, value);
  }

  byte[] encode(byte[] key) {
    boolean primaryIsKey = Arrays.equals(primaryKey, key);
    int primaryBytes = primaryIsKey ? 0 : varIntSize(primaryKey.length) + primaryKey.length;
    int valueBytes = value == null ? 0 : value.length;
    byte[] out = new byte[FIXED_BYTES + primaryBytes + valueBytes];
    out[0] = (byte) ((value == null ? DELETE : 0) | (primaryIsKey ? PRIMARY_IS_KEY : 0));
    KeyCodec.writeLong(out, 1, startTs);
    KeyCodec.writeLong(out, 9, expiresAtMs);
    int pos = FIXED_BYTES;
    if (!primaryIsKey) {
      pos = writeVarInt(out, pos, primaryKey.length);
      System.arraycopy(primaryKey, 0, out, pos, primaryKey.length);
      pos += primaryKey.length;
    }
    if (value != null) {
      System.arraycopy(value, 0, out, pos, value.length);
    }
    return out;
  }

  static LockRecord decode(byte[] key, byte[] encoded) {
    int flags = encoded[0];
    long startTs = KeyCodec.readLong(encoded, 1);
    long expiresAtMs = KeyCodec.readLong(encoded, 9);
    int pos = FIXED_BYTES;
    byte[] primaryKey;
    if ((flags & PRIMARY_IS_KEY) != 0) {
      primaryKey = key;
    } else {
      int length = 0;
      int shift = 0;
      byte b;
      do {
        b = encoded[pos++];
        length |= (b & 0x7F) << shift;
        shift += 7;
      } while (b < 0);
      primaryKey = Arrays.copyOfRange(encoded, pos, pos + length);
      pos += length;
    }
    byte[] value = (flags & DELETE) != 0 ? null : Arrays.copyOfRange(encoded, pos, encoded.length);
    return new LockRecord(startTs, primaryKey, expiresAtMs, value);
  }

  private static int varIntSize(int value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  private static int writeVarInt(byte[] out, int pos, int value) {
    while ((value & ~0x7F) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }
}
