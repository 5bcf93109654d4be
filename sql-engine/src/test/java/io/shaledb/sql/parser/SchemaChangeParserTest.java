package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleAlterColumn;
import io.shaledb.sql.parser.ddl.ShaleAlterConstraint;
import io.shaledb.sql.parser.ddl.ShaleAlterTable;
import io.shaledb.sql.parser.ddl.ShaleCheckConstraint;
import io.shaledb.sql.parser.ddl.ShaleAlterTable.Action;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration;
import io.shaledb.sql.parser.ddl.ShaleCreateView;
import io.shaledb.sql.parser.ddl.ShaleDropView;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleTruncateTable;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ALTER TABLE, CREATE / DROP VIEW and TRUNCATE: what they parse to, how they unparse, what they refuse. */
class SchemaChangeParserTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ALTER TABLE t ADD COLUMN c INT                        | ADD_COLUMN    | false | ALTER TABLE \"t\" ADD COLUMN \"c\" INTEGER",
      "alter table t add c varchar(5) not null default 'x'   | ADD_COLUMN    | false | ALTER TABLE \"t\" ADD COLUMN \"c\" VARCHAR(5) NOT NULL DEFAULT ('x')",
      "ALTER TABLE t ADD COLUMN IF NOT EXISTS c TEXT         | ADD_COLUMN    | true  | ALTER TABLE \"t\" ADD COLUMN IF NOT EXISTS \"c\" TEXT",
      "ALTER TABLE public.t DROP COLUMN c                    | DROP_COLUMN   | false | ALTER TABLE \"public\".\"t\" DROP COLUMN \"c\"",
      "ALTER TABLE t DROP c                                  | DROP_COLUMN   | false | ALTER TABLE \"t\" DROP COLUMN \"c\"",
      "ALTER TABLE t DROP COLUMN IF EXISTS c                 | DROP_COLUMN   | true  | ALTER TABLE \"t\" DROP COLUMN IF EXISTS \"c\"",
      "ALTER TABLE t RENAME COLUMN a TO b                    | RENAME_COLUMN | false | ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"b\"",
      "ALTER TABLE t RENAME a TO \"B\"                       | RENAME_COLUMN | false | ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"B\"",
      "ALTER TABLE t RENAME TO u                             | RENAME_TABLE  | false | ALTER TABLE \"t\" RENAME TO \"u\"",
  })
  void alterTable(String sql, Action action, boolean ifFlag, String unparsed) {
    ShaleAlterTable alter = assertInstanceOf(ShaleAlterTable.class, assertRoundTrip(sql));
    assertEquals(action, alter.action());
    assertEquals(ifFlag, alter.ifExistsOrNot());
    assertEquals(SqlKind.ALTER_TABLE, alter.getKind());
    assertTrue(SqlKind.DDL.contains(alter.getKind()));
    assertEquals(unparsed, unparse(alter).replace("\n", " "));
    ShaleAlterTable copy = assertInstanceOf(ShaleAlterTable.class, alter.clone(SqlParserPos.ZERO));
    assertEquals(action, copy.action());
  }

  @Test
  void addColumnCarriesTheWholeDeclaration() {
    ShaleAlterTable alter = (ShaleAlterTable) ShaleSqlParser.parseStatement(
        "ALTER TABLE orders ADD COLUMN placed TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP");
    ShaleColumnDeclaration column = alter.column();
    assertEquals("placed", column.simpleName());
    assertEquals(ShaleColumnDeclaration.Nullability.NOT_NULL, column.nullability());
    assertEquals("CURRENT_TIMESTAMP", unparse(column.defaultValue()));
    assertNull(alter.columnName());
    assertNull(alter.newName());
  }

  @Test
  void renameIsStillUsableAsAName() {
    assertRoundTrip("CREATE TABLE rename (rename INT PRIMARY KEY)");
    assertRoundTrip("SELECT rename FROM rename");
  }

  @Test
  void createView() {
    ShaleCreateView view = assertInstanceOf(ShaleCreateView.class,
        assertRoundTrip("CREATE VIEW v (a, b) AS SELECT id, name FROM t WHERE id > 1 ORDER BY name"));
    assertEquals("v", view.name().getSimple());
    assertFalse(view.replace());
    assertEquals(2, view.columnList().size());
    assertEquals(SqlKind.ORDER_BY, view.query().getKind());

    ShaleCreateView replaced = assertInstanceOf(ShaleCreateView.class,
        assertRoundTrip("create or replace view public.v as select 1 as x union select 2"));
    assertTrue(replaced.replace());
    assertNull(replaced.columnList());
    assertEquals(SqlKind.UNION, replaced.query().getKind());
    assertTrue(unparse(replaced).startsWith("CREATE OR REPLACE VIEW \"public\".\"v\" AS"));
  }

  @Test
  void dropView() {
    ShaleDropView drop = assertInstanceOf(ShaleDropView.class, assertRoundTrip("DROP VIEW IF EXISTS v"));
    assertTrue(drop.ifExists());
    assertEquals(SqlKind.DROP_VIEW, drop.getKind());
    assertFalse(((ShaleDropView) assertRoundTrip("drop view v")).ifExists());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRUNCATE TABLE t", "truncate t", "TRUNCATE public.t"})
  void truncate(String sql) {
    SqlNode node = assertRoundTrip(sql);
    ShaleTruncateTable truncate = assertInstanceOf(ShaleTruncateTable.class, node);
    assertEquals(SqlKind.TRUNCATE_TABLE, truncate.getKind());
    assertTrue(unparse(truncate).startsWith("TRUNCATE TABLE "));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ALTER TABLE t",
      "ALTER TABLE t ADD COLUMN",
      "ALTER TABLE t ADD COLUMN c",
      "ALTER TABLE t DROP COLUMN",
      "ALTER TABLE t RENAME COLUMN a",
      "ALTER TABLE t RENAME COLUMN a TO",
      "ALTER TABLE t RENAME TO",
      "ALTER TABLE t DROP COLUMN a.b",
      "ALTER TABLE t ADD COLUMN c INT NULL NOT NULL",
      "CREATE VIEW v",
      "CREATE VIEW v AS",
      "CREATE VIEW v () AS SELECT 1",
      "CREATE VIEW v AS INSERT INTO t VALUES (1)",
      "DROP VIEW",
      "TRUNCATE",
      "TRUNCATE TABLE",
  })
  void malformedStatementsAreSyntaxErrors(String sql) {
    assertSyntaxError(sql);
  }

  @Test
  void constraintAndColumnChangesRoundTrip() {
    ShaleAlterConstraint foreignKey = assertInstanceOf(ShaleAlterConstraint.class, assertRoundTrip(
        "alter table if exists book add constraint fk_a foreign key (author_id) references author"));
    assertTrue(foreignKey.tableIfExists());
    assertInstanceOf(ShaleForeignKeyConstraint.class, foreignKey.added());
    assertEquals("fk_a", foreignKey.added().name().getSimple());
    assertInstanceOf(ShaleCheckConstraint.class, assertInstanceOf(ShaleAlterConstraint.class,
        assertRoundTrip("ALTER TABLE t ADD CHECK (a > 0)")).added());

    ShaleAlterConstraint drop = assertInstanceOf(ShaleAlterConstraint.class,
        assertRoundTrip("ALTER TABLE t DROP CONSTRAINT IF EXISTS c CASCADE"));
    assertEquals("c", drop.droppedName().getSimple());
    assertTrue(drop.dropIfExists() && drop.cascade() && !drop.tableIfExists());

    ShaleAlterColumn setDefault = assertInstanceOf(ShaleAlterColumn.class,
        assertRoundTrip("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x'"));
    assertEquals(ShaleAlterColumn.Action.SET_DEFAULT, setDefault.action());
    assertEquals(ShaleAlterColumn.Action.DROP_NOT_NULL, assertInstanceOf(ShaleAlterColumn.class,
        assertRoundTrip("ALTER TABLE t ALTER a DROP NOT NULL")).action());
    assertEquals(ShaleAlterColumn.Action.SET_TYPE, assertInstanceOf(ShaleAlterColumn.class,
        assertRoundTrip("ALTER TABLE t ALTER COLUMN a TYPE VARCHAR(40)")).action());
    assertEquals(ShaleAlterColumn.Action.SET_TYPE, assertInstanceOf(ShaleAlterColumn.class,
        assertRoundTrip("ALTER TABLE t ALTER COLUMN a SET DATA TYPE DECIMAL(10, 2)")).action());

    ShaleAlterTable guardedAdd = assertInstanceOf(ShaleAlterTable.class,
        assertRoundTrip("ALTER TABLE IF EXISTS t ADD COLUMN b INT"));
    assertTrue(guardedAdd.tableIfExists());
    assertTrue(assertInstanceOf(ShaleDropView.class, assertRoundTrip("DROP VIEW v CASCADE")).cascade());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ALTER TABLE t ADD CONSTRAINT c", "ALTER TABLE t DROP CONSTRAINT", "ALTER TABLE t ALTER COLUMN a SET",
      "ALTER TABLE t ALTER COLUMN a DROP NULL", "ALTER TABLE t ADD CONSTRAINT c CHECK a > 0"})
  void malformedConstraintChangesAreSyntaxErrors(String sql) {
    assertSyntaxError(sql);
  }
}
