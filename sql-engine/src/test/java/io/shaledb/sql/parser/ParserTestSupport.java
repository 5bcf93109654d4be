package io.shaledb.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Litmus;

/** Helpers shared by the parser tests. */
final class ParserTestSupport {

  private ParserTestSupport() {
  }

  /** Unparses with double-quoted identifiers, as ShaleDB's parser reads them back. */
  static String unparse(SqlNode node) {
    return node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
  }

  /**
   * Parses {@code sql}, unparses it, parses that again and checks both trees are equal and
   * unparse to the same text.
   *
   * @return the first parse
   */
  static SqlNode assertRoundTrip(String sql) {
    SqlNode first = ShaleSqlParser.parseStatement(sql);
    String unparsed = unparse(first);
    SqlNode second = ShaleSqlParser.parseStatement(unparsed);
    assertTrue(first.equalsDeep(second, Litmus.IGNORE),
        () -> "round trip changed the tree:\n  " + sql + "\n  " + unparsed
            + "\n  " + unparse(second));
    assertEquals(unparsed, unparse(second));
    assertEquals(first.getClass(), second.getClass());
    return first;
  }

  /** The SQL type a parsed type name stands for (TEXT stands for VARCHAR). */
  static SqlTypeName sqlTypeName(SqlTypeNameSpec spec) {
    return SqlTypeName.valueOf(spec.getTypeName().getSimple());
  }

  /** Asserts that parsing fails with 42601 and returns the error. */
  static ShaleException assertSyntaxError(String sql) {
    ShaleException error =
        assertThrows(ShaleException.class, () -> ShaleSqlParser.parseScript(sql));
    assertEquals(SqlState.SYNTAX_ERROR, error.sqlState());
    assertEquals("42601", error.sqlState().code());
    return error;
  }
}
