package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleCreateIndex;
import io.shaledb.sql.parser.ddl.ShaleCreateIndex.IndexColumn;
import io.shaledb.sql.parser.ddl.ShaleDropIndex;
import java.util.List;
import org.apache.calcite.sql.SqlKind;
import org.junit.jupiter.api.Test;

class IndexParserTest {

  @Test
  void createIndexWithDefaults() {
    ShaleCreateIndex index = assertInstanceOf(ShaleCreateIndex.class, assertRoundTrip("CREATE INDEX idx ON t (a)"));
    assertEquals(SqlKind.CREATE_INDEX, index.getKind());
    assertFalse(index.unique());
    assertFalse(index.ifNotExists());
    assertEquals("idx", index.name().getSimple());
    assertEquals(List.of("t"), index.table().names);
    assertEquals(List.of(new IndexColumn("a", false)), index.columns());
    assertEquals("CREATE INDEX \"idx\" ON \"t\" (\"a\")", unparse(index));
  }

  @Test
  void uniqueIfNotExistsQualifiedTableAndDirections() {
    ShaleCreateIndex index = assertInstanceOf(ShaleCreateIndex.class,
        assertRoundTrip("create unique index if not exists by_name on public.users (last_name desc, first_name asc, id)"));
    assertTrue(index.unique());
    assertTrue(index.ifNotExists());
    assertEquals(List.of("public", "users"), index.table().names);
    assertEquals(List.of(new IndexColumn("last_name", true), new IndexColumn("first_name", false),
        new IndexColumn("id", false)), index.columns());
    assertEquals("CREATE UNIQUE INDEX IF NOT EXISTS \"by_name\" ON \"public\".\"users\" "
        + "(\"last_name\" DESC, \"first_name\", \"id\")", unparse(index));
  }

  @Test
  void dropIndex() {
    ShaleDropIndex drop = assertInstanceOf(ShaleDropIndex.class, assertRoundTrip("DROP INDEX idx"));
    assertEquals(SqlKind.DROP_INDEX, drop.getKind());
    assertFalse(drop.ifExists());
    assertEquals("idx", drop.name().getSimple());
    ShaleDropIndex ifExists = assertInstanceOf(ShaleDropIndex.class, assertRoundTrip("DROP INDEX IF EXISTS idx"));
    assertTrue(ifExists.ifExists());
    assertEquals("DROP INDEX IF EXISTS \"idx\"", unparse(ifExists));
  }

  @Test
  void indexStaysUsableAsAnIdentifier() {
    assertRoundTrip("CREATE TABLE \"index\" (index INT PRIMARY KEY)");
    assertRoundTrip("SELECT index FROM t WHERE index = 1");
    assertRoundTrip("CREATE INDEX index ON index (index)");
  }

  @Test
  void malformedIndexStatementsAreSyntaxErrors() {
    assertSyntaxError("CREATE INDEX idx ON t ()");
    assertSyntaxError("CREATE INDEX ON t (a)");
    assertSyntaxError("CREATE INDEX idx t (a)");
    assertSyntaxError("CREATE INDEX idx ON t (a + 1)");
    assertSyntaxError("CREATE OR REPLACE INDEX idx ON t (a)");
    assertSyntaxError("CREATE INDEX a.b ON t (a)");
    assertSyntaxError("DROP INDEX");
  }
}
