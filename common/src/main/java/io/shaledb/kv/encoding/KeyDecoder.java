package io.shaledb.kv.encoding;

import static io.shaledb.kv.encoding.KeyEncoder.DECIMAL_NEGATIVE;
import static io.shaledb.kv.encoding.KeyEncoder.DECIMAL_POSITIVE;
import static io.shaledb.kv.encoding.KeyEncoder.DECIMAL_ZERO;
import static io.shaledb.kv.encoding.KeyEncoder.LARGE_NEGATIVE_EXPONENT_BASE;
import static io.shaledb.kv.encoding.KeyEncoder.LARGE_POSITIVE_EXPONENT_BASE;
import static io.shaledb.kv.encoding.KeyEncoder.NULL_MARKER;
import static io.shaledb.kv.encoding.KeyEncoder.SMALL_EXPONENT_BIAS;
import static io.shaledb.kv.encoding.KeyEncoder.SMALL_EXPONENT_MAX;
import static io.shaledb.kv.encoding.KeyEncoder.SMALL_EXPONENT_MIN;
import static io.shaledb.kv.encoding.KeyEncoder.STRING_ESCAPED_NUL;
import static io.shaledb.kv.encoding.KeyEncoder.STRING_ESCAPE_OR_TERMINATOR_LEAD;
import static io.shaledb.kv.encoding.KeyEncoder.STRING_TERMINATOR;
import static io.shaledb.kv.encoding.KeyEncoder.VALUE_MARKER;

import io.shaledb.kv.Keyspaces;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a key written by {@link KeyEncoder}: the keyspace id, then components in order, each read
 * or skipped with the type and sort order it was written with.
 *
 * <p>Decoded values equal the encoded ones in SQL terms, with the representation the encoding
 * keeps: REAL/DOUBLE -0.0 reads as 0.0 and every NaN as the canonical NaN; DECIMAL reads in its
 * shortest form ({@link BigDecimal#stripTrailingZeros()}, so 1.50 reads as 1.5 and 100 as 1E+2);
 * rescale it to the column's scale with {@link BigDecimal#setScale(int)}, which is exact.
 *
 * <p>Every method throws {@link IllegalArgumentException} when the key is malformed or truncated,
 * and a failed read or skip leaves the position unchanged. Not thread-safe.
 */
public final class KeyDecoder {
  private static final int MAX_DIGITS_IN_LONG = 18;
  /** Beyond every exponent a BigDecimal can have (precision and scale are ints). */
  private static final long MAX_ABS_EXPONENT = 1L << 33;

  private final byte[] key;
  private final int keyspaceId;
  private int position;

  /** Starts reading after the keyspace prefix. The array is read, never copied or modified. */
  public KeyDecoder(byte[] key) {
    this.key = Objects.requireNonNull(key, "key");
    this.keyspaceId = Keyspaces.keyspaceOf(key);
    this.position = Keyspaces.PREFIX_BYTES;
  }

  /** Decodes a complete key of ascending components. */
  public static Object[] decode(byte[] key, ColumnType[] types) {
    SortOrder[] orders = new SortOrder[types.length];
    Arrays.fill(orders, SortOrder.ASC);
    return decode(key, types, orders);
  }

  /**
   * Decodes a complete key.
   *
   * @throws IllegalArgumentException also if bytes remain after the last component
   */
  public static Object[] decode(byte[] key, ColumnType[] types, SortOrder[] orders) {
    if (types.length != orders.length) {
      throw new IllegalArgumentException(types.length + " types but " + orders.length + " orders");
    }
    KeyDecoder decoder = new KeyDecoder(key);
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      values[i] = decoder.read(types[i], orders[i]);
    }
    if (decoder.hasRemaining()) {
      throw new IllegalArgumentException("malformed key: " + (key.length - decoder.position)
          + " bytes left after the last of " + types.length + " components");
    }
    return values;
  }

  public int keyspaceId() {
    return keyspaceId;
  }

  /** The offset of the next component in the key. */
  public int position() {
    return position;
  }

  public boolean hasRemaining() {
    return position < key.length;
  }

  /** Reads an ascending component; null if it encodes NULL. */
  public Object read(ColumnType type) {
    return read(type, SortOrder.ASC);
  }

  /** Reads the next component, written with {@code type} and {@code order}; null if it encodes NULL. */
  public Object read(ColumnType type, SortOrder order) {
    Objects.requireNonNull(type, "type");
    int mask = order.byteMask();
    int at = position;
    if (readMarker(at, mask, type)) {
      position = at + 1;
      return null;
    }
    at++;
    Object value;
    switch (type) {
      case BOOLEAN -> {
        int b = byteAt(at, mask, type);
        if (b > 1) {
          throw malformed("BOOLEAN byte 0x" + Integer.toHexString(b), at);
        }
        value = b == 1;
        at += 1;
      }
      case SMALLINT -> {
        value = (short) (readFixed(at, 2, mask, type) ^ Short.MIN_VALUE);
        at += 2;
      }
      case INTEGER, DATE, TIME -> {
        value = (int) readFixed(at, 4, mask, type) ^ Integer.MIN_VALUE;
        at += 4;
      }
      case BIGINT, TIMESTAMP -> {
        value = readFixed(at, 8, mask, type) ^ Long.MIN_VALUE;
        at += 8;
      }
      case REAL -> {
        int bits = (int) readFixed(at, 4, mask, type);
        value = Float.intBitsToFloat(bits < 0 ? bits ^ Integer.MIN_VALUE : ~bits);
        at += 4;
      }
      case DOUBLE -> {
        long bits = readFixed(at, 8, mask, type);
        value = Double.longBitsToDouble(bits < 0 ? bits ^ Long.MIN_VALUE : ~bits);
        at += 8;
      }
      case CHAR, VARCHAR -> {
        int end = stringEnd(at, mask, type);
        value = readString(at, end, mask, type);
        at = end + 2;
      }
      case DECIMAL -> {
        DecimalParts parts = decimalParts(at, mask);
        value = parts.signum() == 0 ? BigDecimal.ZERO : decimalValue(parts, mask);
        at = parts.end;
      }
      default -> throw new AssertionError(type);
    }
    position = at;
    return value;
  }

  /** Skips the next component, written ascending. */
  public KeyDecoder skip(ColumnType type) {
    return skip(type, SortOrder.ASC);
  }

  /** Skips the next component, checking its structure without building its value. */
  public KeyDecoder skip(ColumnType type, SortOrder order) {
    Objects.requireNonNull(type, "type");
    int mask = order.byteMask();
    int at = position;
    if (readMarker(at, mask, type)) {
      position = at + 1;
      return this;
    }
    at++;
    int width = KeyEncoder.fixedWidth(type);
    if (width > 0) {
      if (at + width > key.length) {
        throw truncated(type, key.length);
      }
      at += width;
    } else if (type == ColumnType.DECIMAL) {
      at = decimalParts(at, mask).end;
    } else {
      at = stringEnd(at, mask, type) + 2;
    }
    position = at;
    return this;
  }

  /** Whether the component at {@code at} is NULL; throws unless it is NULL or a value marker. */
  private boolean readMarker(int at, int mask, ColumnType type) {
    int marker = byteAt(at, mask, type);
    if (marker == NULL_MARKER) {
      return true;
    }
    if (marker != VALUE_MARKER) {
      throw malformed(type + " component marker 0x" + Integer.toHexString(marker), at);
    }
    return false;
  }

  private int byteAt(int at, int mask, ColumnType type) {
    if (at >= key.length) {
      throw truncated(type, at);
    }
    return (key[at] ^ mask) & 0xff;
  }

  private long readFixed(int at, int width, int mask, ColumnType type) {
    if (at + width > key.length) {
      throw truncated(type, key.length);
    }
    long bits = 0;
    for (int i = 0; i < width; i++) {
      bits = (bits << 8) | ((key[at + i] ^ mask) & 0xff);
    }
    return bits;
  }

  /** The offset of the terminator of the string whose bytes start at {@code at}. */
  private int stringEnd(int at, int mask, ColumnType type) {
    int i = at;
    while (true) {
      if (byteAt(i, mask, type) == STRING_ESCAPE_OR_TERMINATOR_LEAD) {
        int next = byteAt(i + 1, mask, type);
        if (next == STRING_TERMINATOR) {
          return i;
        }
        if (next != STRING_ESCAPED_NUL) {
          throw malformed(type + " escape 0x00 0x" + Integer.toHexString(next), i);
        }
        i += 2;
      } else {
        i++;
      }
    }
  }

  private String readString(int start, int end, int mask, ColumnType type) {
    String what = type + " key component";
    int escapes = 0;
    for (int i = start; i < end; i++) {
      if (((key[i] ^ mask) & 0xff) == STRING_ESCAPE_OR_TERMINATOR_LEAD) {
        escapes++;
        i++;
      }
    }
    if (mask == 0 && escapes == 0) {
      return Utf8.decode(key, start, end - start, what);
    }
    byte[] raw = new byte[end - start - escapes];
    int out = 0;
    for (int i = start; i < end; i++) {
      int b = (key[i] ^ mask) & 0xff;
      raw[out++] = (byte) b;
      if (b == STRING_ESCAPE_OR_TERMINATOR_LEAD) {
        i++;
      }
    }
    return Utf8.decode(raw, 0, raw.length, what);
  }

  /**
   * Where the parts of a DECIMAL component lie: its sign, exponent, and the digit-pair bytes in
   * {@code [digitsStart, end)}; zero has no digits.
   */
  private record DecimalParts(int signum, long exponent, int digitsStart, int end) {}

  private DecimalParts decimalParts(int at, int mask) {
    ColumnType type = ColumnType.DECIMAL;
    int decimalClass = byteAt(at, mask, type);
    int bodyMask;
    int signum;
    switch (decimalClass) {
      case DECIMAL_ZERO -> {
        return new DecimalParts(0, 0, at + 1, at + 1);
      }
      case DECIMAL_POSITIVE -> {
        signum = 1;
        bodyMask = mask;
      }
      case DECIMAL_NEGATIVE -> {
        signum = -1;
        bodyMask = mask ^ 0xff;
      }
      default -> throw malformed("DECIMAL class byte 0x" + Integer.toHexString(decimalClass), at);
    }
    int i = at + 1;
    int header = byteAt(i++, bodyMask, type);
    long exponent;
    if (header >= SMALL_EXPONENT_BIAS + SMALL_EXPONENT_MIN && header <= SMALL_EXPONENT_BIAS + SMALL_EXPONENT_MAX) {
      exponent = header - SMALL_EXPONENT_BIAS;
    } else if (header > LARGE_POSITIVE_EXPONENT_BASE && header <= LARGE_POSITIVE_EXPONENT_BASE + 8) {
      int bytes = header - LARGE_POSITIVE_EXPONENT_BASE;
      long magnitude = checkedMagnitude(readFixed(i, bytes, bodyMask, type), bytes, i);
      exponent = magnitude + (SMALL_EXPONENT_MAX + 1);
      i += bytes;
    } else if (header < LARGE_NEGATIVE_EXPONENT_BASE && header >= LARGE_NEGATIVE_EXPONENT_BASE - 8) {
      int bytes = LARGE_NEGATIVE_EXPONENT_BASE - header;
      long inverted = readFixed(i, bytes, bodyMask, type);
      long magnitude = checkedMagnitude(bytes == 8 ? ~inverted : ~inverted & ((1L << (8 * bytes)) - 1), bytes, i);
      exponent = (SMALL_EXPONENT_MIN - 1) - magnitude;
      i += bytes;
    } else {
      throw malformed("DECIMAL exponent header 0x" + Integer.toHexString(header), i - 1);
    }
    int digitsStart = i;
    while (true) {
      int b = byteAt(i, bodyMask, type);
      if (b > 2 * 99 + 1) {
        throw malformed("DECIMAL digit byte " + b, i);
      }
      i++;
      if ((b & 1) == 0) {
        break;
      }
    }
    int firstPair = byteAt(digitsStart, bodyMask, type) >> 1;
    int lastPair = byteAt(i - 1, bodyMask, type) >> 1;
    if (firstPair < 10 || lastPair == 0) {
      throw malformed("DECIMAL digits are not normalized", digitsStart);
    }
    return new DecimalParts(signum, exponent, digitsStart, i);
  }

  /** Rejects magnitudes that overflow or that a shorter encoding would have held. */
  private long checkedMagnitude(long magnitude, int bytes, int at) {
    boolean minimal = bytes == 1 || (magnitude >>> (8 * (bytes - 1))) != 0;
    if (magnitude < 0 || magnitude > Long.MAX_VALUE - (SMALL_EXPONENT_MAX + 1) || !minimal) {
      throw malformed("DECIMAL exponent", at);
    }
    return magnitude;
  }

  private BigDecimal decimalValue(DecimalParts parts, int mask) {
    int bodyMask = parts.signum < 0 ? mask ^ 0xff : mask;
    int pairs = parts.end - parts.digitsStart;
    int lastPair = ((key[parts.end - 1] ^ bodyMask) & 0xff) >> 1;
    // An odd digit count was padded with a trailing 0; normalized digits never end in 0.
    int digitCount = 2 * pairs - (lastPair % 10 == 0 ? 1 : 0);
    // Bounding the exponent first keeps the subtraction from overflowing.
    long scale = parts.exponent > MAX_ABS_EXPONENT || parts.exponent < -MAX_ABS_EXPONENT
        ? Long.MAX_VALUE
        : digitCount - parts.exponent;
    if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
      throw malformed("DECIMAL exponent " + parts.exponent + " (no BigDecimal has it)", parts.digitsStart);
    }
    if (digitCount <= MAX_DIGITS_IN_LONG) {
      long digits = 0;
      for (int i = parts.digitsStart; i < parts.end; i++) {
        digits = digits * 100 + (((key[i] ^ bodyMask) & 0xff) >> 1);
      }
      if (digitCount % 2 == 1) {
        digits /= 10;
      }
      return BigDecimal.valueOf(parts.signum * digits, (int) scale);
    }
    char[] chars = new char[2 * pairs];
    for (int i = 0; i < pairs; i++) {
      int pair = ((key[parts.digitsStart + i] ^ bodyMask) & 0xff) >> 1;
      chars[2 * i] = (char) ('0' + pair / 10);
      chars[2 * i + 1] = (char) ('0' + pair % 10);
    }
    BigInteger unscaled = new BigInteger(new String(chars, 0, digitCount));
    return new BigDecimal(parts.signum < 0 ? unscaled.negate() : unscaled, (int) scale);
  }

  private IllegalArgumentException truncated(ColumnType type, int at) {
    return new IllegalArgumentException("malformed key: truncated " + type + " component at byte " + at
        + " of a " + key.length + "-byte key");
  }

  private static IllegalArgumentException malformed(String what, int at) {
    return new IllegalArgumentException("malformed key: unexpected " + what + " at byte " + at);
  }
}
