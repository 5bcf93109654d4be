package io.shaledb.sql.schema;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyEncoder;
import io.shaledb.kv.encoding.RowCodec;
import io.shaledb.kv.encoding.SortOrder;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.TableDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a table's rows live in the KV store: the key of a row is {@code table id | primary key
 * columns} (order-preserving), the value is the whole row (compact row encoding, schema version in
 * its header).
 */
public final class TableLayout {
  private final TableDef table;
  private final RowCodec rowCodec;
  private final int[] primaryKey;
  private final ColumnType[] primaryKeyTypes;
  private final List<IndexLayout> indexes;

  public TableLayout(TableDef table) {
    this.table = table;
    List<ColumnType> types = table.storageTypes();
    this.rowCodec = new RowCodec(types);
    this.primaryKey = table.primaryKey().stream().mapToInt(Integer::intValue).toArray();
    this.primaryKeyTypes = new ColumnType[primaryKey.length];
    for (int i = 0; i < primaryKey.length; i++) {
      primaryKeyTypes[i] = types.get(primaryKey[i]);
    }
    List<IndexLayout> indexLayouts = new ArrayList<>();
    for (IndexDef index : table.indexes()) {
      indexLayouts.add(new IndexLayout(table, index));
    }
    this.indexes = List.copyOf(indexLayouts);
  }

  /** Every secondary index, ready or still being built: writers maintain all of them. */
  public List<IndexLayout> indexes() {
    return indexes;
  }

  /** The index named {@code name}, or null. */
  public IndexLayout index(String name) {
    for (IndexLayout index : indexes) {
      if (index.definition().name().equals(name)) {
        return index;
      }
    }
    return null;
  }

  public TableDef table() {
    return table;
  }

  public int keyspaceId() {
    return table.tableId();
  }

  /** Column indexes of the primary key, in key order. */
  public int[] primaryKey() {
    return primaryKey.clone();
  }

  public int primaryKeyLength() {
    return primaryKey.length;
  }

  public ColumnType primaryKeyType(int position) {
    return primaryKeyTypes[position];
  }

  /** The key of a full row. */
  public byte[] rowKey(Object[] row) {
    KeyEncoder encoder = new KeyEncoder(table.tableId());
    for (int i = 0; i < primaryKey.length; i++) {
      encoder.add(primaryKeyTypes[i], row[primaryKey[i]], SortOrder.ASC);
    }
    return encoder.toByteArray();
  }

  /**
   * The key (all primary key columns given) or key prefix (the first {@code values.length}
   * columns) for primary key values in key order.
   */
  public byte[] keyPrefix(Object[] values) {
    if (values.length > primaryKey.length) {
      throw new IllegalArgumentException("more key values than primary key columns");
    }
    KeyEncoder encoder = new KeyEncoder(table.tableId());
    for (int i = 0; i < values.length; i++) {
      encoder.add(primaryKeyTypes[i], values[i], SortOrder.ASC);
    }
    return encoder.toByteArray();
  }

  public byte[] encodeRow(Object[] row) {
    return rowCodec.encode(table.schemaVersion(), row);
  }

  public Object[] decodeRow(byte[] value) {
    return rowCodec.decode(value);
  }

  public Object[] decodeRow(byte[] value, int[] projection) {
    return rowCodec.decode(value, projection);
  }
}
