package io.shaledb.sql.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.RowCodec;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.RowFormat;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows written under one schema read correctly after ADD COLUMN and DROP COLUMN, without rewriting. */
class TableLayoutTest {
  private static ColumnDef column(String name, ColumnType type) {
    return new ColumnDef(name, SqlColumnType.of(type), !name.equals("id"), null, ColumnDef.Generation.NONE);
  }

  private final TableDef original = new TableDef(100, "t", List.of(column("id", ColumnType.INTEGER),
      column("a", ColumnType.VARCHAR), column("b", ColumnType.BIGINT)), List.of(0), List.of(), List.of(), List.of(), 1, 1);

  @Test
  void identityFormatStoresColumnsInOrder() {
    TableLayout layout = new TableLayout(original);
    byte[] row = layout.encodeRow(new Object[] {1, "x", 2L});
    assertArrayEquals(new Object[] {1, "x", 2L}, new RowCodec(original.storageTypes()).decode(row));
    assertArrayEquals(new Object[] {2L, 1}, layout.decodeRow(row, new int[] {2, 0}));
  }

  @Test
  void addedColumnReadsItsDefaultInOldRowsAndItsValueInNewOnes() {
    TableLayout before = new TableLayout(original);
    byte[] oldRow = before.encodeRow(new Object[] {1, "x", 2L});
    RowFormat format = original.rowFormat().withAddedColumn(ColumnType.INTEGER,
        new RowFormat.SlotDefault(3, original.schemaVersion() + 1, 42));
    List<ColumnDef> columns = new ArrayList<>(original.columns());
    columns.add(column("c", ColumnType.INTEGER));
    TableDef altered = original.withSchemaChange(columns, original.primaryKey(), List.of(), List.of(), List.of(), List.of(), format);
    TableLayout after = new TableLayout(altered);

    assertArrayEquals(new Object[] {1, "x", 2L, 42}, after.decodeRow(oldRow));
    assertArrayEquals(new Object[] {42, "x"}, after.decodeRow(oldRow, new int[] {3, 1}));
    byte[] newRowWithNull = after.encodeRow(new Object[] {2, "y", 3L, null});
    assertArrayEquals(new Object[] {2, "y", 3L, null}, after.decodeRow(newRowWithNull));
    assertEquals(altered.schemaVersion(), RowCodec.schemaVersion(newRowWithNull));
  }

  @Test
  void droppedColumnIsHiddenAndKeysFollowTheRemainingColumns() {
    byte[] oldRow = new TableLayout(original).encodeRow(new Object[] {1, "x", 2L});
    TableDef dropped = original.withSchemaChange(List.of(original.columns().get(0), original.columns().get(2)),
        List.of(0), List.of(), List.of(), List.of(), List.of(), original.rowFormat().withoutColumn(1));
    TableLayout layout = new TableLayout(dropped);

    assertArrayEquals(new Object[] {1, 2L}, layout.decodeRow(oldRow));
    byte[] newRow = layout.encodeRow(new Object[] {5, 6L});
    assertArrayEquals(new Object[] {5, null, 6L}, new RowCodec(dropped.rowFormat().slotTypes()).decode(newRow));
    assertArrayEquals(new Object[] {6L}, layout.decodeRow(newRow, new int[] {1}));
    assertArrayEquals(new TableLayout(original).rowKey(new Object[] {5, "ignored", 6L}), layout.rowKey(new Object[] {5, 6L}));
  }
}
