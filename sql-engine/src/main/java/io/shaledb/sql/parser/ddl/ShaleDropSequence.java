package io.shaledb.sql.parser.ddl;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP SEQUENCE [IF EXISTS] name}. Immutable. */
public final class ShaleDropSequence extends ShaleDropObject {

  public ShaleDropSequence(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    super(new SqlSpecialOperator("DROP SEQUENCE", SqlKind.DROP_SEQUENCE), pos, ifExists, name, false);
  }
}
