package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import org.junit.jupiter.api.Test;

/** What a user sees for the errors Calcite throws about itself rather than about the statement. */
class SqlErrorsTest {
  @Test
  void calciteAssertionIsAnInternalErrorOnOneLine() {
    // The message Calcite's RexChecker gave for COALESCE(SUM(int), 0) with GROUP BY (see aggregate_coalesce.test).
    AssertionError calcite = new AssertionError("\ntype mismatch:\nref:\nBIGINT NOT NULL\ninput:\nBIGINT");

    ShaleException translated = SqlErrors.translate(calcite);

    assertEquals(SqlState.INTERNAL_ERROR, translated.sqlState());
    assertEquals("XX000", translated.sqlState().code());
    assertEquals("internal error: a consistency check failed: type mismatch: ref: BIGINT NOT NULL input: BIGINT",
        translated.getMessage());
    assertSame(calcite, translated.getCause());
  }

  @Test
  void assertionWithoutMessageStillSaysWhatFailed() {
    ShaleException translated = SqlErrors.translate(new AssertionError());

    assertEquals(SqlState.INTERNAL_ERROR, translated.sqlState());
    assertEquals("internal error: a consistency check failed", translated.getMessage());
  }

  @Test
  void assertionWrappingAUserErrorReportsTheUserError() {
    ShaleException cause = new ShaleException(SqlState.UNDEFINED_TABLE, "table \"x\" does not exist");

    assertSame(cause, SqlErrors.translate(new AssertionError("While registering schema", cause)));
  }

  @Test
  void generatedClassThatFailsToInitializeIsAnInternalError() {
    ShaleException translated = SqlErrors.translate(new ExceptionInInitializerError("Baz failed"));

    assertEquals(SqlState.INTERNAL_ERROR, translated.sqlState());
    assertEquals("internal error: Baz failed", translated.getMessage());
  }

  @Test
  void plannerDumpIsCutShort() {
    String dump = "There are not enough rules to produce a node with desired properties\n" + "Set#0 ...\n".repeat(500);

    String message = SqlErrors.translate(new IllegalStateException(dump)).getMessage();

    assertTrue(message.length() < 600, message);
    assertTrue(message.endsWith("..."), message);
    assertFalse(message.contains("\n"), message);
  }
}
