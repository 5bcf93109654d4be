package io.shaledb.kv.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.encoding.ColumnValueArbitraries.KeyColumn;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class KeyEncodingPropertiesTest {
  private static final int KEYSPACE = Keyspaces.FIRST_USER_KEYSPACE + 7;

  /** One column type and order with values of that type (NULL included). */
  record SingleColumn(ColumnType type, SortOrder order, List<Object> values) {}

  /** Key columns and rows of values for them. */
  record Composite(List<KeyColumn> columns, List<Object[]> rows) {
    List<ColumnType> types() {
      return columns.stream().map(KeyColumn::type).toList();
    }

    List<SortOrder> orders() {
      return columns.stream().map(KeyColumn::order).toList();
    }

    ColumnType[] typeArray() {
      return types().toArray(new ColumnType[0]);
    }

    SortOrder[] orderArray() {
      return orders().toArray(new SortOrder[0]);
    }

    byte[] key(Object[] row) {
      return KeyEncoder.encode(KEYSPACE, typeArray(), row, orderArray());
    }
  }

  @Provide
  Arbitrary<SingleColumn> singleColumns() {
    return Combinators.combine(Arbitraries.of(ColumnType.class), Arbitraries.of(SortOrder.class))
        .flatAs((type, order) -> ColumnValueArbitraries.values(type)
            .injectDuplicates(0.1)
            .list().ofMinSize(2).ofMaxSize(16)
            .map(values -> new SingleColumn(type, order, values)))
        .withoutEdgeCases();
  }

  @Provide
  Arbitrary<Composite> composites() {
    return ColumnValueArbitraries.keyColumns(4).flatMap(columns -> ColumnValueArbitraries
        .tiedRows(columns.stream().map(KeyColumn::type).toList(), 12)
        .map(rows -> new Composite(columns, rows)))
        .withoutEdgeCases();
  }

  @Property(tries = 1500)
  void singleComponentOrderIsSqlOrder(@ForAll("singleColumns") SingleColumn column) {
    List<byte[]> keys = new ArrayList<>();
    for (Object value : column.values()) {
      keys.add(new KeyEncoder(KEYSPACE).add(column.type(), value, column.order()).toByteArray());
    }
    for (int i = 0; i < keys.size(); i++) {
      for (int j = 0; j < keys.size(); j++) {
        Object a = column.values().get(i);
        Object b = column.values().get(j);
        int expected = Integer.signum(SqlOrder.compare(column.type(), column.order(), a, b));
        int actual = Integer.signum(ByteArrays.compare(keys.get(i), keys.get(j)));
        assertEquals(expected, actual, () -> column.type() + " " + column.order() + ": " + describe(a)
            + " vs " + describe(b));
        if (expected == 0) {
          assertArrayEquals(keys.get(i), keys.get(j), "equal values must encode to equal bytes");
        }
      }
    }
  }

  @Property(tries = 500)
  void compositeOrderIsRowOrder(@ForAll("composites") Composite composite) {
    List<Object[]> rows = composite.rows();
    List<byte[]> keys = rows.stream().map(composite::key).toList();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < rows.size(); j++) {
        Object[] a = rows.get(i);
        Object[] b = rows.get(j);
        int expected = Integer.signum(SqlOrder.compareRows(composite.types(), composite.orders(), a, b));
        int actual = Integer.signum(ByteArrays.compare(keys.get(i), keys.get(j)));
        assertEquals(expected, actual, () -> composite.columns() + ": " + Arrays.toString(a) + " vs "
            + Arrays.toString(b));
      }
    }
  }

  @Property(tries = 500)
  void keysRoundTripAndReencodeIdentically(@ForAll("composites") Composite composite) {
    for (Object[] row : composite.rows()) {
      byte[] key = composite.key(row);
      Object[] decoded = KeyDecoder.decode(key, composite.typeArray(), composite.orderArray());
      for (int i = 0; i < row.length; i++) {
        ColumnType type = composite.types().get(i);
        Object original = row[i];
        assertEquals(0, SqlOrder.compare(type, original, decoded[i]), () -> type + " " + describe(original));
        if (decoded[i] != null) {
          assertEquals(type.javaClass(), decoded[i].getClass());
        }
        if (row[i] instanceof BigDecimal decimal && decimal.signum() != 0) {
          assertEquals(decimal.stripTrailingZeros(), decoded[i]);
        }
      }
      assertArrayEquals(key, composite.key(decoded));
    }
  }

  @Property(tries = 300)
  void prefixKeysBoundExactlyTheRowsThatShareThePrefix(@ForAll("composites") Composite composite) {
    ColumnType[] types = composite.typeArray();
    SortOrder[] orders = composite.orderArray();
    for (Object[] a : composite.rows()) {
      byte[] full = composite.key(a);
      for (int k = 0; k <= types.length; k++) {
        byte[] prefix = KeyEncoder.encodePrefix(KEYSPACE, types, a, orders, k);
        assertArrayEquals(Arrays.copyOf(full, prefix.length), prefix, "prefix of " + k + " components");
        byte[] end = ByteArrays.prefixEnd(prefix);
        for (Object[] b : composite.rows()) {
          byte[] other = composite.key(b);
          boolean inRange = ByteArrays.compare(prefix, other) <= 0 && ByteArrays.compare(other, end) < 0;
          boolean sharesPrefix = SqlOrder.compareRows(
              composite.types().subList(0, k), composite.orders().subList(0, k), a, b) == 0;
          assertEquals(sharesPrefix, inRange, () -> Arrays.toString(a) + " / " + Arrays.toString(b));
        }
      }
    }
  }

  @Property(tries = 300)
  void noCompleteKeyIsAProperPrefixOfAnother(@ForAll("composites") Composite composite) {
    for (Object[] a : composite.rows()) {
      for (Object[] b : composite.rows()) {
        byte[] keyA = composite.key(a);
        byte[] keyB = composite.key(b);
        if (keyA.length < keyB.length) {
          assertFalse(Arrays.equals(keyA, Arrays.copyOf(keyB, keyA.length)),
              () -> Arrays.toString(a) + " is a prefix of " + Arrays.toString(b));
        }
      }
    }
  }

  @Property(tries = 300)
  void skippingComponentsLandsOnTheNextOne(
      @ForAll("composites") Composite composite, @ForAll @IntRange(min = 0, max = 4) int skipped) {
    Object[] row = composite.rows().get(0);
    int skip = Math.min(skipped, row.length);
    KeyDecoder decoder = new KeyDecoder(composite.key(row));
    assertEquals(KEYSPACE, decoder.keyspaceId());
    for (int i = 0; i < skip; i++) {
      decoder.skip(composite.types().get(i), composite.orders().get(i));
    }
    for (int i = skip; i < row.length; i++) {
      Object value = decoder.read(composite.types().get(i), composite.orders().get(i));
      assertEquals(0, SqlOrder.compare(composite.types().get(i), row[i], value));
    }
    assertFalse(decoder.hasRemaining());
  }

  @Property(tries = 300)
  void everyTruncationOfAKeyIsRejected(@ForAll("composites") Composite composite) {
    byte[] key = composite.key(composite.rows().get(0));
    for (int length = Keyspaces.PREFIX_BYTES; length < key.length; length++) {
      byte[] truncated = Arrays.copyOf(key, length);
      assertThrows(IllegalArgumentException.class,
          () -> KeyDecoder.decode(truncated, composite.typeArray(), composite.orderArray()));
    }
  }

  @Property(tries = 1000)
  void corruptKeysFailOnlyWithIllegalArgumentException(
      @ForAll("composites") Composite composite,
      @ForAll @IntRange(min = 0, max = 1000) int position,
      @ForAll byte replacement) {
    byte[] key = composite.key(composite.rows().get(0));
    int at = Keyspaces.PREFIX_BYTES + position % (key.length - Keyspaces.PREFIX_BYTES);
    key[at] = replacement;
    try {
      Object[] decoded = KeyDecoder.decode(key, composite.typeArray(), composite.orderArray());
      assertEquals(composite.columns().size(), decoded.length);
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().startsWith("malformed"), expected.getMessage());
    }
  }

  private static String describe(Object value) {
    if (value instanceof Float f) {
      return f + " (bits " + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
    }
    if (value instanceof Double d) {
      return d + " (bits " + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
    }
    if (value instanceof String s) {
      return '"' + s + "\" " + Arrays.toString(s.codePoints().toArray());
    }
    return String.valueOf(value);
  }
}
