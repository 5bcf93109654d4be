package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleBackupStatement;
import io.shaledb.sql.parser.ddl.ShaleBackupStatement.Kind;
import org.junit.jupiter.api.Test;

class BackupParserTest {

  private static ShaleBackupStatement parse(String sql) {
    ShaleBackupStatement statement = assertInstanceOf(ShaleBackupStatement.class, assertRoundTrip(sql));
    ShaleBackupStatement again = (ShaleBackupStatement) ShaleSqlParser.parseStatement(unparse(statement));
    assertEquals(statement.path(), again.path());
    assertEquals(statement.asOf(), again.asOf());
    assertEquals(statement.incrementalFrom(), again.incrementalFrom());
    assertEquals(statement.withUsers(), again.withUsers());
    return statement;
  }

  @Test
  void backupWithEveryClause() {
    ShaleBackupStatement plain = parse("backup database to '/b/full'");
    assertEquals(Kind.BACKUP_DATABASE, plain.kind());
    assertEquals("/b/full", plain.path());
    assertNull(plain.asOf());
    assertNull(plain.incrementalFrom());
    assertFalse(plain.withUsers());

    ShaleBackupStatement all = parse("BACKUP DATABASE TO '/b/it''s' AS OF '2026-12-07 21:00:00' "
        + "INCREMENTAL FROM '/b/full' WITH USERS");
    assertEquals("/b/it's", all.path());
    assertEquals("2026-12-07 21:00:00", all.asOf());
    assertEquals("/b/full", all.incrementalFrom());
    assertTrue(all.withUsers());
    assertEquals("BACKUP DATABASE TO '/b/it''s' AS OF '2026-12-07 21:00:00' INCREMENTAL FROM '/b/full' WITH USERS",
        unparse(all));
  }

  @Test
  void restoreDatabaseAndTable() {
    ShaleBackupStatement database = parse("RESTORE DATABASE FROM '/b/inc' AS OF '2026-12-07T21:00:00Z'");
    assertEquals(Kind.RESTORE_DATABASE, database.kind());
    assertEquals("2026-12-07T21:00:00Z", database.asOf());

    ShaleBackupStatement table = parse("RESTORE TABLE orders FROM '/b/inc' AS OF '2026-12-07 21:00' AS orders_then");
    assertEquals(Kind.RESTORE_TABLE, table.kind());
    assertEquals("orders", table.table().getSimple());
    assertEquals("orders_then", table.newName().getSimple());
    assertEquals("2026-12-07 21:00", table.asOf());

    ShaleBackupStatement renamed = parse("RESTORE TABLE public.orders FROM '/b' AS copy");
    assertEquals("copy", renamed.newName().getSimple());
    assertNull(renamed.asOf());
  }

  @Test
  void newWordsStayUsableAsNames() {
    assertRoundTrip("SELECT backup, restore, incremental, users FROM users");
  }

  @Test
  void malformedStatementsAreSyntaxErrors() {
    assertSyntaxError("BACKUP DATABASE '/b'");
    assertSyntaxError("BACKUP DATABASE TO /b");
    assertSyntaxError("RESTORE DATABASE FROM '/b' AS other");
    assertSyntaxError("RESTORE TABLE FROM '/b'");
    assertSyntaxError("BACKUP DATABASE TO '/b' INCREMENTAL '/a'");
  }
}
