package io.shaledb.kv.encoding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Encodes the values of one table row, in column order, compactly; the value bytes stored under a
 * row's key.
 *
 * <p>Layout: a format version byte ({@value #FORMAT_VERSION}); the schema version and the column
 * count as unsigned varints; a null bitmap of {@code ceil(count / 8)} bytes (bit {@code i % 8} of
 * byte {@code i / 8} set means column {@code i} is NULL; unused bits are 0); then, in column
 * order, the fields of the non-null columns: BOOLEAN one byte (0 or 1); SMALLINT 2, INTEGER, DATE,
 * TIME 4, BIGINT, TIMESTAMP 8 big-endian bytes; REAL and DOUBLE their raw IEEE bits (4 and 8
 * bytes); CHAR and VARCHAR a varint byte length and UTF-8; DECIMAL the scale as a zigzag varint, a
 * varint length and the unscaled value's minimal two's complement bytes.
 *
 * <p>Rows keep values exactly: DECIMAL scale, -0.0 and NaN bits survive (unlike keys). A row
 * written with fewer columns than this codec has (by an older schema, before {@code ALTER TABLE
 * ADD COLUMN}) reads with NULL in the missing trailing columns.
 *
 * <p>Immutable and thread-safe.
 */
public final class RowCodec {
  /** The layout version every encoded row starts with. */
  public static final int FORMAT_VERSION = 1;

  private static final int MAX_VARINT_BYTES = 5;
  private static final int MAX_BYTES_IN_LONG = 8;

  private final ColumnType[] types;
  private final List<ColumnType> typeList;

  /** A codec for rows with these column types, in column order. */
  public RowCodec(List<ColumnType> columnTypes) {
    this.typeList = List.copyOf(Objects.requireNonNull(columnTypes, "columnTypes"));
    this.types = typeList.toArray(new ColumnType[0]);
  }

  public List<ColumnType> columnTypes() {
    return typeList;
  }

  public int columnCount() {
    return types.length;
  }

  /**
   * Encodes one row; the array's elements are null or of their column type's Java class.
   *
   * @throws IllegalArgumentException if {@code schemaVersion} is negative, {@code values} does not
   *     have one element per column, a value has the wrong class, or a string has an unpaired
   *     surrogate
   */
  public byte[] encode(int schemaVersion, Object[] values) {
    if (schemaVersion < 0) {
      throw new IllegalArgumentException("schema version must be >= 0: " + schemaVersion);
    }
    if (values.length != types.length) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values but the codec has " + types.length + " columns");
    }
    int size = 1 + varintSize(schemaVersion) + varintSize(types.length) + bitmapBytes(types.length);
    for (int i = 0; i < types.length; i++) {
      ColumnType type = types[i];
      Object value = values[i];
      ColumnValues.check(type, value);
      if (value != null) {
        size += fieldSize(type, value);
        if (size < 0) {
          throw new IllegalArgumentException("row longer than 2 GiB");
        }
      }
    }
    byte[] row = new byte[size];
    row[0] = (byte) FORMAT_VERSION;
    int at = writeVarint(row, 1, schemaVersion);
    at = writeVarint(row, at, types.length);
    int bitmapStart = at;
    at += bitmapBytes(types.length);
    for (int i = 0; i < types.length; i++) {
      Object value = values[i];
      if (value == null) {
        row[bitmapStart + i / 8] |= (byte) (1 << (i % 8));
      } else {
        at = writeField(row, at, types[i], value);
      }
    }
    if (at != size) {
      throw new IllegalStateException("row size computed as " + size + " but " + at + " bytes written");
    }
    return row;
  }

  /** The schema version a row was written with. */
  public static int schemaVersion(byte[] row) {
    return new Reader(row).readHeaderVersion();
  }

  /**
   * Decodes every column. Columns the row does not have (it predates them) are null.
   *
   * @throws IllegalArgumentException if the row is malformed or truncated, has trailing bytes, or
   *     has more columns than this codec
   */
  public Object[] decode(byte[] row) {
    Reader reader = new Reader(row);
    int count = reader.readHeader(types.length);
    Object[] values = new Object[types.length];
    for (int i = 0; i < count; i++) {
      if (!reader.isNull(i)) {
        values[i] = reader.readField(types[i], i);
      }
    }
    if (reader.at != row.length) {
      throw new IllegalArgumentException(
          "malformed row: " + (row.length - reader.at) + " bytes after the last of " + count + " columns");
    }
    return values;
  }

  /**
   * Decodes only the projected columns: element {@code j} of the result is column
   * {@code projection[j]} (indices may repeat and come in any order). Fields before the last
   * projected one are skipped, not materialized; bytes after it are not examined.
   *
   * @throws IllegalArgumentException if an index is outside {@code [0, columnCount())}, or the part
   *     of the row read is malformed or truncated, or the row has more columns than this codec
   */
  public Object[] decode(byte[] row, int[] projection) {
    int lastProjected = -1;
    for (int column : projection) {
      if (column < 0 || column >= types.length) {
        throw new IllegalArgumentException(
            "projected column " + column + " is outside [0, " + types.length + ")");
      }
      lastProjected = Math.max(lastProjected, column);
    }
    Reader reader = new Reader(row);
    int count = reader.readHeader(types.length);
    int lastPresent = Math.min(lastProjected, count - 1);
    int[] offsets = new int[lastPresent + 1];
    for (int i = 0; i <= lastPresent; i++) {
      offsets[i] = reader.at;
      if (!reader.isNull(i)) {
        reader.skipField(types[i], i);
      }
    }
    Object[] values = new Object[projection.length];
    for (int j = 0; j < projection.length; j++) {
      int column = projection[j];
      if (column < count && !reader.isNull(column)) {
        reader.at = offsets[column];
        values[j] = reader.readField(types[column], column);
      }
    }
    return values;
  }

  private static int fieldSize(ColumnType type, Object value) {
    int width = KeyEncoder.fixedWidth(type);
    if (width > 0) {
      return width;
    }
    if (type == ColumnType.DECIMAL) {
      BigDecimal decimal = (BigDecimal) value;
      int unscaledBytes = unscaledByteLength(decimal.unscaledValue());
      return varintSize(zigzag(decimal.scale())) + varintSize(unscaledBytes) + unscaledBytes;
    }
    int bytes = Utf8.encodedLength((String) value, type, false);
    return varintSize(bytes) + bytes;
  }

  /** The length of {@link BigInteger#toByteArray()}, without building it. */
  private static int unscaledByteLength(BigInteger unscaled) {
    return unscaled.bitLength() / 8 + 1;
  }

  private static int writeField(byte[] row, int at, ColumnType type, Object value) {
    return switch (type) {
      case BOOLEAN -> {
        row[at] = (byte) (((Boolean) value) ? 1 : 0);
        yield at + 1;
      }
      case SMALLINT -> writeBigEndian(row, at, (Short) value, 2);
      case INTEGER, DATE, TIME -> writeBigEndian(row, at, (Integer) value, 4);
      case BIGINT, TIMESTAMP -> writeBigEndian(row, at, (Long) value, 8);
      case REAL -> writeBigEndian(row, at, Float.floatToRawIntBits((Float) value), 4);
      case DOUBLE -> writeBigEndian(row, at, Double.doubleToRawLongBits((Double) value), 8);
      case CHAR, VARCHAR -> {
        String s = (String) value;
        int next = writeVarint(row, at, Utf8.encodedLength(s, type, false));
        yield Utf8.encode(s, false, row, next);
      }
      case DECIMAL -> {
        BigDecimal decimal = (BigDecimal) value;
        byte[] unscaled = decimal.unscaledValue().toByteArray();
        int next = writeVarint(row, at, zigzag(decimal.scale()));
        next = writeVarint(row, next, unscaled.length);
        System.arraycopy(unscaled, 0, row, next, unscaled.length);
        yield next + unscaled.length;
      }
    };
  }

  private static int writeBigEndian(byte[] row, int at, long bits, int width) {
    for (int i = 0; i < width; i++) {
      row[at + i] = (byte) (bits >>> (8 * (width - 1 - i)));
    }
    return at + width;
  }

  private static int bitmapBytes(int columns) {
    return (columns + 7) / 8;
  }

  /** Zigzag maps small magnitudes of either sign to small unsigned values. */
  private static int zigzag(int value) {
    return (value << 1) ^ (value >> 31);
  }

  private static int unzigzag(int encoded) {
    return (encoded >>> 1) ^ -(encoded & 1);
  }

  /** The size of {@code value} as an unsigned varint (ints are treated as unsigned 32-bit). */
  private static int varintSize(int value) {
    int bits = Integer.SIZE - Integer.numberOfLeadingZeros(value);
    return Math.max(1, (bits + 6) / 7);
  }

  /** Writes {@code value} as an unsigned LEB128 varint, 7 bits per byte, low bits first. */
  private static int writeVarint(byte[] row, int at, int value) {
    int remaining = value;
    while ((remaining & ~0x7f) != 0) {
      row[at++] = (byte) ((remaining & 0x7f) | 0x80);
      remaining >>>= 7;
    }
    row[at++] = (byte) remaining;
    return at;
  }

  /** A cursor over one encoded row that turns every out-of-bounds read into a clear error. */
  private static final class Reader {
    private final byte[] row;
    private int at;
    private int bitmapStart;

    Reader(byte[] row) {
      this.row = Objects.requireNonNull(row, "row");
    }

    /** Reads the format and schema version; returns the schema version. */
    int readHeaderVersion() {
      int format = readByte("format version");
      if (format != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "malformed row: format version " + format + ", expected " + FORMAT_VERSION);
      }
      int schemaVersion = readVarint("schema version");
      if (schemaVersion < 0) {
        throw new IllegalArgumentException("malformed row: negative schema version " + schemaVersion);
      }
      return schemaVersion;
    }

    /** Reads the whole header; returns the number of columns the row holds. */
    int readHeader(int codecColumns) {
      readHeaderVersion();
      int count = readVarint("column count");
      if (count < 0) {
        throw new IllegalArgumentException("malformed row: negative column count " + count);
      }
      if (count > codecColumns) {
        throw new IllegalArgumentException(
            "row has " + count + " columns but the codec has only " + codecColumns);
      }
      int bitmapLength = bitmapBytes(count);
      require(bitmapLength, "null bitmap");
      bitmapStart = at;
      at += bitmapLength;
      if (count % 8 != 0 && (row[at - 1] & 0xff) >>> (count % 8) != 0) {
        throw new IllegalArgumentException("malformed row: null bitmap has bits set past column " + count);
      }
      return count;
    }

    boolean isNull(int column) {
      return (row[bitmapStart + column / 8] & (1 << (column % 8))) != 0;
    }

    Object readField(ColumnType type, int column) {
      return switch (type) {
        case BOOLEAN -> {
          int b = readByte("", type, column);
          if (b > 1) {
            throw new IllegalArgumentException(
                "malformed row: BOOLEAN column " + column + " holds byte " + b);
          }
          yield b == 1;
        }
        case SMALLINT -> (short) readBigEndian(2, type, column);
        case INTEGER, DATE, TIME -> (int) readBigEndian(4, type, column);
        case BIGINT, TIMESTAMP -> readBigEndian(8, type, column);
        case REAL -> Float.intBitsToFloat((int) readBigEndian(4, type, column));
        case DOUBLE -> Double.longBitsToDouble(readBigEndian(8, type, column));
        case CHAR, VARCHAR -> {
          int length = readLength(type, column);
          String value;
          try {
            value = Utf8.decode(row, at, length, "");
          } catch (IllegalArgumentException malformed) {
            // Decode again naming the column, which throws the same error with it: the name is only put
            // together on failure, as this runs for every text field of every row read.
            value = Utf8.decode(row, at, length, describe("", type, column));
          }
          at += length;
          yield value;
        }
        case DECIMAL -> readDecimal(column);
      };
    }

    void skipField(ColumnType type, int column) {
      int width = KeyEncoder.fixedWidth(type);
      if (width > 0) {
        require(width, "", type, column);
        at += width;
        return;
      }
      if (type == ColumnType.DECIMAL) {
        readVarint(" scale", type, column);
      }
      // Not "at += readLength(...)": that would add to the position from before the length varint.
      int length = readLength(type, column);
      at += length;
    }

    private BigDecimal readDecimal(int column) {
      int scale = unzigzag(readVarint(" scale", ColumnType.DECIMAL, column));
      int length = readLength(ColumnType.DECIMAL, column);
      if (length == 0) {
        throw new IllegalArgumentException("malformed row: DECIMAL column " + column + " has no digits");
      }
      BigDecimal value;
      if (length <= MAX_BYTES_IN_LONG) {
        // Sign-extend the first byte, then shift in the rest: no BigInteger for common values.
        long unscaled = row[at];
        for (int i = 1; i < length; i++) {
          unscaled = (unscaled << 8) | (row[at + i] & 0xff);
        }
        value = BigDecimal.valueOf(unscaled, scale);
      } else {
        value = new BigDecimal(new BigInteger(row, at, length), scale);
      }
      at += length;
      return value;
    }

    private long readBigEndian(int width, ColumnType type, int column) {
      require(width, "", type, column);
      long bits = row[at];
      for (int i = 1; i < width; i++) {
        bits = (bits << 8) | (row[at + i] & 0xff);
      }
      at += width;
      return bits;
    }

    /** Reads a varint length and checks that many bytes follow. */
    private int readLength(ColumnType type, int column) {
      int length = readVarint(" length", type, column);
      if (length < 0) {
        throw new IllegalArgumentException("malformed row: " + describe("", type, column) + " has negative length");
      }
      require(length, "", type, column);
      return length;
    }

    private int readByte(String what) {
      return readByte(what, null, -1);
    }

    private int readByte(String what, ColumnType type, int column) {
      require(1, what, type, column);
      return row[at++] & 0xff;
    }

    /** Reads an unsigned 32-bit LEB128 varint (the caller decides whether its sign bit is valid). */
    private int readVarint(String what) {
      return readVarint(what, null, -1);
    }

    private int readVarint(String what, ColumnType type, int column) {
      int value = 0;
      for (int i = 0; i < MAX_VARINT_BYTES; i++) {
        int b = readByte(what, type, column);
        if (i == MAX_VARINT_BYTES - 1 && b > 0x0f) {
          throw new IllegalArgumentException("malformed row: " + describe(what, type, column) + " varint overflows 32 bits");
        }
        value |= (b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new AssertionError("unreachable: the fifth byte has no continuation bit");
    }

    private void require(int bytes, String what) {
      require(bytes, what, null, -1);
    }

    /**
     * Fails unless {@code bytes} more bytes follow. The read is named by {@code what}, prefixed with the column
     * when {@code type} is given; the name is only put together on failure, as reads run per field of every row.
     */
    private void require(int bytes, String what, ColumnType type, int column) {
      if (bytes > row.length - at) {
        throw new IllegalArgumentException("malformed row: truncated " + describe(what, type, column) + " at byte " + at
            + " (needs " + bytes + " bytes, " + (row.length - at) + " left)");
      }
    }

    private static String describe(String what, ColumnType type, int column) {
      return type == null ? what : type + " column " + column + what;
    }
  }
}
