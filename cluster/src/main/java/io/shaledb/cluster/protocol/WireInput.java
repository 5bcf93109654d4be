package io.shaledb.cluster.protocol;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a payload written by {@link WireOutput}. Every read checks the bounds: a payload that is
 * truncated, too long or carries impossible lengths fails with {@link SqlState#PROTOCOL_VIOLATION}
 * rather than an out-of-memory error or a half-decoded message. Not thread-safe.
 */
public final class WireInput {
  private final byte[] buffer;
  private int position;

  public WireInput(byte[] buffer) {
    this.buffer = buffer;
  }

  public int readByte() {
    require(1);
    return buffer[position++];
  }

  public boolean readBoolean() {
    int value = readByte();
    if (value != 0 && value != 1) {
      throw malformed("boolean byte " + value);
    }
    return value == 1;
  }

  public int readInt() {
    require(4);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = value << 8 | (buffer[position++] & 0xff);
    }
    return value;
  }

  public long readLong() {
    require(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (buffer[position++] & 0xff);
    }
    return value;
  }

  /** A byte string, or null if it was written as null. */
  public byte[] readNullableBytes() {
    int size = readInt();
    if (size == -1) {
      return null;
    }
    if (size < 0) {
      throw malformed("negative length " + size);
    }
    require(size);
    byte[] value = new byte[size];
    System.arraycopy(buffer, position, value, 0, size);
    position += size;
    return value;
  }

  public byte[] readBytes() {
    byte[] value = readNullableBytes();
    if (value == null) {
      throw malformed("missing byte string");
    }
    return value;
  }

  public String readString() {
    return new String(readBytes(), StandardCharsets.UTF_8);
  }

  public List<byte[]> readByteArrays() {
    int count = readCount(4);
    List<byte[]> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(readBytes());
    }
    return values;
  }

  /**
   * A list size, checked against the bytes left: each element takes at least {@code minElementBytes},
   * so a forged count cannot make the reader allocate more than the payload could hold.
   */
  public int readCount(int minElementBytes) {
    int count = readInt();
    if (count < 0 || (long) count * minElementBytes > buffer.length - position) {
      throw malformed("impossible element count " + count);
    }
    return count;
  }

  /** Fails unless every byte was read: trailing bytes mean the sender meant another message. */
  public void expectEnd() {
    if (position != buffer.length) {
      throw malformed((buffer.length - position) + " trailing bytes");
    }
  }

  private void require(int bytes) {
    if (bytes > buffer.length - position) {
      throw malformed("truncated: needs " + bytes + " more bytes, " + (buffer.length - position) + " left");
    }
  }

  private static ShaleException malformed(String detail) {
    return new ShaleException(SqlState.PROTOCOL_VIOLATION, "malformed message: " + detail);
  }
}
