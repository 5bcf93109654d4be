package io.shaledb.kv.encoding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of column values that hit the cases encodings get wrong: extremes, zeros of both
 * signs, NaN bit patterns, strings that are prefixes of each other or contain U+0000 and non-BMP
 * characters, and decimals that are equal but differ in scale.
 */
final class ColumnValueArbitraries {
  private ColumnValueArbitraries() {}

  /** Non-null values and NULL for {@code type}. */
  static Arbitrary<Object> values(ColumnType type) {
    return nonNullValues(type).injectNull(0.1);
  }

  static Arbitrary<Object> nonNullValues(ColumnType type) {
    return switch (type) {
      case BOOLEAN -> Arbitraries.of(Boolean.FALSE, Boolean.TRUE).asGeneric();
      case SMALLINT -> withExtremes(Arbitraries.shorts(), List.of(
          Short.MIN_VALUE, (short) (Short.MIN_VALUE + 1), (short) -1, (short) 0, (short) 1, Short.MAX_VALUE));
      case INTEGER, DATE, TIME -> withExtremes(Arbitraries.integers(), List.of(
          Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -1, 0, 1, 255, 256, Integer.MAX_VALUE));
      case BIGINT, TIMESTAMP -> withExtremes(Arbitraries.longs(), List.of(
          Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE));
      case REAL -> floats().asGeneric();
      case DOUBLE -> doubles().asGeneric();
      case CHAR, VARCHAR -> strings().asGeneric();
      case DECIMAL -> decimals().asGeneric();
    };
  }

  /**
   * Mixes explicit extremes into a generator: properties built from many columns turn jqwik's own
   * edge cases off (too many combinations), so the extremes must come from generation itself.
   */
  private static <T> Arbitrary<Object> withExtremes(Arbitrary<T> all, List<T> extremes) {
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(extremes)), Tuple.of(3, all)).asGeneric();
  }

  static Arbitrary<Float> floats() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(
            0.0f, -0.0f, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1.0f, -1.0f)),
        Tuple.of(3, Arbitraries.integers().map(Float::intBitsToFloat)),
        Tuple.of(3, Arbitraries.floats().between(-1000f, 1000f).ofScale(2)));
  }

  static Arbitrary<Double> doubles() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(
            0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
            Double.longBitsToDouble(0xfff8000000000000L), Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0)),
        Tuple.of(3, Arbitraries.longs().map(Double::longBitsToDouble)),
        Tuple.of(3, Arbitraries.doubles().between(-1000, 1000).ofScale(3)));
  }

  /** Valid strings (no unpaired surrogates) built from code points. */
  static Arbitrary<String> strings() {
    Arbitrary<Integer> tricky = Arbitraries.of(
        0x0000, 0x0001, 0x007f, 0x0080, 0x00ff, 0x07ff, 0x0800, 0xd7ff, 0xe000, 0xfffd, 0xffff,
        0x10000, 0x1f600, 0x10ffff, (int) 'a', (int) 'b');
    Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(codePoint -> codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE);
    Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of((int) 'a', (int) 'b', 0)), Tuple.of(2, tricky), Tuple.of(1, any));
    return codePoints.list().ofMaxSize(8).map(ColumnValueArbitraries::fromCodePoints);
  }

  private static String fromCodePoints(List<Integer> codePoints) {
    StringBuilder text = new StringBuilder();
    for (int codePoint : codePoints) {
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  /** Decimals of every sign, small and huge magnitudes and scales, with extra trailing zeros. */
  static Arbitrary<BigDecimal> decimals() {
    Arbitrary<BigInteger> unscaled = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(-1000, 1000).map(BigInteger::valueOf)),
        Tuple.of(2, Arbitraries.longs().map(BigInteger::valueOf)),
        Tuple.of(2, Arbitraries.bigIntegers().between(
            BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40))));
    Arbitrary<Integer> scale = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(-3, 6)),
        Tuple.of(2, Arbitraries.integers().between(-80, 80)),
        Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE + 50, Integer.MAX_VALUE - 3)));
    Arbitrary<Integer> extraZeros = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 3)));
    return Combinators.combine(unscaled, scale, extraZeros).as((digits, s, zeros) ->
        new BigDecimal(digits.multiply(BigInteger.TEN.pow(zeros)), s + zeros));
  }

  /** Column types with a sort order for a key. */
  record KeyColumn(ColumnType type, SortOrder order) {}

  static Arbitrary<List<KeyColumn>> keyColumns(int maxColumns) {
    return Combinators.combine(Arbitraries.of(ColumnType.class), Arbitraries.of(SortOrder.class))
        .as(KeyColumn::new)
        .list().ofMinSize(1).ofMaxSize(maxColumns);
  }

  /**
   * Rows for the given columns whose values come from a small pool per column, so that rows often
   * tie on leading columns and the later ones decide the order.
   */
  static Arbitrary<List<Object[]>> tiedRows(List<ColumnType> types, int maxRows) {
    List<Arbitrary<List<Object>>> pools = new ArrayList<>();
    for (ColumnType type : types) {
      pools.add(values(type).list().ofMinSize(1).ofMaxSize(3));
    }
    return Combinators.combine(pools).as(list -> list).flatMap(columnPools -> {
      List<Arbitrary<Object>> columns = new ArrayList<>();
      for (List<Object> pool : columnPools) {
        columns.add(Arbitraries.integers().between(0, pool.size() - 1).map(pool::get));
      }
      return Combinators.combine(columns).as(List::toArray).list().ofMinSize(2).ofMaxSize(maxRows);
    });
  }
}
