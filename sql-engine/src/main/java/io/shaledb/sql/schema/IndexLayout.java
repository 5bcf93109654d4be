package io.shaledb.sql.schema;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyEncoder;
import io.shaledb.kv.encoding.SortOrder;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.TableDef;
import java.util.StringJoiner;

/**
 * Where one secondary index's entries live and how they are built from a row; see {@link IndexDef}
 * for the entry layout. Immutable and thread-safe.
 */
public final class IndexLayout {
  private final IndexDef index;
  private final TableDef table;
  private final int[] columns;
  private final ColumnType[] types;
  private final SortOrder[] orders;
  private final int[] primaryKey;
  private final ColumnType[] primaryKeyTypes;

  IndexLayout(TableDef table, IndexDef index) {
    this.index = index;
    this.table = table;
    this.columns = new int[index.columns().size()];
    this.types = new ColumnType[columns.length];
    this.orders = index.orders().toArray(new SortOrder[0]);
    for (int i = 0; i < columns.length; i++) {
      columns[i] = table.columnIndex(index.columns().get(i));
      types[i] = table.columns().get(columns[i]).type().storage();
    }
    this.primaryKey = table.primaryKey().stream().mapToInt(Integer::intValue).toArray();
    this.primaryKeyTypes = new ColumnType[primaryKey.length];
    for (int i = 0; i < primaryKey.length; i++) {
      primaryKeyTypes[i] = table.columns().get(primaryKey[i]).type().storage();
    }
  }

  public IndexDef definition() {
    return index;
  }

  public int keyspaceId() {
    return index.indexId();
  }

  /** Table column index of each indexed column, in key order. */
  public int[] columns() {
    return columns.clone();
  }

  public int columnCount() {
    return columns.length;
  }

  public ColumnType columnType(int position) {
    return types[position];
  }

  public SortOrder columnOrder(int position) {
    return orders[position];
  }

  /**
   * Whether the entry of {@code row} must be unique: a unique index whose indexed values are all
   * non-null. Such an entry's key holds no primary key, so a second row with the same values
   * finds it.
   */
  public boolean enforcesUniqueness(Object[] row) {
    if (!index.unique()) {
      return false;
    }
    for (int column : columns) {
      if (row[column] == null) {
        return false;
      }
    }
    return true;
  }

  /** The key of {@code row}'s entry. */
  public byte[] entryKey(Object[] row) {
    KeyEncoder encoder = new KeyEncoder(index.indexId());
    for (int i = 0; i < columns.length; i++) {
      encoder.add(types[i], row[columns[i]], orders[i]);
    }
    if (!enforcesUniqueness(row)) {
      for (int i = 0; i < primaryKey.length; i++) {
        encoder.add(primaryKeyTypes[i], row[primaryKey[i]], SortOrder.ASC);
      }
    }
    return encoder.toByteArray();
  }

  /** The key prefix of entries whose first {@code values.length} indexed columns equal {@code values}. */
  public byte[] prefix(Object[] values) {
    if (values.length > columns.length) {
      throw new IllegalArgumentException("more values than indexed columns");
    }
    KeyEncoder encoder = new KeyEncoder(index.indexId());
    for (int i = 0; i < values.length; i++) {
      encoder.add(types[i], values[i], orders[i]);
    }
    return encoder.toByteArray();
  }

  /** {@code (a, b)=(1, x)} for the indexed values of {@code row}, as PostgreSQL words key conflicts. */
  public String describe(Object[] row) {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner values = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < columns.length; i++) {
      names.add(table.columns().get(columns[i]).name());
      values.add(String.valueOf(row[columns[i]]));
    }
    return names + "=" + values;
  }
}
