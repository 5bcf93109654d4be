package io.shaledb.sql.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored form of {@link TableStatistics}: a format byte, then its fields. Persisted: change only by adding a format. */
public final class StatisticsCodec {
  private static final byte FORMAT_1 = 1;

  private StatisticsCodec() {}

  public static byte[] encode(TableStatistics statistics) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_1);
      out.writeLong(statistics.rowCount());
      out.writeLong(statistics.analyzedAtMillis());
      out.writeInt(statistics.columns().size());
      for (Map.Entry<String, ColumnStatistics> entry : statistics.columns().entrySet()) {
        ColumnStatistics column = entry.getValue();
        out.writeUTF(entry.getKey());
        out.writeLong(column.distinctCount());
        out.writeDouble(column.nullFraction());
        out.writeInt(column.histogram().size());
        for (double bound : column.histogram()) {
          out.writeDouble(bound);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static TableStatistics decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      byte format = in.readByte();
      if (format != FORMAT_1) {
        throw new IllegalStateException("unknown statistics format " + format);
      }
      long rowCount = in.readLong();
      long analyzedAt = in.readLong();
      int columnCount = in.readInt();
      Map<String, ColumnStatistics> columns = new LinkedHashMap<>();
      for (int i = 0; i < columnCount; i++) {
        String name = in.readUTF();
        long distinct = in.readLong();
        double nullFraction = in.readDouble();
        int bounds = in.readInt();
        List<Double> histogram = new ArrayList<>(bounds);
        for (int b = 0; b < bounds; b++) {
          histogram.add(in.readDouble());
        }
        columns.put(name, new ColumnStatistics(distinct, nullFraction, histogram));
      }
      return new TableStatistics(rowCount, columns, analyzedAt);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
