package io.shaledb.kv.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class RowCodecPropertiesTest {

  /** A table's column types, one row of values for them, and a schema version. */
  record Row(List<ColumnType> types, Object[] values, int schemaVersion) {
    RowCodec codec() {
      return new RowCodec(types);
    }

    byte[] encode() {
      return codec().encode(schemaVersion, values);
    }

    @Override
    public String toString() {
      return "Row" + types + Arrays.toString(values) + " v" + schemaVersion;
    }
  }

  @Provide
  Arbitrary<Row> rows() {
    Arbitrary<Integer> schemaVersions = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 200)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().greaterOrEqual(0)));
    return Arbitraries.of(ColumnType.class).list().ofMaxSize(20).flatMap(types -> {
      List<Arbitrary<Object>> columns = new ArrayList<>();
      for (ColumnType type : types) {
        columns.add(ColumnValueArbitraries.values(type));
      }
      // Edge cases of a 20-way combination are many and slow to build per try; each column's
      // generator mixes in its extremes instead.
      return Combinators.combine(Combinators.combine(columns).as(List::toArray), schemaVersions)
          .as((values, version) -> new Row(types, values, version))
          .withoutEdgeCases();
    });
  }

  @Property(tries = 1000)
  void rowsRoundTripExactly(@ForAll("rows") Row row) {
    byte[] encoded = row.encode();
    // equals() on Float, Double and BigDecimal also distinguishes -0.0 and scale: rows keep both.
    assertArrayEquals(row.values(), row.codec().decode(encoded));
    assertEquals(row.schemaVersion(), RowCodec.schemaVersion(encoded));
  }

  @Property(tries = 500)
  void projectionDecodesTheChosenColumnsInTheChosenOrder(
      @ForAll("rows") Row row, @ForAll List<@IntRange(min = 0, max = 19) Integer> picks) {
    int columns = row.types().size();
    int[] projection = picks.stream().filter(column -> column < columns).mapToInt(Integer::intValue).toArray();
    Object[] expected = new Object[projection.length];
    for (int j = 0; j < projection.length; j++) {
      expected[j] = row.values()[projection[j]];
    }
    assertArrayEquals(expected, row.codec().decode(row.encode(), projection));
  }

  @Property(tries = 500)
  void rowsOfAnOlderSchemaReadWithNullsInAddedColumns(
      @ForAll("rows") Row row, @ForAll List<ColumnType> addedColumns) {
    List<ColumnType> widened = new ArrayList<>(row.types());
    widened.addAll(addedColumns);
    RowCodec current = new RowCodec(widened);
    Object[] expected = Arrays.copyOf(row.values(), widened.size());
    byte[] encoded = row.encode();
    assertArrayEquals(expected, current.decode(encoded));
    int[] reversed = new int[widened.size()];
    for (int j = 0; j < reversed.length; j++) {
      reversed[j] = reversed.length - 1 - j;
    }
    Object[] projected = current.decode(encoded, reversed);
    for (int j = 0; j < reversed.length; j++) {
      assertEquals(expected[reversed[j]], projected[j]);
    }
    if (!addedColumns.isEmpty()) {
      assertThrows(IllegalArgumentException.class,
          () -> row.codec().decode(current.encode(row.schemaVersion(), expected)));
    }
  }

  @Property(tries = 300)
  void everyTruncationOfARowIsRejected(@ForAll("rows") Row row) {
    byte[] encoded = row.encode();
    int[] all = new int[row.types().size()];
    Arrays.setAll(all, i -> i);
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThrows(IllegalArgumentException.class, () -> row.codec().decode(truncated));
      assertThrows(IllegalArgumentException.class, () -> row.codec().decode(truncated, all));
    }
  }

  @Property(tries = 1000)
  void corruptRowsFailOnlyWithIllegalArgumentException(
      @ForAll("rows") Row row, @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll byte replacement) {
    byte[] encoded = row.encode();
    encoded[position % encoded.length] = replacement;
    int[] all = new int[row.types().size()];
    Arrays.setAll(all, i -> i);
    for (Runnable decode : List.<Runnable>of(
        () -> row.codec().decode(encoded), () -> row.codec().decode(encoded, all))) {
      try {
        decode.run();
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
      }
    }
  }
}
