package io.shaledb.kv.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.Keyspaces;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyEncodingTest {
  private static final int KEYSPACE = 0x01020304;
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] key(ColumnType type, Object value, SortOrder order) {
    return new KeyEncoder(KEYSPACE).add(type, value, order).toByteArray();
  }

  private static byte[] key(ColumnType type, Object value) {
    return key(type, value, SortOrder.ASC);
  }

  /** The component bytes after the keyspace prefix, in hex. */
  private static String component(ColumnType type, Object value, SortOrder order) {
    byte[] key = key(type, value, order);
    return HEX.formatHex(key, Keyspaces.PREFIX_BYTES, key.length);
  }

  private static int compare(ColumnType type, Object a, Object b) {
    return Integer.signum(ByteArrays.compare(key(type, a), key(type, b)));
  }

  @Test
  void keyStartsWithTheKeyspacePrefix() {
    byte[] key = new KeyEncoder(KEYSPACE).toByteArray();
    assertArrayEquals(Keyspaces.prefix(KEYSPACE), key);
    assertEquals(KEYSPACE, new KeyDecoder(key).keyspaceId());
    assertThrows(IllegalArgumentException.class, () -> new KeyEncoder(0));
  }

  @Test
  void integersAreSignFlippedBigEndianBehindAValueMarker() {
    assertEquals("0180000000", component(ColumnType.INTEGER, 0, SortOrder.ASC));
    assertEquals("017fffffff", component(ColumnType.INTEGER, -1, SortOrder.ASC));
    assertEquals("010000", component(ColumnType.SMALLINT, Short.MIN_VALUE, SortOrder.ASC));
    assertEquals("01ffffffffffffffff", component(ColumnType.BIGINT, Long.MAX_VALUE, SortOrder.ASC));
    assertEquals("fe7fffffff", component(ColumnType.INTEGER, 0, SortOrder.DESC));
  }

  @Test
  void nullIsOneByteSortingFirstAscendingAndLastDescending() {
    assertEquals("00", component(ColumnType.VARCHAR, null, SortOrder.ASC));
    assertEquals("ff", component(ColumnType.VARCHAR, null, SortOrder.DESC));
    assertEquals(-1, compare(ColumnType.BIGINT, null, Long.MIN_VALUE));
    assertTrue(ByteArrays.compare(key(ColumnType.BIGINT, null, SortOrder.DESC),
        key(ColumnType.BIGINT, Long.MIN_VALUE, SortOrder.DESC)) > 0);
  }

  @Test
  void booleansSortFalseBeforeTrue() {
    assertEquals("0100", component(ColumnType.BOOLEAN, false, SortOrder.ASC));
    assertEquals(-1, compare(ColumnType.BOOLEAN, false, true));
  }

  @Test
  void dateTimeAndTimestampSortAsTheirNumbers() {
    assertEquals(-1, compare(ColumnType.DATE, -719162, 19000));
    assertEquals(-1, compare(ColumnType.TIME, 0, 86_399_999));
    assertEquals(-1, compare(ColumnType.TIMESTAMP, -1L, 1_700_000_000_000L));
  }

  @Test
  void decimalsEqualInValueEncodeIdentically() {
    assertArrayEquals(key(ColumnType.DECIMAL, new BigDecimal("1.5")), key(ColumnType.DECIMAL, new BigDecimal("1.50")));
    assertArrayEquals(key(ColumnType.DECIMAL, new BigDecimal("100")), key(ColumnType.DECIMAL, new BigDecimal("1E+2")));
    assertArrayEquals(key(ColumnType.DECIMAL, BigDecimal.ZERO), key(ColumnType.DECIMAL, new BigDecimal("-0.000")));
    assertArrayEquals(key(ColumnType.DECIMAL, new BigDecimal("-7.10")), key(ColumnType.DECIMAL, new BigDecimal("-7.1")));
  }

  @Test
  void decimalLayoutIsClassExponentAndDigitPairs() {
    // 1.5 = 0.15 * 10^1: positive, exponent 0x81, one final pair 15 -> 30 = 0x1e.
    assertEquals("0102811e", component(ColumnType.DECIMAL, new BigDecimal("1.50"), SortOrder.ASC));
    // 123 = 0.123 * 10^3: pairs 12 (not last: 25 = 0x19) and 30 (last: 60 = 0x3c).
    assertEquals("010283193c", component(ColumnType.DECIMAL, new BigDecimal("123"), SortOrder.ASC));
    assertEquals("0101", component(ColumnType.DECIMAL, new BigDecimal("0.00"), SortOrder.ASC));
    // A negative value inverts its exponent and digits.
    assertEquals("01007ee1", component(ColumnType.DECIMAL, new BigDecimal("-1.5"), SortOrder.ASC));
  }

  @Test
  void decimalsOrderAcrossSignsExponentsAndDigits() {
    String[] ascending = {
      "-1E+100", "-12345678901234567890.5", "-10.5", "-1", "-0.99", "-0.1", "-0.001", "0",
      "1E-100", "0.001", "0.0015", "0.002", "0.15", "0.151", "0.159", "0.16", "0.2", "1", "1.0000001",
      "9.99", "10", "10.5", "99", "100", "123456789012345678901234567890", "1E+1000"
    };
    for (int i = 0; i + 1 < ascending.length; i++) {
      BigDecimal smaller = new BigDecimal(ascending[i]);
      BigDecimal larger = new BigDecimal(ascending[i + 1]);
      assertEquals(-1, compare(ColumnType.DECIMAL, smaller, larger), ascending[i] + " < " + ascending[i + 1]);
    }
  }

  @Test
  void decimalsWithExtremeScalesRoundTrip() {
    BigDecimal[] extremes = {
      new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE),
      new BigDecimal(BigInteger.valueOf(-7), Integer.MAX_VALUE),
      new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE),
      new BigDecimal(BigInteger.TEN.pow(60).add(BigInteger.ONE), Integer.MIN_VALUE + 1),
      new BigDecimal(BigInteger.TEN.pow(60).add(BigInteger.ONE).negate(), 12),
    };
    for (BigDecimal value : extremes) {
      for (SortOrder order : SortOrder.values()) {
        byte[] key = key(ColumnType.DECIMAL, value, order);
        Object decoded = new KeyDecoder(key).read(ColumnType.DECIMAL, order);
        assertEquals(value.stripTrailingZeros(), decoded);
      }
    }
    assertEquals(-1, compare(ColumnType.DECIMAL, extremes[0], extremes[2]));
    assertEquals(-1, compare(ColumnType.DECIMAL, extremes[1], extremes[0]));
  }

  @Test
  void decimalsWhoseShortestFormHasNoIntScaleAreRejected() {
    BigDecimal huge = new BigDecimal(BigInteger.valueOf(1000), Integer.MIN_VALUE + 1);
    KeyEncoder encoder = new KeyEncoder(KEYSPACE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.add(ColumnType.DECIMAL, huge, SortOrder.ASC));
    assertTrue(e.getMessage().contains("too large for a key"), e.getMessage());
    assertEquals(Keyspaces.PREFIX_BYTES, encoder.length());
  }

  @Test
  void decodedDecimalsAreInShortestForm() {
    assertEquals(new BigDecimal("1.5"), roundTrip(ColumnType.DECIMAL, new BigDecimal("1.500")));
    assertEquals(new BigDecimal("1E+2"), roundTrip(ColumnType.DECIMAL, new BigDecimal("100.00")));
    assertEquals(BigDecimal.ZERO, roundTrip(ColumnType.DECIMAL, new BigDecimal("0.000")));
  }

  @Test
  void negativeZeroEqualsZeroAndNanSortsAboveInfinity() {
    assertArrayEquals(key(ColumnType.REAL, 0.0f), key(ColumnType.REAL, -0.0f));
    assertArrayEquals(key(ColumnType.DOUBLE, 0.0), key(ColumnType.DOUBLE, -0.0));
    assertArrayEquals(key(ColumnType.DOUBLE, Double.NaN),
        key(ColumnType.DOUBLE, Double.longBitsToDouble(0xfff8000000000001L)));
    assertEquals(-1, compare(ColumnType.DOUBLE, Double.POSITIVE_INFINITY, Double.NaN));
    assertEquals(-1, compare(ColumnType.REAL, Float.POSITIVE_INFINITY, Float.NaN));
    assertEquals(-1, compare(ColumnType.DOUBLE, Double.NEGATIVE_INFINITY, -Double.MAX_VALUE));
    assertEquals(-1, compare(ColumnType.DOUBLE, -Double.MIN_VALUE, 0.0));
    assertEquals(-1, compare(ColumnType.REAL, -1.0f, -0.5f));
    assertEquals(0.0, (double) roundTrip(ColumnType.DOUBLE, -0.0));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits((double) roundTrip(ColumnType.DOUBLE, -0.0)));
    assertTrue(Float.isNaN((float) roundTrip(ColumnType.REAL, Float.NaN)));
  }

  @Test
  void stringsEscapeNulAndEndWithATerminator() {
    assertEquals("010001", component(ColumnType.VARCHAR, "", SortOrder.ASC));
    assertEquals("016100ff620001", component(ColumnType.VARCHAR, "a\u0000b", SortOrder.ASC));
    assertEquals("fe9eff009dfffe", component(ColumnType.VARCHAR, "a\u0000b", SortOrder.DESC));
    assertEquals(-1, compare(ColumnType.VARCHAR, "", "\u0000"));
    assertEquals(-1, compare(ColumnType.VARCHAR, "a", "a\u0000"));
    assertEquals(-1, compare(ColumnType.VARCHAR, "a\u0000", "a\u0001"));
    assertEquals(-1, compare(ColumnType.VARCHAR, "a", "ab"));
    assertEquals(-1, compare(ColumnType.CHAR, "ab", "b"));
  }

  @Test
  void stringsSortByCodePointNotByUtf16Unit() {
    // U+FFFD is above U+D83D in UTF-16 order but below the code point U+1F600 it starts.
    assertEquals(-1, compare(ColumnType.VARCHAR, "\uFFFD", "\uD83D\uDE00"));
    assertEquals("\uD83D\uDE00x\u0000", roundTrip(ColumnType.VARCHAR, "\uD83D\uDE00x\u0000"));
    assertEquals("\u0000\u0000", roundTrip(ColumnType.CHAR, "\u0000\u0000"));
  }

  @Test
  void unpairedSurrogatesAreRejected() {
    KeyEncoder encoder = new KeyEncoder(KEYSPACE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.add(ColumnType.VARCHAR, "a\uD800b", SortOrder.ASC));
    assertTrue(e.getMessage().contains("unpaired surrogate at index 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> encoder.add(ColumnType.VARCHAR, "\uDC00", SortOrder.ASC));
    assertEquals(Keyspaces.PREFIX_BYTES, encoder.length());
  }

  @Test
  void wrongJavaClassNamesTypeAndClass() {
    KeyEncoder encoder = new KeyEncoder(KEYSPACE).add(ColumnType.INTEGER, 1);
    int before = encoder.length();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.add(ColumnType.INTEGER, 1L, SortOrder.ASC));
    assertTrue(e.getMessage().contains("INTEGER"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> encoder.add(ColumnType.DATE, java.time.LocalDate.EPOCH));
    assertThrows(IllegalArgumentException.class, () -> encoder.add(ColumnType.DECIMAL, 1.5));
    assertEquals(before, encoder.length(), "a rejected value leaves the key unchanged");
  }

  @Test
  void staticHelperMatchesTheBuilder() {
    ColumnType[] types = {ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.DECIMAL};
    Object[] values = {"x\u0000", null, new BigDecimal("-3.25")};
    SortOrder[] orders = {SortOrder.ASC, SortOrder.DESC, SortOrder.DESC};
    byte[] built = new KeyEncoder(KEYSPACE)
        .add(types[0], values[0], orders[0])
        .add(types[1], values[1], orders[1])
        .add(types[2], values[2], orders[2])
        .toByteArray();
    assertArrayEquals(built, KeyEncoder.encode(KEYSPACE, types, values, orders));
    assertArrayEquals(Arrays.copyOf(built, built.length), KeyEncoder.encode(KEYSPACE, types, values, orders));
    Object[] decoded = KeyDecoder.decode(built, types, orders);
    assertEquals("x\u0000", decoded[0]);
    assertNull(decoded[1]);
    assertEquals(new BigDecimal("-3.25"), decoded[2]);

    byte[] ascending = KeyEncoder.encode(KEYSPACE, types, values);
    assertArrayEquals(ascending, KeyEncoder.encode(KEYSPACE, types, values,
        new SortOrder[] {SortOrder.ASC, SortOrder.ASC, SortOrder.ASC}));
    assertArrayEquals(values, new Object[] {KeyDecoder.decode(ascending, types)[0], null, new BigDecimal("-3.25")});

    assertThrows(IllegalArgumentException.class, () -> KeyEncoder.encode(KEYSPACE, types, new Object[2]));
    assertThrows(IllegalArgumentException.class,
        () -> KeyEncoder.encode(KEYSPACE, types, values, new SortOrder[] {SortOrder.ASC}));
    assertThrows(IllegalArgumentException.class, () -> KeyEncoder.encodePrefix(KEYSPACE, types, values, orders, 4));
  }

  @Test
  void primaryKeyPrefixRangeScanCoversExactlyThePrefix() {
    ColumnType[] types = {ColumnType.INTEGER, ColumnType.VARCHAR};
    SortOrder[] orders = {SortOrder.ASC, SortOrder.DESC};
    byte[] prefix = KeyEncoder.encodePrefix(KEYSPACE, types, new Object[] {7}, orders, 1);
    byte[] end = ByteArrays.prefixEnd(prefix);
    for (Object[] inside : new Object[][] {{7, null}, {7, ""}, {7, "zzz"}, {7, "\uD83D\uDE00"}}) {
      byte[] key = KeyEncoder.encode(KEYSPACE, types, inside, orders);
      assertTrue(ByteArrays.compare(prefix, key) <= 0 && ByteArrays.compare(key, end) < 0, Arrays.toString(inside));
    }
    for (Object[] outside : new Object[][] {{6, null}, {8, ""}, {null, "a"}}) {
      byte[] key = KeyEncoder.encode(KEYSPACE, types, outside, orders);
      assertFalse(ByteArrays.compare(prefix, key) <= 0 && ByteArrays.compare(key, end) < 0, Arrays.toString(outside));
    }
    // DESC NULL is 0xff, yet a prefix ending in it still has an end: the keyspace prefix bounds it.
    byte[] descNull = new KeyEncoder(KEYSPACE).add(ColumnType.VARCHAR, null, SortOrder.DESC).toByteArray();
    assertEquals(KEYSPACE + 1, Keyspaces.keyspaceOf(ByteArrays.prefixEnd(descNull)));
  }

  @Test
  void resetReusesTheEncoderForAnotherKey() {
    KeyEncoder encoder = new KeyEncoder(KEYSPACE, 4);
    byte[] first = encoder.add(ColumnType.VARCHAR, "a longer string than the initial buffer").toByteArray();
    byte[] second = encoder.reset(KEYSPACE + 1).add(ColumnType.INTEGER, 5).toByteArray();
    assertArrayEquals(key(ColumnType.VARCHAR, "a longer string than the initial buffer"), first);
    assertEquals(KEYSPACE + 1, Keyspaces.keyspaceOf(second));
    assertEquals(5, KeyDecoder.decode(second, new ColumnType[] {ColumnType.INTEGER})[0]);
  }

  @Test
  void decoderSkipsEveryKindOfComponent() {
    ColumnType[] types = ColumnType.values();
    Object[] values = {true, (short) 3, 4, 5L, new BigDecimal("-6.5"), 7f, 8d, "nine", "ten\u0000", 11, 12, 13L};
    SortOrder[] orders = new SortOrder[types.length];
    for (int i = 0; i < types.length; i++) {
      orders[i] = i % 2 == 0 ? SortOrder.DESC : SortOrder.ASC;
    }
    byte[] key = KeyEncoder.encode(KEYSPACE, types, values, orders);
    for (int skipped = 0; skipped < types.length; skipped++) {
      KeyDecoder decoder = new KeyDecoder(key);
      for (int i = 0; i < skipped; i++) {
        decoder.skip(types[i], orders[i]);
      }
      assertEquals(values[skipped], decoder.read(types[skipped], orders[skipped]), types[skipped].toString());
    }
  }

  @Test
  void malformedKeysAreRejectedWithAClearMessage() {
    byte[] prefix = Keyspaces.prefix(KEYSPACE);
    assertThrows(IllegalArgumentException.class, () -> new KeyDecoder(new byte[] {1, 2}));
    assertMalformed("unexpected INTEGER component marker 0x2", withSuffix(prefix, 2, 0, 0, 0, 0), ColumnType.INTEGER);
    assertMalformed("truncated BIGINT component", withSuffix(prefix, 1, 0, 0), ColumnType.BIGINT);
    assertMalformed("truncated VARCHAR component", withSuffix(prefix, 1, 'a', 'b'), ColumnType.VARCHAR);
    assertMalformed("VARCHAR escape 0x00 0x2", withSuffix(prefix, 1, 'a', 0, 2), ColumnType.VARCHAR);
    assertMalformed("malformed UTF-8", withSuffix(prefix, 1, 0xc0, 0x80, 0, 1), ColumnType.VARCHAR);
    assertMalformed("BOOLEAN byte 0x2", withSuffix(prefix, 1, 2), ColumnType.BOOLEAN);
    assertMalformed("DECIMAL class byte", withSuffix(prefix, 1, 7), ColumnType.DECIMAL);
    assertMalformed("DECIMAL digits are not normalized", withSuffix(prefix, 1, 2, 0x81, 2), ColumnType.DECIMAL);
    assertMalformed("DECIMAL digit byte", withSuffix(prefix, 1, 2, 0x81, 201), ColumnType.DECIMAL);
    assertMalformed("DECIMAL exponent header", withSuffix(prefix, 1, 2, 0xd0, 30), ColumnType.DECIMAL);
    assertMalformed("DECIMAL exponent", withSuffix(prefix, 1, 2, 0xc1, 0, 30), ColumnType.DECIMAL);
    assertMalformed("bytes left after the last", withSuffix(prefix, 0, 0), ColumnType.INTEGER);
  }

  private static void assertMalformed(String expectedMessagePart, byte[] key, ColumnType type) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyDecoder.decode(key, new ColumnType[] {type}));
    assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
  }

  private static byte[] withSuffix(byte[] prefix, int... suffix) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + suffix.length);
    for (int i = 0; i < suffix.length; i++) {
      key[prefix.length + i] = (byte) suffix[i];
    }
    return key;
  }

  private static Object roundTrip(ColumnType type, Object value) {
    return new KeyDecoder(key(type, value)).read(type);
  }
}
