package io.shaledb.sql.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.SortOrder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
  private static final ColumnDef ID = new ColumnDef("id", SqlColumnType.of(ColumnType.INTEGER), false, null,
      ColumnDef.Generation.NONE);
  private static final ColumnDef PRICE = new ColumnDef("price", new SqlColumnType(ColumnType.DECIMAL, "DECIMAL", 6, 2),
      true, "1.50", ColumnDef.Generation.NONE);
  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("id", SqlColumnType.of(ColumnType.INTEGER), false, null, ColumnDef.Generation.BY_DEFAULT),
      new ColumnDef("email", new SqlColumnType(ColumnType.VARCHAR, "VARCHAR", 40, SqlColumnType.UNSPECIFIED), true, null,
          ColumnDef.Generation.NONE),
      new ColumnDef("parent", SqlColumnType.of(ColumnType.INTEGER), true, "7", ColumnDef.Generation.NONE));

  private static TableDef table(List<IndexDef> indexes) {
    return new TableDef(1030, "t", COLUMNS, List.of(0), List.of(new UniqueDef("t_email_key", List.of("email"))),
        List.of(new ForeignKeyDef("t_parent_fkey", List.of("parent"), "t", List.of("id"), ForeignKeyDef.OnDelete.CASCADE)),
        List.of(new CheckDef("t_check1", "\"parent\" > 0")), 4, 1, RowFormat.identity(COLUMNS), indexes);
  }

  @Test
  void rowFormatWithHiddenSlotsAndDefaultsRoundTrips() {
    TableDef table = new TableDef(7, "t", List.of(ID), List.of(0), List.of(), List.of(), List.of(), 4, 1);
    RowFormat format = table.rowFormat()
        .withAddedColumn(ColumnType.VARCHAR, null)
        .withAddedColumn(ColumnType.DECIMAL, new RowFormat.SlotDefault(2, 3, new BigDecimal("1.50")))
        .withoutColumn(1);
    List<ColumnDef> columns = new ArrayList<>(List.of(ID, PRICE));
    TableDef altered = table.withSchemaChange(columns, List.of(0), List.of(), List.of(), List.of(), List.of(), format);

    TableDef decoded = CatalogCodec.decode(CatalogCodec.encode(altered));

    assertEquals(altered, decoded);
    assertEquals(List.of(0, 2), decoded.rowFormat().columnSlots());
    assertEquals(new BigDecimal("1.50"), decoded.rowFormat().slotDefaults().get(0).value());
  }

  @Test
  void indexesRoundTrip() {
    TableDef table = table(List.of(
        new IndexDef("t_email_key", 1031, List.of("email"), List.of(SortOrder.ASC), true, IndexDef.Origin.UNIQUE_CONSTRAINT, true),
        new IndexDef("by_parent", 1032, List.of("parent", "email"), List.of(SortOrder.DESC, SortOrder.ASC), false,
            IndexDef.Origin.USER, false)));
    assertEquals(table, CatalogCodec.decode(CatalogCodec.encode(table)));
  }

  @Test
  void indexesAndAlteredRowFormatRoundTripTogether() {
    IndexDef byParent = new IndexDef("by_parent", 1032, List.of("parent"), List.of(SortOrder.ASC), false,
        IndexDef.Origin.USER, true);
    TableDef original = table(List.of(byParent));
    ColumnDef note = new ColumnDef("note", SqlColumnType.of(ColumnType.VARCHAR), true, "'x'", ColumnDef.Generation.NONE);
    RowFormat format = original.rowFormat()
        .withAddedColumn(ColumnType.VARCHAR, new RowFormat.SlotDefault(3, 2, "x"))
        .withoutColumn(1);
    TableDef altered = original.withSchemaChange(List.of(COLUMNS.get(0), COLUMNS.get(2), note), List.of(0), List.of(),
        List.of(), List.of(), List.of(byParent), format);

    TableDef decoded = CatalogCodec.decode(CatalogCodec.encode(altered));

    assertEquals(altered, decoded);
    assertEquals(List.of(byParent), decoded.indexes());
    assertEquals(List.of(0, 2, 3), decoded.rowFormat().columnSlots());
  }

  @Test
  void entriesWrittenBeforeRowFormatsAndIndexesExistedStillDecode() {
    TableDef table = table(List.of());
    byte[] current = CatalogCodec.encode(table);
    // Format 1 is format 3 without the trailing row format and index count.
    int rowFormatBytes = 4 + 4 + 4 * COLUMNS.size() + 4;
    for (ColumnDef column : COLUMNS) {
      rowFormatBytes += 2 + column.type().storage().name().getBytes(StandardCharsets.UTF_8).length;
    }
    byte[] formatOne = Arrays.copyOf(current, current.length - rowFormatBytes - 4);
    formatOne[0] = 1;
    assertEquals(table, CatalogCodec.decode(formatOne));
    assertTrue(CatalogCodec.decode(formatOne).rowFormat().isIdentity());
    formatOne[0] = 9;
    assertThrows(IllegalStateException.class, () -> CatalogCodec.decode(formatOne));
  }

  @Test
  void unreleasedFormatTwoIsRefused() {
    byte[] formatTwo = CatalogCodec.encode(table(List.of()));
    formatTwo[0] = 2;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CatalogCodec.decode(formatTwo));
    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
  }

  @Test
  void indexColumnsMustExist() {
    assertThrows(IllegalArgumentException.class, () -> table(List.of(
        new IndexDef("bad", 1, List.of("nope"), List.of(SortOrder.ASC), false, IndexDef.Origin.USER, true))));
  }

  @Test
  void viewRoundTripsWithLongText() {
    ViewDef view = new ViewDef("v", "SELECT " + "1 + ".repeat(30_000) + "1", List.of("total"));
    assertEquals(view, CatalogCodec.decodeView(CatalogCodec.encodeView(view)));
  }

  @Test
  void sequenceRoundTrips() {
    SequenceDef sequence = new SequenceDef(42, "Order Ids", "SMALLINT", -3, -7, Short.MIN_VALUE, -1, 5);
    assertEquals(sequence, CatalogCodec.decodeSequence(CatalogCodec.encodeSequence(sequence)));
  }
}
