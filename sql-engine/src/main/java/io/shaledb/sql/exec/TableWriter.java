package io.shaledb.sql.exec;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.SequenceAllocator;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.TableLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Applies one INSERT, UPDATE or DELETE to a transaction: fills generated columns, checks every
 * value against its column (NOT NULL, length, precision) and the primary key for duplicates, and
 * only then writes. A statement that fails writes nothing, even inside a larger transaction.
 *
 * <p>The statement's source rows are read completely before anything is written, so an UPDATE
 * never sees its own changes (the "Halloween problem").
 */
final class TableWriter {
  private static final byte[] DELETED = new byte[0];

  private final Transaction txn;
  private final ShaleTable table;
  private final TableDef definition;
  private final TableLayout layout;
  /** This statement's writes by key; {@link #DELETED} marks a delete. */
  private final Map<byte[], byte[]> pending = new TreeMap<>(ByteArrays.UNSIGNED);

  TableWriter(Transaction txn, ShaleTable table) {
    this.txn = txn;
    this.table = table;
    this.definition = table.definition();
    this.layout = table.layout();
  }

  long insert(List<Object[]> rows) {
    for (Object[] row : rows) {
      generate(row);
      check(row);
      insertChecked(row);
    }
    flush();
    return rows.size();
  }

  /** Each input row is the old row followed by the new values of {@code updatedColumns}. */
  long update(List<Object[]> inputs, int[] updatedColumns) {
    stageUpdates(inputs, updatedColumns);
    flush();
    return inputs.size();
  }

  /**
   * MERGE: each input row is laid out as {@link MergeStatement} describes. A row whose target part has
   * a primary key matched a target row and is updated (if the MERGE has WHEN MATCHED); any other
   * row is inserted (if it has WHEN NOT MATCHED).
   *
   * @throws ShaleException 21000 if two source rows match the same target row
   */
  long merge(List<Object[]> inputs, int[] updatedColumns, boolean inserts) {
    int width = definition.columns().size();
    int targetStart = inserts ? width : 0;
    boolean updates = updatedColumns.length > 0;
    int firstKeyColumn = definition.primaryKey().get(0);
    List<Object[]> updateInputs = new ArrayList<>();
    List<Object[]> insertRows = new ArrayList<>();
    java.util.Set<byte[]> matchedKeys = new java.util.TreeSet<>(ByteArrays.UNSIGNED);
    for (Object[] input : inputs) {
      boolean matched = input[targetStart + firstKeyColumn] != null;
      if (matched) {
        if (updates) {
          Object[] update = java.util.Arrays.copyOfRange(input, targetStart, input.length);
          if (!matchedKeys.add(layout.rowKey(update))) {
            throw new ShaleException(SqlState.CARDINALITY_VIOLATION,
                "MERGE matched the row " + describeKey(update) + " of \"" + definition.name() + "\" more than once");
          }
          updateInputs.add(update);
        }
      } else if (inserts) {
        insertRows.add(java.util.Arrays.copyOf(input, width));
      }
    }
    stageUpdates(updateInputs, updatedColumns);
    for (Object[] row : insertRows) {
      generate(row);
      check(row);
      insertChecked(row);
    }
    flush();
    return updateInputs.size() + insertRows.size();
  }

  private void stageUpdates(List<Object[]> inputs, int[] updatedColumns) {
    int width = definition.columns().size();
    List<Object[]> newRows = new ArrayList<>(inputs.size());
    List<byte[]> oldKeys = new ArrayList<>(inputs.size());
    for (Object[] input : inputs) {
      Object[] oldRow = java.util.Arrays.copyOf(input, width);
      Object[] newRow = oldRow.clone();
      for (int i = 0; i < updatedColumns.length; i++) {
        int column = updatedColumns[i];
        if (definition.columns().get(column).generation() == ColumnDef.Generation.ALWAYS) {
          throw new ShaleException(SqlState.GENERATED_ALWAYS,
              "column \"" + definition.columns().get(column).name() + "\" can only be updated to DEFAULT");
        }
        newRow[column] = input[width + i];
      }
      check(newRow);
      newRows.add(newRow);
      oldKeys.add(layout.rowKey(oldRow));
    }
    // Keys that change are vacated first, so that e.g. "SET id = id + 1" does not collide with
    // rows the same statement moves away.
    List<Object[]> moved = new ArrayList<>();
    for (int i = 0; i < newRows.size(); i++) {
      byte[] newKey = layout.rowKey(newRows.get(i));
      if (ByteArrays.compare(newKey, oldKeys.get(i)) == 0) {
        pending.put(newKey, layout.encodeRow(newRows.get(i)));
      } else {
        pending.put(oldKeys.get(i), DELETED);
        moved.add(newRows.get(i));
      }
    }
    for (Object[] row : moved) {
      insertChecked(row);
    }
  }

  long delete(List<Object[]> rows) {
    for (Object[] row : rows) {
      pending.put(layout.rowKey(row), DELETED);
    }
    flush();
    return rows.size();
  }

  private void insertChecked(Object[] row) {
    byte[] key = layout.rowKey(row);
    byte[] mine = pending.get(key);
    boolean exists = mine != null ? mine != DELETED : txn.get(key) != null;
    if (exists) {
      throw new ShaleException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \""
          + definition.name() + "_pkey\": key " + describeKey(row) + " already exists");
    }
    pending.put(key, layout.encodeRow(row));
  }

  private void flush() {
    for (Map.Entry<byte[], byte[]> write : pending.entrySet()) {
      if (write.getValue() == DELETED) {
        txn.delete(write.getKey());
      } else {
        txn.put(write.getKey(), write.getValue());
      }
    }
    pending.clear();
  }

  private void generate(Object[] row) {
    SequenceAllocator sequence = table.sequence();
    for (int i = 0; i < row.length; i++) {
      ColumnDef column = definition.columns().get(i);
      if (!column.generation().generates()) {
        continue;
      }
      if (row[i] == null) {
        row[i] = convertGenerated(sequence.nextValue(), column);
      } else if (column.generation() == ColumnDef.Generation.ALWAYS) {
        throw new ShaleException(SqlState.GENERATED_ALWAYS, "cannot insert a value into column \"" + column.name()
            + "\": it is GENERATED ALWAYS AS IDENTITY");
      } else {
        sequence.observe(((Number) row[i]).longValue());
      }
    }
  }

  private static Object convertGenerated(long value, ColumnDef column) {
    return switch (column.type().storage()) {
      case SMALLINT -> {
        if (value > Short.MAX_VALUE) {
          throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "sequence of column \"" + column.name() + "\" exhausted");
        }
        yield (short) value;
      }
      case INTEGER -> {
        if (value > Integer.MAX_VALUE) {
          throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "sequence of column \"" + column.name() + "\" exhausted");
        }
        yield (int) value;
      }
      case BIGINT -> value;
      case DECIMAL -> BigDecimal.valueOf(value);
      default -> throw new IllegalStateException("generated column of type " + column.type().storage());
    };
  }

  /** Checks and normalizes each value for its column, in place. */
  private void check(Object[] row) {
    for (int i = 0; i < row.length; i++) {
      row[i] = checkedValue(definition.columns().get(i), definition.name(), row[i]);
    }
  }

  /**
   * {@code value} checked against its column (NOT NULL, length, precision) and normalized (DECIMAL
   * scale).
   */
  static Object checkedValue(ColumnDef column, String tableName, Object value) {
    if (value == null) {
      if (!column.nullable()) {
        throw new ShaleException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + column.name()
            + "\" of table \"" + tableName + "\" violates not-null constraint");
      }
      return null;
    }
    SqlColumnType type = column.type();
    if (type.hasMaxLength()) {
      String text = (String) value;
      if (text.codePointCount(0, text.length()) > type.precision()) {
        throw new ShaleException(SqlState.STRING_DATA_RIGHT_TRUNCATION, "value too long for type " + type.display()
            + " in column \"" + column.name() + "\" (" + text.codePointCount(0, text.length()) + " characters)");
      }
    } else if (value instanceof BigDecimal decimal) {
      return fitDecimal(decimal, column);
    }
    return value;
  }

  private static BigDecimal fitDecimal(BigDecimal value, ColumnDef column) {
    SqlColumnType type = column.type();
    BigDecimal scaled = value.setScale(Math.max(type.scale(), 0), RoundingMode.HALF_UP);
    int integerDigits = scaled.precision() - scaled.scale();
    if (type.precision() != SqlColumnType.UNSPECIFIED && integerDigits > type.precision() - Math.max(type.scale(), 0)) {
      throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow: " + value
          + " does not fit " + type.display() + " in column \"" + column.name() + "\"");
    }
    return scaled;
  }

  private String describeKey(Object[] row) {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner values = new StringJoiner(", ", "(", ")");
    for (int column : definition.primaryKey()) {
      names.add(definition.columns().get(column).name());
      values.add(String.valueOf(row[column]));
    }
    return names + "=" + values;
  }
}
