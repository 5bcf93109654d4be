package io.shaledb.sql.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaledb.kv.encoding.ColumnType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
  private static final ColumnDef ID = new ColumnDef("id", SqlColumnType.of(ColumnType.INTEGER), false, null,
      ColumnDef.Generation.NONE);
  private static final ColumnDef PRICE = new ColumnDef("price", new SqlColumnType(ColumnType.DECIMAL, "DECIMAL", 6, 2),
      true, "1.50", ColumnDef.Generation.NONE);

  @Test
  void rowFormatWithHiddenSlotsAndDefaultsRoundTrips() {
    TableDef table = new TableDef(7, "t", List.of(ID), List.of(0), List.of(), List.of(), List.of(), 4, 1);
    RowFormat format = table.rowFormat()
        .withAddedColumn(ColumnType.VARCHAR, null)
        .withAddedColumn(ColumnType.DECIMAL, new RowFormat.SlotDefault(2, 3, new BigDecimal("1.50")))
        .withoutColumn(1);
    List<ColumnDef> columns = new ArrayList<>(List.of(ID, PRICE));
    TableDef altered = table.withSchemaChange(columns, List.of(0), List.of(), List.of(), List.of(), format);

    TableDef decoded = CatalogCodec.decode(CatalogCodec.encode(altered));

    assertEquals(altered, decoded);
    assertEquals(List.of(0, 2), decoded.rowFormat().columnSlots());
    assertEquals(new BigDecimal("1.50"), decoded.rowFormat().slotDefaults().get(0).value());
  }

  @Test
  void viewRoundTripsWithLongText() {
    ViewDef view = new ViewDef("v", "SELECT " + "1 + ".repeat(30_000) + "1", List.of("total"));
    assertEquals(view, CatalogCodec.decodeView(CatalogCodec.encodeView(view)));
  }
}
