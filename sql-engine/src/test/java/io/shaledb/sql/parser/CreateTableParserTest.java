package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleCheckConstraint;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration.Generation;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration.Nullability;
import io.shaledb.sql.parser.ddl.ShaleConstraint;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleDropTable;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint.ReferentialAction;
import io.shaledb.sql.parser.ddl.ShalePrimaryKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleUniqueConstraint;
import java.util.List;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Litmus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreateTableParserTest {

  private static ShaleCreateTable createTable(String sql) {
    return assertInstanceOf(ShaleCreateTable.class, assertRoundTrip(sql));
  }

  private static ShaleColumnDeclaration column(ShaleCreateTable table, String name) {
    return table.columns().stream()
        .filter(c -> c.simpleName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no column " + name + " in " + unparse(table)));
  }

  private static SqlBasicTypeNameSpec basicType(ShaleColumnDeclaration column) {
    return assertInstanceOf(SqlBasicTypeNameSpec.class, column.dataType().getTypeNameSpec());
  }

  @Test
  void minimalTableHasNoOptions() {
    ShaleCreateTable table = createTable("CREATE TABLE t (a INT)");

    assertEquals(SqlKind.CREATE_TABLE, table.getKind());
    assertEquals(List.of("t"), table.name().names);
    assertFalse(table.ifNotExists());
    assertNull(table.shardCount());
    assertTrue(table.tableConstraints().isEmpty());
    ShaleColumnDeclaration a = column(table, "a");
    assertEquals(SqlTypeName.INTEGER, ParserTestSupport.sqlTypeName(basicType(a)));
    assertEquals(Nullability.UNSPECIFIED, a.nullability());
    assertNull(a.defaultValue());
    assertEquals(Generation.NONE, a.generation());
    assertTrue(a.constraints().isEmpty());
  }

  @Test
  void ifNotExistsQualifiedNameAndShards() {
    ShaleCreateTable table =
        createTable("CREATE TABLE IF NOT EXISTS shop.items (id BIGINT PRIMARY KEY) SHARDS 8");

    assertTrue(table.ifNotExists());
    assertEquals(List.of("shop", "items"), table.name().names);
    assertEquals(8, table.shardCount());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INT                | INTEGER   | -1 | -2147483648",
      "INTEGER            | INTEGER   | -1 | -2147483648",
      "BIGINT             | BIGINT    | -1 | -2147483648",
      "SMALLINT           | SMALLINT  | -1 | -2147483648",
      "DECIMAL(10,2)      | DECIMAL   | 10 | 2",
      "DECIMAL(12)        | DECIMAL   | 12 | -2147483648",
      "NUMERIC(5, 1)      | DECIMAL   |  5 | 1",
      "NUMERIC            | DECIMAL   | -1 | -2147483648",
      "DOUBLE             | DOUBLE    | -1 | -2147483648",
      "DOUBLE PRECISION   | DOUBLE    | -1 | -2147483648",
      "REAL               | REAL      | -1 | -2147483648",
      "FLOAT              | FLOAT     | -1 | -2147483648",
      "BOOLEAN            | BOOLEAN   | -1 | -2147483648",
      "VARCHAR(20)        | VARCHAR   | 20 | -2147483648",
      "CHAR(3)            | CHAR      |  3 | -2147483648",
      "DATE               | DATE      | -1 | -2147483648",
      "TIME               | TIME      | -1 | -2147483648",
      "TIMESTAMP          | TIMESTAMP | -1 | -2147483648",
      "TEXT               | VARCHAR   | -1 | -2147483648",
  })
  void everyColumnTypeParses(String type, SqlTypeName expected, int precision, int scale) {
    ShaleCreateTable table = createTable("CREATE TABLE t (c " + type + " NOT NULL)");

    SqlBasicTypeNameSpec spec = basicType(column(table, "c"));
    assertEquals(expected, ParserTestSupport.sqlTypeName(spec));
    assertEquals(precision, spec.getPrecision());
    assertEquals(scale, spec.getScale());
    assertEquals(Nullability.NOT_NULL, column(table, "c").nullability());
  }

  @Test
  void textIsAnUnboundedVarcharThatUnparsesAsText() {
    ShaleCreateTable table = createTable("create table t (body text)");

    SqlTypeNameSpec spec = column(table, "body").dataType().getTypeNameSpec();
    assertInstanceOf(SqlAlienSystemTypeNameSpec.class, spec);
    assertTrue(unparse(table).contains("\"body\" TEXT"), unparse(table));
  }

  @Test
  void columnOptionsInAnyOrder() {
    ShaleCreateTable table = createTable("CREATE TABLE t ("
        + "a INT DEFAULT 5 NOT NULL, "
        + "b INT NOT NULL DEFAULT 5, "
        + "c VARCHAR(10) UNIQUE NULL DEFAULT 'x', "
        + "d INT PRIMARY KEY AUTO_INCREMENT, "
        + "e INT GENERATED ALWAYS AS IDENTITY NOT NULL, "
        + "f INT NOT NULL GENERATED BY DEFAULT AS IDENTITY UNIQUE)");

    for (String name : List.of("a", "b")) {
      ShaleColumnDeclaration column = column(table, name);
      assertEquals(Nullability.NOT_NULL, column.nullability(), name);
      assertEquals("5", unparse(column.defaultValue()), name);
    }
    ShaleColumnDeclaration c = column(table, "c");
    assertEquals(Nullability.NULLABLE, c.nullability());
    assertEquals("'x'", unparse(c.defaultValue()));
    assertInstanceOf(ShaleUniqueConstraint.class, c.constraints().get(0));

    ShaleColumnDeclaration d = column(table, "d");
    assertEquals(Generation.AUTO_INCREMENT, d.generation());
    assertTrue(d.generation().acceptsExplicitValues());
    assertInstanceOf(ShalePrimaryKeyConstraint.class, d.constraints().get(0));

    ShaleColumnDeclaration e = column(table, "e");
    assertEquals(Generation.ALWAYS_AS_IDENTITY, e.generation());
    assertFalse(e.generation().acceptsExplicitValues());
    assertEquals(Nullability.NOT_NULL, e.nullability());

    ShaleColumnDeclaration f = column(table, "f");
    assertEquals(Generation.BY_DEFAULT_AS_IDENTITY, f.generation());
    assertTrue(f.generation().generatesValues());
    assertEquals(1, f.constraints().size());
  }

  @Test
  void defaultTakesAnyExpression() {
    ShaleCreateTable table = createTable("CREATE TABLE t (a INT DEFAULT 1 + 2 * 3 NOT NULL, "
        + "ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP, s VARCHAR(5) DEFAULT NULL, "
        + "n INT DEFAULT -1 CHECK (n <> 0))");

    assertEquals("1 + 2 * 3", unparse(column(table, "a").defaultValue()));
    assertEquals(Nullability.NOT_NULL, column(table, "a").nullability());
    assertEquals("CURRENT_TIMESTAMP", unparse(column(table, "ts").defaultValue()));
    assertEquals("NULL", unparse(column(table, "s").defaultValue()));
    assertEquals(1, column(table, "n").constraints().size());
  }

  @Test
  void inlineConstraintsNameTheirColumn() {
    ShaleCreateTable table = createTable("CREATE TABLE t ("
        + "id INT CONSTRAINT t_pk PRIMARY KEY, "
        + "code CHAR(4) CONSTRAINT t_code UNIQUE CHECK (code <> ''), "
        + "owner INT REFERENCES users (id) ON DELETE CASCADE, "
        + "parent INT CONSTRAINT t_parent REFERENCES t ON DELETE SET NULL, "
        + "kind INT REFERENCES kinds)");

    ShalePrimaryKeyConstraint pk =
        assertInstanceOf(ShalePrimaryKeyConstraint.class, column(table, "id").constraints().get(0));
    assertEquals("t_pk", pk.name().getSimple());
    assertEquals(List.of("id"), pk.columnNames());
    assertTrue(pk.isInline());

    List<ShaleConstraint> code = column(table, "code").constraints();
    assertEquals(2, code.size());
    assertEquals("t_code", code.get(0).name().getSimple());
    assertEquals(List.of("code"), ((ShaleUniqueConstraint) code.get(0)).columnNames());
    ShaleCheckConstraint check = assertInstanceOf(ShaleCheckConstraint.class, code.get(1));
    assertNull(check.name());
    assertEquals("\"code\" <> ''", unparse(check.condition()));

    ShaleForeignKeyConstraint owner = assertInstanceOf(ShaleForeignKeyConstraint.class,
        column(table, "owner").constraints().get(0));
    assertEquals(List.of("owner"), owner.columnNames());
    assertEquals(List.of("users"), owner.referencedTable().names);
    assertEquals(List.of("id"), owner.referencedColumnNames());
    assertEquals(ReferentialAction.CASCADE, owner.onDelete());

    ShaleForeignKeyConstraint parent = assertInstanceOf(ShaleForeignKeyConstraint.class,
        column(table, "parent").constraints().get(0));
    assertEquals("t_parent", parent.name().getSimple());
    assertTrue(parent.referencedColumnNames().isEmpty(), "empty means the referenced primary key");
    assertEquals(ReferentialAction.SET_NULL, parent.onDelete());

    ShaleForeignKeyConstraint kind = assertInstanceOf(ShaleForeignKeyConstraint.class,
        column(table, "kind").constraints().get(0));
    assertEquals(ReferentialAction.NO_ACTION, kind.onDelete());
  }

  @Test
  void tableConstraintsInAnyOrderAmongColumns() {
    ShaleCreateTable table = createTable("CREATE TABLE line (\n"
        + "  PRIMARY KEY (order_id, line_no),\n"
        + "  order_id INT NOT NULL,\n"
        + "  CONSTRAINT line_order FOREIGN KEY (order_id) REFERENCES orders (id)\n"
        + "    ON DELETE RESTRICT,\n"
        + "  line_no INT NOT NULL,\n"
        + "  sku VARCHAR(20),\n"
        + "  CONSTRAINT line_sku UNIQUE (order_id, sku),\n"
        + "  FOREIGN KEY (order_id, sku) REFERENCES stock (o, s) ON DELETE NO ACTION,\n"
        + "  CHECK (line_no > 0)\n"
        + ") SHARDS 2");

    assertEquals(List.of("order_id", "line_no", "sku"),
        table.columns().stream().map(ShaleColumnDeclaration::simpleName).toList());
    List<ShaleConstraint> constraints = table.tableConstraints();
    assertEquals(5, constraints.size());
    constraints.forEach(c -> assertFalse(c.isInline()));

    ShalePrimaryKeyConstraint pk =
        assertInstanceOf(ShalePrimaryKeyConstraint.class, constraints.get(0));
    assertNull(pk.name());
    assertEquals(List.of("order_id", "line_no"), pk.columnNames());

    ShaleForeignKeyConstraint order =
        assertInstanceOf(ShaleForeignKeyConstraint.class, constraints.get(1));
    assertEquals("line_order", order.name().getSimple());
    assertEquals(ReferentialAction.RESTRICT, order.onDelete());

    ShaleUniqueConstraint unique =
        assertInstanceOf(ShaleUniqueConstraint.class, constraints.get(2));
    assertEquals(List.of("order_id", "sku"), unique.columnNames());

    ShaleForeignKeyConstraint stock =
        assertInstanceOf(ShaleForeignKeyConstraint.class, constraints.get(3));
    assertEquals(List.of("order_id", "sku"), stock.columnNames());
    assertEquals(List.of("o", "s"), stock.referencedColumnNames());
    assertEquals(ReferentialAction.NO_ACTION, stock.onDelete());

    ShaleCheckConstraint check =
        assertInstanceOf(ShaleCheckConstraint.class, constraints.get(4));
    assertEquals("\"line_no\" > 0", unparse(check.condition()));
    assertEquals(2, table.shardCount());
  }

  @Test
  void allConstraintsListsInlineThenTableLevel() {
    ShaleCreateTable table = createTable("CREATE TABLE t (UNIQUE (b), a INT PRIMARY KEY, "
        + "b INT REFERENCES u (id) UNIQUE)");

    List<ShaleConstraint> all = table.allConstraints();
    assertEquals(4, all.size());
    assertEquals(List.of("a"), ((ShalePrimaryKeyConstraint) all.get(0)).columnNames());
    assertEquals(List.of("b"), ((ShaleForeignKeyConstraint) all.get(1)).columnNames());
    assertTrue(all.get(2).isInline());
    assertEquals(List.of("b"), ((ShaleUniqueConstraint) all.get(2)).columnNames());
    assertFalse(all.get(3).isInline());
  }

  @Test
  void identifiersAreLowerCasedUnlessQuoted() {
    ShaleCreateTable table = createTable(
        "CREATE TABLE Orders (ID INT, \"MixedCase\" INT, FOREIGN KEY (ID) REFERENCES Users (Id))");

    assertEquals("orders", table.name().getSimple());
    assertEquals(List.of("id", "MixedCase"),
        table.columns().stream().map(ShaleColumnDeclaration::simpleName).toList());
    ShaleForeignKeyConstraint fk = (ShaleForeignKeyConstraint) table.tableConstraints().get(0);
    assertEquals("users", fk.referencedTable().getSimple());
    assertEquals(List.of("id"), fk.referencedColumnNames());
  }

  @Test
  void newKeywordsRemainUsableAsNames() {
    ShaleCreateTable table = createTable("CREATE TABLE shards (text TEXT, shards INT, begin INT, "
        + "commit INT, rollback INT, start INT, auto_increment INT, if INT, key INT) SHARDS 3");

    assertEquals("shards", table.name().getSimple());
    assertEquals(List.of("text", "shards", "begin", "commit", "rollback", "start",
            "auto_increment", "if", "key"),
        table.columns().stream().map(ShaleColumnDeclaration::simpleName).toList());
    assertEquals(3, table.shardCount());
  }

  @Test
  void tableCalledIfStillParses() {
    assertEquals("if", createTable("CREATE TABLE if (a INT)").name().getSimple());
    ShaleCreateTable guarded = createTable("CREATE TABLE IF NOT EXISTS if (a INT)");
    assertTrue(guarded.ifNotExists());
    assertEquals("if", guarded.name().getSimple());
  }

  @Test
  void unparseWritesEveryClause() {
    ShaleCreateTable table = createTable("create table if not exists t (a int not null default 0 "
        + "constraint a_pos check (a >= 0), b text, id int auto_increment primary key, "
        + "constraint t_b unique (b), foreign key (a) references u on delete cascade) shards 4");

    assertEquals("CREATE TABLE IF NOT EXISTS \"t\" ("
        + "\"a\" INTEGER NOT NULL DEFAULT (0) CONSTRAINT \"a_pos\" CHECK (\"a\" >= 0), "
        + "\"b\" TEXT, "
        + "\"id\" INTEGER AUTO_INCREMENT PRIMARY KEY, "
        + "CONSTRAINT \"t_b\" UNIQUE (\"b\"), "
        + "FOREIGN KEY (\"a\") REFERENCES \"u\" ON DELETE CASCADE) SHARDS 4",
        unparse(table));
  }

  @Test
  void cloneRebuildsTheSameNodeTypes() {
    ShaleCreateTable table = createTable("CREATE TABLE t (a INT NOT NULL PRIMARY KEY "
        + "REFERENCES u (id), b TEXT DEFAULT 'x' CHECK (b <> ''), c INT GENERATED ALWAYS AS "
        + "IDENTITY, UNIQUE (b, c)) SHARDS 5");

    SqlNode copy = table.clone(SqlParserPos.ZERO);

    ShaleCreateTable copied = assertInstanceOf(ShaleCreateTable.class, copy);
    assertTrue(table.equalsDeep(copied, Litmus.IGNORE));
    assertEquals(5, copied.shardCount());
    assertEquals(unparse(table), unparse(copied));
    ShaleColumnDeclaration a = copied.columns().get(0);
    assertEquals(a.constraints().get(0).getClass(),
        a.constraints().get(0).clone(SqlParserPos.ZERO).getClass());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "CREATE TABLE t (a INT NULL NOT NULL)                   | line 1, column 28 | conflicting NULL/NOT NULL declarations for column a",
      "CREATE TABLE t (a INT DEFAULT 1 DEFAULT 2)             | line 1, column 33 | multiple default values specified for column a",
      "CREATE TABLE t (a INT DEFAULT 1 AUTO_INCREMENT)        | line 1, column 33 | both default and identity specified for column a",
      "CREATE TABLE t (a INT AUTO_INCREMENT DEFAULT 1)        | line 1, column 38 | both default and identity specified for column a",
      "CREATE TABLE t (a INT AUTO_INCREMENT GENERATED ALWAYS AS IDENTITY) | line 1, column 38 | multiple identity specifications for column a",
      "CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES u (x, y)) | line 1, column 53 | foreign key has 1 columns but references 2",
      "CREATE TABLE t (a INT REFERENCES u (x, y))             | line 1, column 36 | an inline REFERENCES names at most one",
      "CREATE TABLE t (a INT) SHARDS 0                        | line 1, column 31 | SHARDS must be at least 1",
      "CREATE OR REPLACE TABLE t (a INT)                      | line 1, column 1  | CREATE OR REPLACE TABLE is not supported",
      "CREATE TABLE t ()                                      | line 1, column 17 | unexpected \")\"",
      "CREATE TABLE t (a INT,)                                | line 1, column 23 | unexpected \")\"",
      "CREATE TABLE t (a)                                     | line 1, column 18 | unexpected \")\"",
      "CREATE TABLE t (a INT PRIMARY)                         | line 1, column 30 | expected \"KEY\"",
      "CREATE TABLE t (a INT, PRIMARY KEY a)                  | line 1, column 36 | expected \"(\"",
      "CREATE TABLE t (a INT REFERENCES u ON UPDATE CASCADE)  | line 1, column 39 | unexpected \"UPDATE\"",
      "CREATE TABLE t (a INT) SHARDS two                      | line 1, column 31 | unexpected \"two\"",
  })
  void invalidDefinitionsAreSyntaxErrorsWithPosition(String sql, String position, String text) {
    String message = assertSyntaxError(sql).getMessage();

    assertTrue(message.contains(position), message);
    assertTrue(message.contains(text), message);
  }

  @Test
  void dropTable() {
    ShaleDropTable plain =
        assertInstanceOf(ShaleDropTable.class, assertRoundTrip("DROP TABLE Users"));
    assertEquals(SqlKind.DROP_TABLE, plain.getKind());
    assertFalse(plain.ifExists());
    assertEquals(List.of("users"), plain.name().names);
    assertEquals("DROP TABLE \"users\"", unparse(plain));

    ShaleDropTable guarded =
        assertInstanceOf(ShaleDropTable.class, assertRoundTrip("drop table if exists shop.items"));
    assertTrue(guarded.ifExists());
    assertEquals(List.of("shop", "items"), guarded.name().names);

    ShaleDropTable cascading = assertInstanceOf(ShaleDropTable.class, assertRoundTrip("drop table if exists t cascade"));
    assertTrue(cascading.cascade());
    assertFalse(assertInstanceOf(ShaleDropTable.class, assertRoundTrip("DROP TABLE t RESTRICT")).cascade());

    ShaleDropTable named = assertInstanceOf(ShaleDropTable.class, assertRoundTrip("DROP TABLE if"));
    assertEquals("if", named.name().getSimple());
    assertEquals(plain.getClass(), plain.clone(SqlParserPos.ZERO).getClass());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DROP TABLE", "DROP TABLE IF EXISTS", "DROP TABLES t", "DROP TABLE t CASCADE RESTRICT"})
  void invalidDropIsSyntaxError(String sql) {
    assertSyntaxError(sql);
  }

  @Test
  void nodeConstructorsRejectInconsistentInput() {
    SqlParserPos pos = SqlParserPos.ZERO;
    SqlIdentifier a = new SqlIdentifier("a", pos);
    SqlIdentifier b = new SqlIdentifier("b", pos);
    SqlNodeList two = SqlNodeList.of(a, b);

    assertThrows(IllegalArgumentException.class,
        () -> new ShalePrimaryKeyConstraint(pos, null, two, true));
    assertThrows(IllegalArgumentException.class,
        () -> new ShaleUniqueConstraint(pos, null, SqlNodeList.EMPTY, false));
    assertThrows(IllegalArgumentException.class,
        () -> new ShaleForeignKeyConstraint(pos, null, two, new SqlIdentifier("u", pos),
            SqlNodeList.of(a), ReferentialAction.NO_ACTION, false));
    assertThrows(IllegalArgumentException.class,
        () -> new ShaleCreateTable(pos, false, new SqlIdentifier("t", pos), SqlNodeList.EMPTY,
            SqlNodeList.EMPTY, 0));
    ShaleCreateTable table =
        (ShaleCreateTable) ShaleSqlParser.parseStatement("CREATE TABLE t (a INT)");
    ShaleColumnDeclaration column = table.columns().get(0);
    assertThrows(IllegalArgumentException.class,
        () -> new ShaleColumnDeclaration(pos, b, column.dataType(), Nullability.UNSPECIFIED, null,
            Generation.NONE, SqlNodeList.of(new ShalePrimaryKeyConstraint(pos, null,
                SqlNodeList.of(a), true))));
    assertThrows(IllegalArgumentException.class,
        () -> new ShaleColumnDeclaration(pos, a, column.dataType(), Nullability.UNSPECIFIED,
            SqlNodeList.of(a).get(0), Generation.AUTO_INCREMENT, SqlNodeList.EMPTY));
  }
}
