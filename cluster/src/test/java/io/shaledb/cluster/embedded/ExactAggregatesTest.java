package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SUM, AVG, VAR and STDDEV of INT and BIGINT columns near their limits, compared with exact
 * BigDecimal arithmetic, and the types they have (PostgreSQL's: SUM(int) BIGINT, SUM(bigint)
 * NUMERIC, AVG/VAR/STDDEV of integers NUMERIC, here DECIMAL(38,16)).
 */
class ExactAggregatesTest {
  private static final long SEED = 2020;
  private static final int ROWS = 40;
  private static final int SCALE = 16;

  @Test
  void aggregatesOfLargeIntegersAreExact() throws SQLException {
    Random random = new Random(SEED);
    List<Integer> ints = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:shaledb:mem:aggregates-" + UUID.randomUUID());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE v (id INT PRIMARY KEY, g INT, i INT, b BIGINT)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO v VALUES (?, ?, ?, ?)")) {
        for (int id = 0; id < ROWS; id++) {
          // Mostly values at the ends of the range, so every sum leaves it.
          int i = random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(3) : Integer.MIN_VALUE + random.nextInt(3);
          if (id % 3 != 0) {
            i = Integer.MAX_VALUE - random.nextInt(1000);
          }
          long b = Long.MAX_VALUE - random.nextInt(1000);
          ints.add(i);
          longs.add(b);
          insert.setInt(1, id);
          insert.setInt(2, id % 2);
          insert.setInt(3, i);
          insert.setLong(4, b);
          insert.executeUpdate();
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT SUM(i), AVG(i), VAR_POP(i), VAR_SAMP(i), STDDEV_POP(i), STDDEV_SAMP(i), "
          + "SUM(b), AVG(b), VAR_SAMP(b), STDDEV_POP(b) FROM v")) {
        ResultSetMetaData meta = rs.getMetaData();
        assertEquals(Types.BIGINT, meta.getColumnType(1));
        for (int column = 2; column <= 10; column++) {
          assertEquals(Types.DECIMAL, meta.getColumnType(column), "column " + column);
        }
        rs.next();
        List<BigDecimal> i = decimals(ints);
        List<BigDecimal> b = decimals(longs);
        assertEquals(sum(i), rs.getBigDecimal(1));
        assertEquals(average(i), rs.getBigDecimal(2));
        assertEquals(variance(i, false), rs.getBigDecimal(3));
        assertEquals(variance(i, true), rs.getBigDecimal(4));
        assertEquals(deviation(i, false), rs.getBigDecimal(5));
        assertEquals(deviation(i, true), rs.getBigDecimal(6));
        assertEquals(sum(b), rs.getBigDecimal(7));
        assertEquals(average(b), rs.getBigDecimal(8));
        assertEquals(variance(b, true), rs.getBigDecimal(9));
        assertEquals(deviation(b, false), rs.getBigDecimal(10));
      }
      // Per group, as the grouped plan computes them.
      try (ResultSet rs = s.executeQuery("SELECT g, AVG(i), SUM(b), STDDEV_SAMP(i) FROM v GROUP BY g ORDER BY g")) {
        for (int g = 0; g < 2; g++) {
          rs.next();
          List<BigDecimal> i = new ArrayList<>();
          List<BigDecimal> b = new ArrayList<>();
          for (int id = g; id < ROWS; id += 2) {
            i.add(BigDecimal.valueOf(ints.get(id)));
            b.add(BigDecimal.valueOf(longs.get(id)));
          }
          assertEquals(average(i), rs.getBigDecimal(2));
          assertEquals(sum(b), rs.getBigDecimal(3));
          assertEquals(deviation(i, true), rs.getBigDecimal(4));
        }
      }
    }
  }

  private static List<BigDecimal> decimals(List<? extends Number> values) {
    return values.stream().map(value -> new BigDecimal(value.toString())).toList();
  }

  private static BigDecimal sum(List<BigDecimal> values) {
    return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static BigDecimal average(List<BigDecimal> values) {
    return sum(values).divide(BigDecimal.valueOf(values.size()), SCALE, RoundingMode.HALF_UP);
  }

  /** The exact variance, from the deviations from the exact mean (not the formula the engine uses). */
  private static BigDecimal exactVariance(List<BigDecimal> values, boolean sample) {
    BigDecimal n = BigDecimal.valueOf(values.size());
    // n * sum((x - mean)^2) = sum((n*x - sum)^2) / n: exact without dividing.
    BigDecimal total = sum(values);
    BigDecimal squares = BigDecimal.ZERO;
    for (BigDecimal x : values) {
      BigDecimal d = n.multiply(x).subtract(total);
      squares = squares.add(d.multiply(d));
    }
    BigDecimal denominator = n.multiply(n).multiply(BigDecimal.valueOf(sample ? values.size() - 1 : values.size()));
    return squares.divide(denominator, new MathContext(80, RoundingMode.HALF_EVEN));
  }

  private static BigDecimal variance(List<BigDecimal> values, boolean sample) {
    return exactVariance(values, sample).setScale(SCALE, RoundingMode.HALF_UP);
  }

  private static BigDecimal deviation(List<BigDecimal> values, boolean sample) {
    return exactVariance(values, sample).sqrt(new MathContext(80, RoundingMode.HALF_EVEN))
        .setScale(SCALE, RoundingMode.HALF_UP);
  }
}
