package io.shaledb.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.kv.RowFilter.Comparison;
import io.shaledb.kv.RowFilter.Condition;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.RowCodec;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowFilterTest {
  private static final List<ColumnType> TYPES =
      List.of(ColumnType.INTEGER, ColumnType.VARCHAR, ColumnType.DECIMAL, ColumnType.BIGINT);
  private static final RowCodec CODEC = new RowCodec(TYPES);

  private static byte[] row(Object... values) {
    return CODEC.encode(3, values);
  }

  @Test
  void dropsRowsThatFailAConditionAndKeepsThoseThatPass() {
    RowFilter filter = new RowFilter(3, TYPES, List.of(
        new Condition(2, Comparison.GREATER_OR_EQUAL, new BigDecimal("10.00")),
        new Condition(1, Comparison.EQUAL, "red")), null);
    byte[] passing = row(1, "red", new BigDecimal("10.5"), 7L);
    assertSame(passing, filter.apply(passing));
    assertNull(filter.apply(row(2, "red", new BigDecimal("9.99"), 7L)));
    assertNull(filter.apply(row(3, "blue", new BigDecimal("11"), 7L)));
    // A comparison with NULL never holds, as in WHERE.
    assertNull(filter.apply(row(4, null, new BigDecimal("11"), 7L)));
  }

  @Test
  void blanksColumnsTheReaderDoesNotRead() {
    RowFilter filter = new RowFilter(3, TYPES, List.of(), new int[] {0, 2});
    byte[] trimmed = filter.apply(row(1, "a long description nobody selected", new BigDecimal("1.5"), 9L));
    assertEquals(Arrays.asList(1, null, new BigDecimal("1.5"), null), Arrays.asList(CODEC.decode(trimmed)));
    assertEquals(3, RowCodec.schemaVersion(trimmed));
  }

  @Test
  void keepingEveryColumnDoesNotReencodeRows() {
    RowFilter filter = new RowFilter(3, TYPES, List.of(new Condition(0, Comparison.GREATER, 0)), new int[] {3, 2, 1, 0});
    assertNull(filter.keptColumns());
    byte[] row = row(1, "x", null, 2L);
    assertSame(row, filter.apply(row));
    assertEquals(false, new RowFilter(3, TYPES, List.of(), new int[] {0, 1, 2, 3}).isEffective());
  }

  @Test
  void rowsItCannotReadPassUnchanged() {
    RowFilter filter = new RowFilter(3, TYPES, List.of(new Condition(0, Comparison.LESS, 0)), new int[] {0});
    byte[] otherVersion = CODEC.encode(2, new Object[] {5, "x", null, null});
    assertSame(otherVersion, filter.apply(otherVersion));
    byte[] garbage = {1, 3, 9, 9, 9};
    assertSame(garbage, filter.apply(garbage));
  }

  @Test
  void encodedFormRoundTripsAndGarbageIsRefused() {
    RowFilter filter = new RowFilter(3, TYPES, List.of(
        new Condition(0, Comparison.LESS_OR_EQUAL, 5), new Condition(3, Comparison.GREATER, 2L),
        new Condition(1, Comparison.EQUAL, "é")), new int[] {3, 1});
    byte[] encoded = filter.encode();
    assertEquals(filter, RowFilter.decode(encoded));
    assertArrayEquals(encoded, RowFilter.decode(encoded).encode());
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThrows(IllegalArgumentException.class, () -> RowFilter.decode(truncated));
    }
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
    assertThrows(IllegalArgumentException.class, () -> RowFilter.decode(longer));
  }

  @Test
  void conditionValuesMustHaveTheColumnsClass() {
    assertThrows(IllegalArgumentException.class,
        () -> new RowFilter(1, TYPES, List.of(new Condition(3, Comparison.EQUAL, 5)), null));
    assertThrows(IllegalArgumentException.class,
        () -> new RowFilter(1, TYPES, List.of(new Condition(4, Comparison.EQUAL, 5)), null));
  }
}
