package io.shaledb.kv;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.RowCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a shard may do to the rows of a scan before sending them over the network: drop rows that
 * certainly fail the statement's conditions, and blank the columns the statement does not read.
 * It is an optimization only: the statement still applies its whole filter to what it receives,
 * so a shard that cannot tell (a row of another schema version, a malformed row) keeps the row
 * as it is.
 *
 * <p>Rows are {@link RowCodec} rows of {@code columnTypes} written at {@code schemaVersion};
 * {@code conditions} all hold for a kept row (a comparison with NULL never holds, as in a WHERE
 * clause); {@code keptColumns} are the columns the statement reads, or null for all.
 */
public final class RowFilter {
  private static final byte FORMAT_VERSION = 1;

  private final int schemaVersion;
  private final List<ColumnType> columnTypes;
  private final List<Condition> conditions;
  private final int[] keptColumns;
  /** Built once: {@link #apply} runs for every row a shard scans. */
  private final RowCodec codec;

  public enum Comparison {
    EQUAL,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL;

    boolean holds(int comparison) {
      return switch (this) {
        case EQUAL -> comparison == 0;
        case LESS -> comparison < 0;
        case LESS_OR_EQUAL -> comparison <= 0;
        case GREATER -> comparison > 0;
        case GREATER_OR_EQUAL -> comparison >= 0;
      };
    }
  }

  /** Column {@code column} compared with {@code value}, which has the column type's Java class. */
  public record Condition(int column, Comparison comparison, Object value) {
    public Condition {
      Objects.requireNonNull(comparison, "comparison");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * @param keptColumns the columns the reader reads, or null for all; a list naming every column
   *     counts as null, so rows are not re-encoded for nothing
   * @throws IllegalArgumentException if a column is out of range or a condition's value has the
   *     wrong class
   */
  public RowFilter(int schemaVersion, List<ColumnType> columnTypes, List<Condition> conditions, int[] keptColumns) {
    this.schemaVersion = schemaVersion;
    this.columnTypes = List.copyOf(columnTypes);
    this.conditions = List.copyOf(conditions);
    for (Condition condition : this.conditions) {
      checkColumn(condition.column(), this.columnTypes.size());
      Class<?> expected = this.columnTypes.get(condition.column()).javaClass();
      if (condition.value().getClass() != expected || !(condition.value() instanceof Comparable)) {
        throw new IllegalArgumentException("condition on column " + condition.column() + " compares a "
            + condition.value().getClass().getSimpleName() + " with a " + expected.getSimpleName() + " column");
      }
    }
    int[] kept = null;
    if (keptColumns != null) {
      for (int column : keptColumns) {
        checkColumn(column, this.columnTypes.size());
      }
      if (Arrays.stream(keptColumns).distinct().count() < this.columnTypes.size()) {
        kept = keptColumns.clone();
      }
    }
    this.keptColumns = kept;
    this.codec = new RowCodec(this.columnTypes);
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  public List<ColumnType> columnTypes() {
    return columnTypes;
  }

  public List<Condition> conditions() {
    return conditions;
  }

  /** The columns the reader reads, or null for all. */
  public int[] keptColumns() {
    return keptColumns == null ? null : keptColumns.clone();
  }

  /** Whether it can change anything: a filter without conditions that keeps every column is pointless. */
  public boolean isEffective() {
    return !conditions.isEmpty() || keptColumns != null;
  }

  /**
   * The row as the statement should receive it: null if it certainly fails a condition, else the
   * row with only the kept columns (or unchanged, if this filter cannot read it).
   */
  public byte[] apply(byte[] row) {
    Object[] values;
    try {
      if (RowCodec.schemaVersion(row) != schemaVersion) {
        return row;
      }
      values = codec.decode(row);
    } catch (IllegalArgumentException e) {
      return row;
    }
    for (Condition condition : conditions) {
      Object value = values[condition.column()];
      if (value == null || !condition.comparison().holds(compare(value, condition.value()))) {
        return null;
      }
    }
    if (keptColumns == null) {
      return row;
    }
    Object[] kept = new Object[values.length];
    for (int column : keptColumns) {
      kept[column] = values[column];
    }
    return codec.encode(schemaVersion, kept);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object value, Object bound) {
    return ((Comparable) value).compareTo(bound);
  }

  /** A self-contained binary form, for sending the filter to another node. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeInt(schemaVersion);
      out.writeInt(columnTypes.size());
      for (ColumnType type : columnTypes) {
        out.writeByte(type.ordinal());
      }
      out.writeInt(conditions.size());
      List<ColumnType> valueTypes = new ArrayList<>();
      Object[] values = new Object[conditions.size()];
      for (int i = 0; i < conditions.size(); i++) {
        Condition condition = conditions.get(i);
        out.writeInt(condition.column());
        out.writeByte(condition.comparison().ordinal());
        valueTypes.add(columnTypes.get(condition.column()));
        values[i] = condition.value();
      }
      // The values travel as one row of their columns' types: the row codec already encodes every type.
      byte[] valueRow = new RowCodec(valueTypes).encode(0, values);
      out.writeInt(valueRow.length);
      out.write(valueRow);
      out.writeInt(keptColumns == null ? -1 : keptColumns.length);
      if (keptColumns != null) {
        for (int column : keptColumns) {
          out.writeInt(column);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #encode()}'s form.
   *
   * @throws IllegalArgumentException if the bytes are not a valid filter
   */
  public static RowFilter decode(byte[] encoded) {
    try {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      if (in.get() != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown row filter format");
      }
      int schemaVersion = in.getInt();
      List<ColumnType> types = new ArrayList<>();
      int typeCount = count(in, 1);
      ColumnType[] all = ColumnType.values();
      for (int i = 0; i < typeCount; i++) {
        int ordinal = in.get();
        if (ordinal < 0 || ordinal >= all.length) {
          throw new IllegalArgumentException("unknown column type " + ordinal);
        }
        types.add(all[ordinal]);
      }
      int conditionCount = count(in, 5);
      int[] columns = new int[conditionCount];
      Comparison[] comparisons = new Comparison[conditionCount];
      List<ColumnType> valueTypes = new ArrayList<>();
      for (int i = 0; i < conditionCount; i++) {
        columns[i] = in.getInt();
        checkColumn(columns[i], types.size());
        int ordinal = in.get();
        if (ordinal < 0 || ordinal >= Comparison.values().length) {
          throw new IllegalArgumentException("unknown comparison " + ordinal);
        }
        comparisons[i] = Comparison.values()[ordinal];
        valueTypes.add(types.get(columns[i]));
      }
      byte[] valueRow = new byte[count(in, 1)];
      in.get(valueRow);
      Object[] values = new RowCodec(valueTypes).decode(valueRow);
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < conditionCount; i++) {
        if (values[i] == null) {
          throw new IllegalArgumentException("condition " + i + " has no value");
        }
        conditions.add(new Condition(columns[i], comparisons[i], values[i]));
      }
      int keptCount = in.getInt();
      int[] kept = null;
      if (keptCount != -1) {
        if (keptCount < 0 || keptCount > in.remaining() / 4) {
          throw new IllegalArgumentException("impossible kept column count " + keptCount);
        }
        kept = new int[keptCount];
        for (int i = 0; i < keptCount; i++) {
          kept[i] = in.getInt();
        }
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " trailing bytes");
      }
      return new RowFilter(schemaVersion, types, conditions, kept);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated row filter", e);
    }
  }

  private static int count(ByteBuffer in, int minElementBytes) {
    int count = in.getInt();
    if (count < 0 || (long) count * minElementBytes > in.remaining()) {
      throw new IllegalArgumentException("impossible count " + count);
    }
    return count;
  }

  private static void checkColumn(int column, int columnCount) {
    if (column < 0 || column >= columnCount) {
      throw new IllegalArgumentException("column " + column + " outside [0, " + columnCount + ")");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RowFilter that && schemaVersion == that.schemaVersion && columnTypes.equals(that.columnTypes)
        && conditions.equals(that.conditions) && Arrays.equals(keptColumns, that.keptColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schemaVersion, columnTypes, conditions, Arrays.hashCode(keptColumns));
  }

  @Override
  public String toString() {
    return "RowFilter[v" + schemaVersion + ", " + conditions + ", kept " + Arrays.toString(keptColumns) + "]";
  }
}
