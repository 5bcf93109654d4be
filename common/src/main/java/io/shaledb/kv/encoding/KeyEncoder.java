package io.shaledb.kv.encoding;

import io.shaledb.kv.Keyspaces;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds an order-preserving key: the 4-byte keyspace prefix followed by encoded components.
 *
 * <p>Ordering contract: for keys of one keyspace built from the same column types and sort orders,
 * {@link io.shaledb.kv.ByteArrays#compare} orders the keys exactly as SQL orders the value tuples,
 * component by component. Within a component NULL sorts before every value in {@link SortOrder#ASC}
 * and after every value in {@link SortOrder#DESC}. Values SQL considers equal encode to equal
 * bytes (DECIMAL 1.5 and 1.50; REAL/DOUBLE -0.0 and 0.0); NaN sorts above +Infinity; CHAR and
 * VARCHAR sort by Unicode code point.
 *
 * <p>Components are self-delimiting: the key of the first k components is a prefix of the key of
 * all of them, so {@code ByteArrays.prefixEnd(prefixKey)} bounds a primary-key-prefix range scan,
 * and no complete key is a proper prefix of another complete key with the same column types.
 *
 * <p>Layout of one component in ascending order (DESC is the same with every byte inverted):
 * <ul>
 *   <li>NULL: {@code 0x00}. Every non-null value: {@code 0x01} followed by its payload.
 *   <li>BOOLEAN: one byte, 0 or 1. SMALLINT, INTEGER, BIGINT, DATE, TIME, TIMESTAMP: big-endian
 *       two's complement of the type's width with the sign bit flipped.
 *   <li>REAL, DOUBLE: IEEE bits; positive values get the sign bit flipped, negative values get
 *       every bit inverted. -0.0 is written as 0.0 and every NaN as the canonical NaN.
 *   <li>CHAR, VARCHAR: UTF-8, each 0x00 written as {@code 0x00 0xff}, terminated by {@code 0x00 0x01}.
 *   <li>DECIMAL: a class byte (0x00 negative, 0x01 zero, 0x02 positive). Non-zero values are
 *       normalized to {@code 0.d1d2...dn * 10^e} with {@code d1 != 0} and {@code dn != 0}; then
 *       {@code e} in an order-preserving variable-length signed encoding, then the digits in
 *       pairs, one byte per pair: {@code 2 * pair + 1} for every pair but the last, {@code 2 * pair}
 *       for the last (an odd digit count is padded with a 0). Negative values invert these bytes.
 * </ul>
 *
 * <p>Not thread-safe; reuse one instance per thread with {@link #reset}. Each {@code add} either
 * appends a whole component or, on an invalid value, throws and leaves the key unchanged.
 */
public final class KeyEncoder {
  static final int NULL_MARKER = 0x00;
  static final int VALUE_MARKER = 0x01;
  static final int STRING_ESCAPE_OR_TERMINATOR_LEAD = 0x00;
  static final int STRING_ESCAPED_NUL = 0xff;
  static final int STRING_TERMINATOR = 0x01;
  static final int DECIMAL_NEGATIVE = 0x00;
  static final int DECIMAL_ZERO = 0x01;
  static final int DECIMAL_POSITIVE = 0x02;

  /** Exponents in [-64, 63] take one byte {@code 0x80 + e}. */
  static final int SMALL_EXPONENT_MIN = -64;
  static final int SMALL_EXPONENT_MAX = 63;
  static final int SMALL_EXPONENT_BIAS = 0x80;
  /** Larger exponents: {@code 0xbf + n}, then n bytes of {@code e - 64}. */
  static final int LARGE_POSITIVE_EXPONENT_BASE = 0xbf;
  /** Smaller exponents: {@code 0x40 - n}, then n bytes of {@code ~(-65 - e)}. */
  static final int LARGE_NEGATIVE_EXPONENT_BASE = 0x40;

  private static final int DEFAULT_CAPACITY = 32;
  private static final int MAX_EXPONENT_BYTES = 9;

  private byte[] buffer;
  private int length;

  /** Starts a key of the given keyspace. */
  public KeyEncoder(int keyspaceId) {
    this(keyspaceId, DEFAULT_CAPACITY);
  }

  /**
   * Starts a key of the given keyspace with room for {@code expectedLength} bytes, so typical
   * keys never grow the buffer.
   */
  public KeyEncoder(int keyspaceId, int expectedLength) {
    buffer = new byte[Math.max(expectedLength, Keyspaces.PREFIX_BYTES)];
    reset(keyspaceId);
  }

  /** Discards every component and starts a new key of the given keyspace, keeping the buffer. */
  public KeyEncoder reset(int keyspaceId) {
    byte[] prefix = Keyspaces.prefix(keyspaceId);
    System.arraycopy(prefix, 0, buffer, 0, prefix.length);
    length = prefix.length;
    return this;
  }

  /** Appends one ascending component; {@code value} may be null. */
  public KeyEncoder add(ColumnType type, Object value) {
    return add(type, value, SortOrder.ASC);
  }

  /**
   * Appends one component; {@code value} may be null.
   *
   * @throws IllegalArgumentException if {@code value} is not of {@code type}'s Java class, is a
   *     string with an unpaired surrogate, or is a DECIMAL of magnitude 10^(2^31) or more whose
   *     shortest form has no int scale
   */
  public KeyEncoder add(ColumnType type, Object value, SortOrder order) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(order, "order");
    ColumnValues.check(type, value);
    int start = length;
    if (value == null) {
      ensureCapacity(1);
      buffer[length++] = (byte) NULL_MARKER;
    } else {
      writeValue(type, value);
    }
    if (order == SortOrder.DESC) {
      invert(start, length);
    }
    return this;
  }

  /** The number of bytes encoded so far, keyspace prefix included. */
  public int length() {
    return length;
  }

  /** A copy of the key built so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  /** Encodes a whole key whose components are all ascending. */
  public static byte[] encode(int keyspaceId, ColumnType[] types, Object[] values) {
    if (types.length != values.length) {
      throw new IllegalArgumentException(types.length + " types but " + values.length + " values");
    }
    KeyEncoder encoder = new KeyEncoder(keyspaceId, estimateLength(types, values, types.length));
    for (int i = 0; i < types.length; i++) {
      encoder.add(types[i], values[i], SortOrder.ASC);
    }
    return encoder.toByteArray();
  }

  /** Encodes a whole key; the three arrays are parallel and of equal length. */
  public static byte[] encode(int keyspaceId, ColumnType[] types, Object[] values, SortOrder[] orders) {
    if (types.length != values.length || types.length != orders.length) {
      throw new IllegalArgumentException(
          types.length + " types, " + values.length + " values and " + orders.length + " orders");
    }
    return encodePrefix(keyspaceId, types, values, orders, types.length);
  }

  /**
   * Encodes the first {@code componentCount} components of a key, e.g. the bound of a scan over a
   * primary-key prefix. {@code values} needs only {@code componentCount} elements.
   */
  public static byte[] encodePrefix(
      int keyspaceId, ColumnType[] types, Object[] values, SortOrder[] orders, int componentCount) {
    if (componentCount < 0
        || componentCount > types.length
        || componentCount > values.length
        || componentCount > orders.length) {
      throw new IllegalArgumentException("cannot encode " + componentCount + " components from "
          + types.length + " types, " + values.length + " values and " + orders.length + " orders");
    }
    KeyEncoder encoder = new KeyEncoder(keyspaceId, estimateLength(types, values, componentCount));
    for (int i = 0; i < componentCount; i++) {
      encoder.add(types[i], values[i], orders[i]);
    }
    return encoder.toByteArray();
  }

  /** A cheap upper bound for common values, so the static helpers allocate only buffer and result. */
  private static int estimateLength(ColumnType[] types, Object[] values, int count) {
    int estimate = Keyspaces.PREFIX_BYTES;
    for (int i = 0; i < count; i++) {
      Object value = values[i];
      estimate += 1;
      if (value instanceof String s) {
        // At most three bytes per char (U+0000 escaped takes two), plus the terminator.
        estimate += 3 * s.length() + 2;
      } else if (value instanceof BigDecimal d) {
        estimate += 1 + MAX_EXPONENT_BYTES + (d.precision() + 1) / 2;
      } else if (value != null) {
        estimate += fixedWidth(types[i]);
      }
    }
    return estimate;
  }

  /** The payload width of a fixed-width type, 0 for the variable-width ones. */
  static int fixedWidth(ColumnType type) {
    return switch (type) {
      case BOOLEAN -> 1;
      case SMALLINT -> 2;
      case INTEGER, DATE, TIME, REAL -> 4;
      case BIGINT, TIMESTAMP, DOUBLE -> 8;
      case DECIMAL, CHAR, VARCHAR -> 0;
    };
  }

  private void writeValue(ColumnType type, Object value) {
    switch (type) {
      case BOOLEAN -> {
        ensureCapacity(2);
        buffer[length++] = (byte) VALUE_MARKER;
        buffer[length++] = (byte) (((Boolean) value) ? 1 : 0);
      }
      case SMALLINT -> writeFixed(((Short) value) ^ Short.MIN_VALUE, 2);
      case INTEGER, DATE, TIME -> writeFixed(((Integer) value) ^ Integer.MIN_VALUE, 4);
      case BIGINT, TIMESTAMP -> writeFixed(((Long) value) ^ Long.MIN_VALUE, 8);
      case REAL -> writeFixed(orderedFloatBits((Float) value), 4);
      case DOUBLE -> writeFixed(orderedDoubleBits((Double) value), 8);
      case CHAR, VARCHAR -> writeString(type, (String) value);
      case DECIMAL -> writeDecimal((BigDecimal) value);
    }
  }

  static int orderedFloatBits(float value) {
    // floatToIntBits collapses every NaN into one; the == 0 test collapses -0.0 into 0.0.
    int bits = value == 0.0f ? 0 : Float.floatToIntBits(value);
    return bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE;
  }

  static long orderedDoubleBits(double value) {
    long bits = value == 0.0 ? 0L : Double.doubleToLongBits(value);
    return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
  }

  /** Writes the value marker and the low {@code width} bytes of {@code bits}, big-endian. */
  private void writeFixed(long bits, int width) {
    ensureCapacity(1 + width);
    buffer[length++] = (byte) VALUE_MARKER;
    for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (bits >>> shift);
    }
  }

  private void writeString(ColumnType type, String value) {
    int bytes = Utf8.encodedLength(value, type, true);
    ensureCapacity(1 + bytes + 2);
    buffer[length++] = (byte) VALUE_MARKER;
    length = Utf8.encode(value, true, buffer, length);
    buffer[length++] = (byte) STRING_ESCAPE_OR_TERMINATOR_LEAD;
    buffer[length++] = (byte) STRING_TERMINATOR;
  }

  private void writeDecimal(BigDecimal value) {
    int signum = value.signum();
    if (signum == 0) {
      ensureCapacity(2);
      buffer[length++] = (byte) VALUE_MARKER;
      buffer[length++] = (byte) DECIMAL_ZERO;
      return;
    }
    // value = 0.d1d2...dp * 10^(p - scale) whatever trailing zeros the unscaled value has; the
    // digits are then written without their trailing zeros, so equal values encode equally.
    String digits = value.unscaledValue().abs().toString();
    long exponent = (long) digits.length() - value.scale();
    int digitCount = digits.length();
    while (digits.charAt(digitCount - 1) == '0') {
      digitCount--;
    }
    if (digitCount - exponent < Integer.MIN_VALUE) {
      // Decoding yields the shortest form, which for this value would need a scale below
      // Integer.MIN_VALUE; only absurd magnitudes (about 10^(2^31) and up) get here.
      throw new IllegalArgumentException("DECIMAL value of about 10^" + exponent
          + " is too large for a key: its shortest form needs a scale below " + Integer.MIN_VALUE);
    }
    ensureCapacity(2 + MAX_EXPONENT_BYTES + (digitCount + 1) / 2);
    buffer[length++] = (byte) VALUE_MARKER;
    buffer[length++] = (byte) (signum < 0 ? DECIMAL_NEGATIVE : DECIMAL_POSITIVE);
    int bodyStart = length;
    writeOrderedExponent(exponent);
    for (int i = 0; i < digitCount; i += 2) {
      int high = digits.charAt(i) - '0';
      int low = i + 1 < digitCount ? digits.charAt(i + 1) - '0' : 0;
      int pair = 10 * high + low;
      boolean last = i + 2 >= digitCount;
      buffer[length++] = (byte) (last ? 2 * pair : 2 * pair + 1);
    }
    if (signum < 0) {
      // The body is self-delimiting, so inverting it exactly reverses its order: larger
      // magnitudes of negative numbers sort first.
      invert(bodyStart, length);
    }
  }

  /** Order-preserving, self-delimiting encoding of any long; the caller ensured 9 bytes of room. */
  private void writeOrderedExponent(long exponent) {
    if (exponent >= SMALL_EXPONENT_MIN && exponent <= SMALL_EXPONENT_MAX) {
      buffer[length++] = (byte) (SMALL_EXPONENT_BIAS + exponent);
    } else if (exponent > SMALL_EXPONENT_MAX) {
      long magnitude = exponent - (SMALL_EXPONENT_MAX + 1);
      int bytes = byteLength(magnitude);
      buffer[length++] = (byte) (LARGE_POSITIVE_EXPONENT_BASE + bytes);
      writeBigEndian(magnitude, bytes);
    } else {
      long magnitude = (SMALL_EXPONENT_MIN - 1) - exponent;
      int bytes = byteLength(magnitude);
      buffer[length++] = (byte) (LARGE_NEGATIVE_EXPONENT_BASE - bytes);
      writeBigEndian(~magnitude, bytes);
    }
  }

  /** The number of bytes of a non-negative long without leading zero bytes, at least 1. */
  static int byteLength(long nonNegative) {
    return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(nonNegative) + 7) / 8);
  }

  private void writeBigEndian(long bits, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (bits >>> shift);
    }
  }

  private void invert(int from, int to) {
    for (int i = from; i < to; i++) {
      buffer[i] = (byte) ~buffer[i];
    }
  }

  private void ensureCapacity(int extra) {
    int needed = length + extra;
    if (needed < 0) {
      throw new IllegalArgumentException("key longer than 2 GiB");
    }
    if (needed > buffer.length) {
      int grown = Math.max(needed, buffer.length * 2);
      buffer = Arrays.copyOf(buffer, grown < 0 ? needed : grown);
    }
  }
}
