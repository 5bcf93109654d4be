package io.shaledb.sql.plan;

import io.shaledb.sql.runtime.CodePointText;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Converts CAST(text AS VARCHAR(n)) and CAST(text AS CHAR(n)) into calls of {@link CodePointText}
 * that cut (and for CHAR pad) by code points, as PostgreSQL does; every other CAST converts as in
 * Calcite.
 *
 * <p>Calcite cuts by UTF-16 units, in two places: {@code RexBuilder.makeCast} folds a cast of a
 * literal while the statement is converted, and the generated code of a cast of a column calls
 * {@code SqlFunctions.truncate}/{@code truncateOrPad}. Either can leave half a surrogate pair
 * ({@code CAST('a😀b' AS VARCHAR(2))} gave 'a' and a lone surrogate), and CHAR(n) padded to n
 * UTF-16 units. Replacing the CAST before it is converted covers both; constant folding still
 * evaluates the replacement on a literal. Stateless.
 */
final class CodePointCasts implements SqlRexConvertlet {
  static final CodePointCasts INSTANCE = new CodePointCasts();

  private static final SqlUserDefinedFunction TO_VARCHAR = function("castToVarchar");
  private static final SqlUserDefinedFunction TO_CHAR = function("castToChar");

  private CodePointCasts() {}

  /** Whether {@code call} is a CAST this class converts; the text operand's type is checked once converted. */
  static boolean converts(SqlCall call) {
    return call.getKind() == SqlKind.CAST && call.operandCount() == 2 && call.operand(1) instanceof SqlDataTypeSpec;
  }

  @Override
  public RexNode convertCall(SqlRexContext cx, SqlCall call) {
    // Calls the converter makes itself (AVG expands to CAST(SUM(x) AS ...) / COUNT(x)) were never
    // validated, so have no known types: none of them casts text.
    RelDataType target = cx.getValidator().getValidatedNodeTypeIfKnown(call);
    RelDataType source = cx.getValidator().getValidatedNodeTypeIfKnown(call.operand(0));
    if (target == null || source == null || !SqlTypeUtil.inCharFamily(source)
        || target.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED) {
      return StandardConvertletTable.INSTANCE.get(call).convertCall(cx, call);
    }
    // CHAR(n) always pads by code points; VARCHAR(n) only cuts what may be longer than n.
    boolean toChar = target.getSqlTypeName() == SqlTypeName.CHAR;
    boolean cuts = target.getSqlTypeName() == SqlTypeName.VARCHAR
        && (source.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED || source.getPrecision() > target.getPrecision());
    if (!toChar && !cuts) {
      return StandardConvertletTable.INSTANCE.get(call).convertCall(cx, call);
    }
    RexNode text = cx.convertExpression(call.operand(0));
    RexBuilder rexBuilder = cx.getRexBuilder();
    RelDataType type = cx.getTypeFactory().createTypeWithNullability(target, text.getType().isNullable());
    RexNode length = rexBuilder.makeLiteral(target.getPrecision(), cx.getTypeFactory().createSqlType(SqlTypeName.INTEGER));
    return rexBuilder.makeCall(type, toChar ? TO_CHAR : TO_VARCHAR, List.of(text, length));
  }

  private static SqlUserDefinedFunction function(String method) {
    ScalarFunctionImpl implementation = (ScalarFunctionImpl) ScalarFunctionImpl.create(CodePointText.class, method);
    return new SqlUserDefinedFunction(new SqlIdentifier("SHALE_CAST_" + method, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null, implementation);
  }
}
