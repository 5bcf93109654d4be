package io.shaledb.sql.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.SortOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("id", SqlColumnType.of(ColumnType.INTEGER), false, null, ColumnDef.Generation.BY_DEFAULT),
      new ColumnDef("email", new SqlColumnType(ColumnType.VARCHAR, "VARCHAR", 40, SqlColumnType.UNSPECIFIED), true, null,
          ColumnDef.Generation.NONE),
      new ColumnDef("parent", SqlColumnType.of(ColumnType.INTEGER), true, "7", ColumnDef.Generation.NONE));

  private static TableDef table(List<IndexDef> indexes) {
    return new TableDef(1030, "t", COLUMNS, List.of(0), List.of(new UniqueDef("t_email_key", List.of("email"))),
        List.of(new ForeignKeyDef("t_parent_fkey", List.of("parent"), "t", List.of("id"), ForeignKeyDef.OnDelete.CASCADE)),
        List.of(new CheckDef("t_check1", "\"parent\" > 0")), 4, 1, indexes);
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
  void entriesWrittenBeforeIndexesExistedStillDecode() {
    TableDef table = table(List.of());
    byte[] current = CatalogCodec.encode(table);
    // Format 1 is format 2 without the trailing index count.
    byte[] formatOne = Arrays.copyOf(current, current.length - 4);
    formatOne[0] = 1;
    assertEquals(table, CatalogCodec.decode(formatOne));
    formatOne[0] = 9;
    assertThrows(IllegalStateException.class, () -> CatalogCodec.decode(formatOne));
  }

  @Test
  void indexColumnsMustExist() {
    assertThrows(IllegalArgumentException.class, () -> table(List.of(
        new IndexDef("bad", 1, List.of("nope"), List.of(SortOrder.ASC), false, IndexDef.Origin.USER, true))));
  }
}
