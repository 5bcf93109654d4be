package io.shaledb.cluster.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Builds a message payload: big-endian fixed-width numbers and length-prefixed byte strings. Not thread-safe. */
public final class WireOutput {
  private byte[] buffer;
  private int length;

  public WireOutput() {
    this(64);
  }

  public WireOutput(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  public WireOutput writeByte(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
    return this;
  }

  public WireOutput writeBoolean(boolean value) {
    return writeByte(value ? 1 : 0);
  }

  public WireOutput writeInt(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  public WireOutput writeLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** A length-prefixed byte string; null is written as length -1. */
  public WireOutput writeBytes(byte[] value) {
    if (value == null) {
      return writeInt(-1);
    }
    writeInt(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, buffer, length, value.length);
    length += value.length;
    return this;
  }

  public WireOutput writeString(String value) {
    return writeBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  public WireOutput writeByteArrays(List<byte[]> values) {
    writeInt(values.size());
    for (byte[] value : values) {
      writeBytes(value);
    }
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
