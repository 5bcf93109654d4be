package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleTransactionControl;
import io.shaledb.sql.parser.ddl.ShaleTransactionControl.Kind;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionStatementParserTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "START TRANSACTION    | BEGIN    | START TRANSACTION | OTHER_DDL",
      "start transaction    | BEGIN    | START TRANSACTION | OTHER_DDL",
      "BEGIN                | BEGIN    | START TRANSACTION | OTHER_DDL",
      "begin work           | BEGIN    | START TRANSACTION | OTHER_DDL",
      "BEGIN TRANSACTION    | BEGIN    | START TRANSACTION | OTHER_DDL",
      "COMMIT               | COMMIT   | COMMIT            | COMMIT",
      "Commit Work          | COMMIT   | COMMIT            | COMMIT",
      "ROLLBACK             | ROLLBACK | ROLLBACK          | ROLLBACK",
      "rollback work        | ROLLBACK | ROLLBACK          | ROLLBACK",
  })
  void transactionStatements(String sql, Kind kind, String unparsed, SqlKind sqlKind) {
    ShaleTransactionControl statement =
        assertInstanceOf(ShaleTransactionControl.class, assertRoundTrip(sql));

    assertEquals(kind, statement.kind());
    assertEquals(sqlKind, statement.getKind());
    assertTrue(SqlKind.DDL.contains(statement.getKind()), "never planned as a query");
    assertEquals(unparsed, unparse(statement));
    ShaleTransactionControl copy =
        assertInstanceOf(ShaleTransactionControl.class, statement.clone(SqlParserPos.ZERO));
    assertEquals(kind, copy.kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"START", "START WORK", "BEGIN TRANSACTION WORK", "COMMIT TRANSACTION t",
      "ROLLBACK TO SAVEPOINT s", "COMMIT;;x"})
  void malformedTransactionStatementsAreSyntaxErrors(String sql) {
    assertSyntaxError(sql);
  }
}
