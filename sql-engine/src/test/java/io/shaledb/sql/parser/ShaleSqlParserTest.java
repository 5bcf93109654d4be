package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleTransactionControl;
import io.shaledb.sql.parser.impl.ShaleSqlParserImpl;
import java.util.List;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShaleSqlParserTest {

  @Test
  void configIsShaleDbs() {
    assertSame(ShaleSqlParserImpl.FACTORY, ShaleSqlParser.CONFIG.parserFactory());
    assertEquals(Casing.TO_LOWER, ShaleSqlParser.CONFIG.unquotedCasing());
    assertEquals(Casing.UNCHANGED, ShaleSqlParser.CONFIG.quotedCasing());
    assertTrue(ShaleSqlParser.CONFIG.caseSensitive());
    assertEquals(Quoting.DOUBLE_QUOTE, ShaleSqlParser.CONFIG.quoting());
    assertEquals(SqlConformanceEnum.LENIENT, ShaleSqlParser.CONFIG.conformance());
    assertEquals(ShaleSqlParser.IDENTIFIER_MAX_LENGTH, ShaleSqlParser.CONFIG.identifierMaxLength());
  }

  @Test
  void unquotedIdentifiersAreLowerCasedQuotedOnesKept() {
    SqlSelect select = assertInstanceOf(SqlSelect.class,
        ShaleSqlParser.parseStatement("SELECT UserName, \"MixedCase\" FROM Shop.Users"));

    assertEquals("username", ((SqlIdentifier) select.getSelectList().get(0)).getSimple());
    assertEquals("MixedCase", ((SqlIdentifier) select.getSelectList().get(1)).getSimple());
    assertEquals(List.of("shop", "users"), ((SqlIdentifier) select.getFrom()).names);
  }

  @Test
  void tooLongIdentifierIsRejected() {
    String name = "c".repeat(ShaleSqlParser.IDENTIFIER_MAX_LENGTH + 1);

    ShaleException error = assertSyntaxError("SELECT " + name + " FROM t");
    assertTrue(error.getMessage().contains("line 1, column 8"), error.getMessage());
    assertNotNull(ShaleSqlParser.parseStatement(
        "SELECT " + "c".repeat(ShaleSqlParser.IDENTIFIER_MAX_LENGTH) + " FROM t"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT * FROM users                                                               | SELECT",
      "SELECT u.username, p.name, o.quantity FROM orders o JOIN users u ON o.user_id = u.id JOIN products p ON o.product_id = p.id ORDER BY o.id | ORDER_BY",
      "SELECT a, COUNT(*) FROM t LEFT JOIN s USING (a) WHERE b > 1 AND c IS NOT NULL GROUP BY a HAVING COUNT(*) > 2 | SELECT",
      "SELECT * FROM t ORDER BY a DESC LIMIT 10 OFFSET 5                                 | ORDER_BY",
      "SELECT * FROM t OFFSET 5 ROWS FETCH FIRST 3 ROWS ONLY                              | ORDER_BY",
      "SELECT * FROM t WHERE a IN (SELECT b FROM s) AND EXISTS (SELECT 1 FROM s WHERE s.b = t.a) | SELECT",
      "WITH x AS (SELECT 1 AS n) SELECT n FROM x UNION ALL SELECT 2                       | WITH",
      "SELECT CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END, CAST(a AS VARCHAR(10)), CURRENT_TIMESTAMP FROM t | SELECT",
      "SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2026-01-01 00:00:00'               | SELECT",
      "SELECT * FROM t WHERE a = ? AND b LIKE 'x%'                                        | SELECT",
      "INSERT INTO users (username, created_at) VALUES ('alice', TIMESTAMP '2026-01-05 10:00:00'), ('bob', CURRENT_TIMESTAMP) | INSERT",
      "INSERT INTO archive SELECT * FROM users WHERE id < 10                              | INSERT",
      "UPDATE users SET username = 'bobby', email = NULL WHERE id = 2                     | UPDATE",
      "DELETE FROM orders WHERE quantity = 0                                              | DELETE",
      "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v) | MERGE",
      "EXPLAIN PLAN FOR SELECT * FROM users WHERE id = 1                                  | EXPLAIN",
      "VALUES (1, 'a'), (2, 'b')                                                          | VALUES",
  })
  void standardSqlStillParses(String sql, SqlKind kind) {
    SqlNode node = assertRoundTrip(sql);

    assertEquals(kind, node.getKind());
  }

  @Test
  void mysqlLimitOffsetCountIsAccepted() {
    SqlOrderBy orderBy = assertInstanceOf(SqlOrderBy.class,
        ShaleSqlParser.parseStatement("SELECT * FROM t LIMIT 5, 10"));

    assertEquals("5", unparse(orderBy.offset));
    assertEquals("10", unparse(orderBy.fetch));
  }

  @Test
  void castToText() {
    SqlSelect select = assertInstanceOf(SqlSelect.class,
        assertRoundTrip("SELECT CAST(price AS TEXT) FROM products"));

    SqlBasicCall cast = assertInstanceOf(SqlBasicCall.class, select.getSelectList().get(0));
    assertEquals(SqlKind.CAST, cast.getKind());
    SqlDataTypeSpec type = assertInstanceOf(SqlDataTypeSpec.class, cast.operand(1));
    SqlAlienSystemTypeNameSpec text =
        assertInstanceOf(SqlAlienSystemTypeNameSpec.class, type.getTypeNameSpec());
    assertEquals(SqlTypeName.VARCHAR, ParserTestSupport.sqlTypeName(text));
    assertEquals(-1, text.getPrecision());
    assertTrue(unparse(select).contains("CAST(\"price\" AS TEXT)"), unparse(select));
  }

  @Test
  void anyKeywordIsAnAliasAfterAs() {
    SqlSelect select = assertInstanceOf(SqlSelect.class, assertRoundTrip(
        "SELECT 1 AS from, 2 AS order, 3 AS USER, 4 AS current_date, 5 AS rows, 6 AS cardinality,"
            + " 7 AS select, 8 AS null, 9 AS \"Quoted\", 10 AS plain FROM t AS where_"));

    List<String> aliases = select.getSelectList().stream()
        .map(item -> ((SqlIdentifier) ((SqlBasicCall) item).operand(1)).getSimple())
        .toList();
    assertEquals(List.of("from", "order", "user", "current_date", "rows", "cardinality", "select",
        "null", "Quoted", "plain"), aliases);
    assertEquals(SqlKind.AS, select.getSelectList().get(0).getKind());
  }

  @Test
  void reservedKeywordAfterAsDoesNotSwallowTheNextClause() {
    SqlSelect select = assertInstanceOf(SqlSelect.class,
        ShaleSqlParser.parseStatement("SELECT a AS from FROM t WHERE a > 1"));

    assertEquals("t", ((SqlIdentifier) select.getFrom()).getSimple());
    assertNotNull(select.getWhere());
    assertSyntaxError("SELECT a AS FROM t");
    assertSyntaxError("SELECT a AS , b FROM t");
  }

  @Test
  void aliasWithoutAsMustNotBeReserved() {
    SqlSelect select = assertInstanceOf(SqlSelect.class,
        ShaleSqlParser.parseStatement("SELECT a value, b year FROM t"));
    assertEquals(2, select.getSelectList().size());

    assertSyntaxError("SELECT 1 order");
    assertSyntaxError("SELECT 1 user");
    // Without AS, FROM still starts the FROM clause.
    SqlSelect plain = assertInstanceOf(SqlSelect.class,
        ShaleSqlParser.parseStatement("SELECT a FROM t"));
    assertEquals("a", ((SqlIdentifier) plain.getSelectList().get(0)).getSimple());
  }

  @Test
  void newKeywordsRemainIdentifiersInQueries() {
    SqlSelect select = assertInstanceOf(SqlSelect.class, assertRoundTrip(
        "SELECT text, shards, begin, commit, rollback, start, if, auto_increment FROM begin"));

    assertEquals(8, select.getSelectList().size());
    assertEquals("text", ((SqlIdentifier) select.getSelectList().get(0)).getSimple());
    assertEquals("begin", ((SqlIdentifier) select.getFrom()).getSimple());
  }

  @Test
  void scriptSplitsOnSemicolonsAndSkipsComments() {
    SqlNodeList statements = ShaleSqlParser.parseScript("""
        -- set up
        CREATE TABLE t (a INT PRIMARY KEY); /* block
        comment */
        START TRANSACTION;
        INSERT INTO t VALUES (1); -- trailing comment
        COMMIT;
        SELECT a FROM t;
        -- done
        """);

    assertEquals(5, statements.size());
    assertInstanceOf(ShaleCreateTable.class, statements.get(0));
    assertInstanceOf(ShaleTransactionControl.class, statements.get(1));
    assertEquals(SqlKind.INSERT, statements.get(2).getKind());
    assertInstanceOf(ShaleTransactionControl.class, statements.get(3));
    assertEquals(SqlKind.SELECT, statements.get(4).getKind());
  }

  @Test
  void emptyScriptHasNoStatements() {
    assertTrue(ShaleSqlParser.parseScript("").isEmpty());
    assertTrue(ShaleSqlParser.parseScript(" \n").isEmpty());
    assertTrue(ShaleSqlParser.parseScript("-- nothing but a comment\n").isEmpty());
  }

  @Test
  void emptyStatementIsASyntaxError() {
    for (String sql : new String[] {"", "  ", "-- comment"}) {
      ShaleException error =
          assertThrows(ShaleException.class, () -> ShaleSqlParser.parseStatement(sql));
      assertEquals("42601", error.sqlState().code());
      assertTrue(error.getMessage().contains("unexpected end of input"), error.getMessage());
    }
  }

  @Test
  void parseStatementAcceptsExactlyOneStatement() {
    ShaleException error = assertThrows(ShaleException.class,
        () -> ShaleSqlParser.parseStatement("SELECT 1; SELECT 2"));

    assertEquals("42601", error.sqlState().code());
    assertTrue(error.getMessage().contains("found 2"), error.getMessage());
  }

  @Test
  void parseStatementAcceptsATrailingSemicolon() {
    assertEquals(SqlKind.SELECT, ShaleSqlParser.parseStatement("SELECT 1;\n").getKind());
  }

  @Test
  void syntaxErrorNamesPositionAndShortExpectation() {
    ShaleException error = assertSyntaxError("SELECT a\nFROM t\nWHERE a = = 1");

    String message = error.getMessage();
    assertTrue(message.startsWith("Syntax error at line 3, column 9: unexpected \"=\"; expected"),
        message);
    assertFalse(message.contains("Was expecting"), message);
    assertFalse(message.contains("\n"), message);
    assertTrue(message.length() < 300, message);
    assertInstanceOf(SqlParseException.class, error.getCause());
  }

  @Test
  void syntaxErrorAtKeywordQuotesTheKeyword() {
    String message = assertSyntaxError("SELECT a FROM FROM t").getMessage();

    assertTrue(message.startsWith("Syntax error at line 1, column 15: unexpected \"FROM\""),
        message);
  }

  @Test
  void syntaxErrorAtEndOfInput() {
    String message = assertSyntaxError("SELECT a FROM t WHERE").getMessage();

    assertTrue(message.contains("unexpected end of input"), message);
    assertTrue(message.contains("line 1, column"), message);
  }

  @Test
  void lexicalErrorNamesTheCharacter() {
    String message = assertSyntaxError("SELECT a # b FROM t").getMessage();

    assertTrue(message.startsWith("Syntax error at line 1, column 10: unexpected character \"#\""),
        message);
  }

  @Test
  void errorsOnLaterLinesQuoteTheRightText() {
    String lexical = assertSyntaxError("SELECT a\r\nFROM t # x").getMessage();
    assertTrue(lexical.startsWith("Syntax error at line 2, column 8: unexpected character \"#\""),
        lexical);

    String keyword = assertSyntaxError("SELECT a\nFROM\rFROM t").getMessage();
    assertTrue(keyword.startsWith("Syntax error at line 3, column 1: unexpected \"FROM\""),
        keyword);
  }

  @Test
  void errorInALaterScriptStatementReportsItsLine() {
    String message = assertSyntaxError("SELECT 1;\nSELECT 2;\nSELECT 3 FROM;").getMessage();

    assertTrue(message.startsWith("Syntax error at line 3, column 14: unexpected \";\""), message);
  }

  @Test
  void misspelledStatementKeepsCalcitesExplanation() {
    String message = assertSyntaxError("CREAT TABLE t (a INT)").getMessage();

    assertEquals("Syntax error at line 1, column 1: "
        + "Non-query expression encountered in illegal context", message);
  }

  @Test
  void longListOfAlternativesIsCut() {
    String message = assertSyntaxError("SELECT * FORM t").getMessage();

    assertEquals("Syntax error at line 1, column 15: unexpected \"t\"; expected one of "
        + "end of input, \",\", \";\", \"EXCEPT\", \"FETCH\", \"FOR\", \"FROM\", \"INTERSECT\" "
        + "(and 5 more)", message);
  }

  @Test
  void nullSqlIsAProgrammingError() {
    assertThrows(NullPointerException.class, () -> ShaleSqlParser.parseStatement(null));
    assertThrows(NullPointerException.class, () -> ShaleSqlParser.parseScript(null));
  }
}
