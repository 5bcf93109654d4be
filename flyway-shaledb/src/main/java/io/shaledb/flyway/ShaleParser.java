package io.shaledb.flyway;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;

/**
 * Splits migration scripts into statements. ShaleDB's SQL has no procedural blocks or
 * dollar-quoting, so Flyway's standard rules (statements end at {@code ;}, quotes and comments as
 * in standard SQL) fit it as they are.
 */
final class ShaleParser extends Parser {
  private static final int PEEK_DEPTH = 3;

  ShaleParser(Configuration configuration, ParsingContext parsingContext) {
    super(configuration, parsingContext, PEEK_DEPTH);
  }
}
