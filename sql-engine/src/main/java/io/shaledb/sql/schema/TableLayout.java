package io.shaledb.sql.schema;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyEncoder;
import io.shaledb.kv.RowFilter;
import io.shaledb.kv.encoding.RowCodec;
import io.shaledb.kv.encoding.SortOrder;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.RowFormat;
import io.shaledb.sql.catalog.TableDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a table's rows live in the KV store: the key of a row is {@code table id | primary key
 * columns} (order-preserving), the value is the whole row (compact row encoding, schema version in
 * its header), with each column in the slot its table's {@link RowFormat} assigns.
 */
public final class TableLayout {
  private final TableDef table;
  private final RowCodec rowCodec;
  private final int[] primaryKey;
  private final ColumnType[] primaryKeyTypes;
  /** Slot of each column; null when column i is stored in slot i and nothing is backfilled. */
  private final int[] columnSlots;
  private final int slotCount;
  /** Per column: the value rows older than {@link #defaultSince} read, or null. */
  private final Object[] columnDefaults;
  private final int[] defaultSince;
  private final List<IndexLayout> indexes;

  public TableLayout(TableDef table) {
    this.table = table;
    List<ColumnType> types = table.storageTypes();
    RowFormat format = table.rowFormat();
    this.rowCodec = new RowCodec(format.slotTypes());
    this.slotCount = format.slotTypes().size();
    if (format.isIdentity()) {
      this.columnSlots = null;
      this.columnDefaults = null;
      this.defaultSince = null;
    } else {
      this.columnSlots = format.columnSlots().stream().mapToInt(Integer::intValue).toArray();
      this.columnDefaults = new Object[columnSlots.length];
      this.defaultSince = new int[columnSlots.length];
      for (RowFormat.SlotDefault slotDefault : format.slotDefaults()) {
        int column = format.columnSlots().indexOf(slotDefault.slot());
        if (column >= 0) {
          columnDefaults[column] = slotDefault.value();
          defaultSince[column] = slotDefault.sinceSchemaVersion();
        }
      }
    }
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

  /** The stored form of a row given in column order; hidden slots are stored as NULL. */
  public byte[] encodeRow(Object[] row) {
    if (columnSlots == null) {
      return rowCodec.encode(table.schemaVersion(), row);
    }
    Object[] slots = new Object[slotCount];
    for (int i = 0; i < columnSlots.length; i++) {
      slots[columnSlots[i]] = row[i];
    }
    return rowCodec.encode(table.schemaVersion(), slots);
  }

  /**
   * The filter shards may apply to this table's rows for a scan that reads {@code projection} and
   * keeps only rows meeting {@code conditions} (on table columns); null when the stored layout is
   * not the column layout (after ALTER TABLE reshaped it), where shards could not read the rows.
   */
  public RowFilter rowFilter(List<RowFilter.Condition> conditions, int[] projection) {
    if (columnSlots != null) {
      return null;
    }
    RowFilter filter = new RowFilter(table.schemaVersion(), rowCodec.columnTypes(), conditions, projection);
    return filter.isEffective() ? filter : null;
  }

  /** Every column of a stored row, in column order. */
  public Object[] decodeRow(byte[] value) {
    if (columnSlots == null) {
      return rowCodec.decode(value);
    }
    int[] all = new int[columnSlots.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return decodeRow(value, all);
  }

  /** Columns {@code projection} (column indexes) of a stored row. */
  public Object[] decodeRow(byte[] value, int[] projection) {
    if (columnSlots == null) {
      return rowCodec.decode(value, projection);
    }
    int[] slots = new int[projection.length];
    for (int j = 0; j < projection.length; j++) {
      slots[j] = columnSlots[projection[j]];
    }
    Object[] values = rowCodec.decode(value, slots);
    int rowVersion = -1;
    for (int j = 0; j < projection.length; j++) {
      Object columnDefault = columnDefaults[projection[j]];
      if (columnDefault != null && values[j] == null) {
        if (rowVersion < 0) {
          rowVersion = RowCodec.schemaVersion(value);
        }
        // A NULL in a row written after the column was added is a real NULL.
        if (rowVersion < defaultSince[projection[j]]) {
          values[j] = columnDefault;
        }
      }
    }
    return values;
  }
}
