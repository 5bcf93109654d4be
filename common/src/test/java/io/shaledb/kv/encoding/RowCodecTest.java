package io.shaledb.kv.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static final RowCodec ORDERS = new RowCodec(List.of(
      ColumnType.BIGINT, ColumnType.VARCHAR, ColumnType.DECIMAL, ColumnType.BOOLEAN, ColumnType.DATE));

  @Test
  void layoutIsHeaderBitmapThenFields() {
    byte[] row = ORDERS.encode(3, new Object[] {5L, "é", new BigDecimal("-1.50"), null, 19000});
    assertEquals(
        "01" + "03" + "05" + "08"            // format, schema version, column count, bitmap (column 3 null)
            + "0000000000000005"            // BIGINT
            + "02" + "c3a9"                 // VARCHAR: length 2, UTF-8
            + "04" + "02" + "ff6a"          // DECIMAL: zigzag scale 2, length 2, unscaled -150
            + "00004a38",                    // DATE
        HEX.formatHex(row));
  }

  @Test
  void schemaVersionIsReadFromTheHeaderAlone() {
    assertEquals(0, RowCodec.schemaVersion(ORDERS.encode(0, new Object[5])));
    assertEquals(300, RowCodec.schemaVersion(ORDERS.encode(300, new Object[5])));
    assertEquals(Integer.MAX_VALUE, RowCodec.schemaVersion(ORDERS.encode(Integer.MAX_VALUE, new Object[5])));
    assertThrows(IllegalArgumentException.class, () -> ORDERS.encode(-1, new Object[5]));
  }

  @Test
  void valuesKeepScaleNegativeZeroAndNanBits() {
    RowCodec codec = new RowCodec(List.of(ColumnType.DECIMAL, ColumnType.DOUBLE, ColumnType.REAL, ColumnType.DECIMAL));
    BigDecimal big = new BigDecimal(BigInteger.TEN.pow(50).negate().add(BigInteger.ONE), 7);
    float oddNan = Float.intBitsToFloat(0x7fc00123);
    Object[] decoded = codec.decode(codec.encode(1, new Object[] {new BigDecimal("1.500"), -0.0, oddNan, big}));
    assertEquals(new BigDecimal("1.500"), decoded[0]);
    assertEquals(3, ((BigDecimal) decoded[0]).scale());
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) decoded[1]));
    assertEquals(0x7fc00123, Float.floatToRawIntBits((Float) decoded[2]));
    assertEquals(big, decoded[3]);
  }

  @Test
  void extremeValuesRoundTrip() {
    RowCodec codec = new RowCodec(List.of(ColumnType.values()));
    Object[][] rows = {
      {true, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE),
        Float.NEGATIVE_INFINITY, -Double.MAX_VALUE, "", "\u0000", Integer.MIN_VALUE, 0, Long.MIN_VALUE},
      {false, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE),
        Float.MIN_VALUE, Double.NaN, "\uD83D\uDE00\u0000x", "\uFFFF\u07FF", Integer.MAX_VALUE, 86_399_999, Long.MAX_VALUE},
    };
    for (Object[] row : rows) {
      assertArrayEquals(row, codec.decode(codec.encode(7, row)));
    }
  }

  @Test
  void olderRowsReadWithNullTrailingColumnsAndNewerRowsAreRejected() {
    RowCodec before = new RowCodec(List.of(ColumnType.INTEGER, ColumnType.VARCHAR));
    RowCodec after = new RowCodec(List.of(ColumnType.INTEGER, ColumnType.VARCHAR, ColumnType.BOOLEAN, ColumnType.DOUBLE));
    byte[] old = before.encode(1, new Object[] {1, "one"});
    assertArrayEquals(new Object[] {1, "one", null, null}, after.decode(old));
    assertArrayEquals(new Object[] {null, "one", 1}, after.decode(old, new int[] {3, 1, 0}));
    assertEquals(1, RowCodec.schemaVersion(old));

    byte[] newer = after.encode(2, new Object[] {2, "two", true, 2.0});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> before.decode(newer));
    assertEquals("row has 4 columns but the codec has only 2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> before.decode(newer, new int[] {0}));
  }

  @Test
  void projectionMayRepeatAndReorderColumns() {
    byte[] row = ORDERS.encode(1, new Object[] {9L, "nine", BigDecimal.TEN, true, null});
    assertArrayEquals(new Object[] {true, 9L, true, null}, ORDERS.decode(row, new int[] {3, 0, 3, 4}));
    assertArrayEquals(new Object[0], ORDERS.decode(row, new int[0]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ORDERS.decode(row, new int[] {5}));
    assertTrue(e.getMessage().contains("projected column 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ORDERS.decode(row, new int[] {-1}));
  }

  @Test
  void projectionDoesNotReadPastTheLastProjectedColumn() {
    byte[] row = ORDERS.encode(1, new Object[] {9L, "nine", BigDecimal.TEN, true, 4});
    // Corrupt the BOOLEAN field, which a projection of the first two columns never looks at.
    row[row.length - 5] = 7;
    assertArrayEquals(new Object[] {"nine", 9L}, ORDERS.decode(row, new int[] {1, 0}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ORDERS.decode(row));
    assertTrue(e.getMessage().contains("BOOLEAN column 3 holds byte 7"), e.getMessage());
  }

  @Test
  void valuesMustMatchTheColumns() {
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> ORDERS.encode(1, new Object[] {1L}));
    assertEquals("row has 1 values but the codec has 5 columns", count.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> ORDERS.encode(1, new Object[] {1, null, null, null, null}));
    assertTrue(type.getMessage().contains("BIGINT") && type.getMessage().contains("java.lang.Integer"),
        type.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ORDERS.encode(1, new Object[] {null, "\uDBFF", null, null, null}));
    assertThrows(IllegalArgumentException.class,
        () -> ORDERS.encode(1, new Object[] {null, null, 1.0, null, null}));
  }

  @Test
  void malformedRowsAreRejectedWithAClearMessage() {
    assertMalformed("truncated format version", "");
    assertMalformed("format version 2, expected 1", "020000");
    assertMalformed("truncated schema version", "0180");
    assertMalformed("schema version varint overflows 32 bits", "01ffffffff7f00");
    assertMalformed("negative schema version", "01ffffffff0f00");
    assertMalformed("negative column count", "0100ffffffff0f");
    assertMalformed("truncated null bitmap", "010005");
    assertMalformed("null bitmap has bits set past column 5", "01000520");
    assertMalformed("truncated BIGINT column 0", "0100051e0102");
    assertMalformed("truncated VARCHAR column 1 at byte 13", "0100051c" + "0000000000000001" + "05" + "6162");
    assertMalformed("malformed UTF-8 in VARCHAR column 1", "0100051c" + "0000000000000001" + "02" + "c328");
    assertMalformed("DECIMAL column 2 has no digits", "0100051a" + "0000000000000001" + "00" + "0000");
    assertMalformed("2 bytes after the last of 5 columns", "0100051f" + "ffff");
  }

  private static void assertMalformed(String expectedMessagePart, String hex) {
    byte[] row = HEX.parseHex(hex);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ORDERS.decode(row));
    assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
  }

  @Test
  void codecWithoutColumnsEncodesAHeaderOnly() {
    RowCodec empty = new RowCodec(List.of());
    byte[] row = empty.encode(9, new Object[0]);
    assertEquals("010900", HEX.formatHex(row));
    assertArrayEquals(new Object[0], empty.decode(row));
  }
}
