package io.shaledb.sql.plan;

import io.shaledb.sql.session.SchemaSnapshot;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;

/**
 * The functions tools call to learn about the session: {@code version()} (PostgreSQL's) and
 * {@code CURRENT_SCHEMA}, which Calcite parses but cannot evaluate. Both are constants for a
 * statement, so they become literals when the statement is converted.
 */
public final class SessionFunctions implements SqlRexConvertlet {
  /** ShaleDB's version, as JDBC metadata reports it. */
  public static final String PRODUCT_VERSION = "0.1.0";

  static final SessionFunctions INSTANCE = new SessionFunctions();

  private static final SqlFunction VERSION = new SqlFunction("VERSION", SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(org.apache.calcite.sql.type.SqlTypeName.VARCHAR), null, OperandTypes.NILADIC,
      SqlFunctionCategory.SYSTEM);

  private SessionFunctions() {}

  /** The functions ShaleDB adds to the operator table. */
  public static SqlOperatorTable operatorTable() {
    return SqlOperatorTables.of(VERSION);
  }

  /** Whether {@code call} is one this class converts. */
  static boolean converts(SqlCall call) {
    return call.getOperator() == VERSION || call.getOperator() == SqlStdOperatorTable.CURRENT_SCHEMA;
  }

  @Override
  public RexNode convertCall(SqlRexContext cx, SqlCall call) {
    String value = call.getOperator() == VERSION ? "ShaleDB " + PRODUCT_VERSION : SchemaSnapshot.SCHEMA_NAME;
    // With the validated type (VARCHAR), not the literal's own (CHAR(n)): the converted row type must match.
    return cx.getRexBuilder().makeLiteral(value, cx.getValidator().getValidatedNodeType(call), true);
  }
}
