package io.shaledb.sql.parser.dml;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SELECT ... FOR UPDATE | FOR SHARE [NOWAIT | SKIP LOCKED]}: a query that locks the rows it returns. */
public final class ShaleLockingQuery extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("FOR UPDATE", SqlKind.OTHER);

  /** How strongly the rows are locked; FOR NO KEY UPDATE is UPDATE, FOR KEY SHARE is SHARE. */
  public enum Strength {
    UPDATE,
    SHARE;

    /** SHARE, if {@code word} is SHARE; a syntax error otherwise. */
    public static Strength share(SqlIdentifier word) {
      expect(word, "share", "UPDATE or SHARE");
      return SHARE;
    }
  }

  /** What happens to rows another transaction holds. */
  public enum Wait {
    DEFAULT,
    NOWAIT,
    SKIP_LOCKED;

    public static Wait noWait(SqlIdentifier word) {
      expect(word, "nowait", "NOWAIT or SKIP LOCKED");
      return NOWAIT;
    }

    public static Wait skipLocked(SqlIdentifier word) {
      expect(word, "locked", "LOCKED");
      return SKIP_LOCKED;
    }
  }

  private final SqlNode query;
  private final Strength strength;
  private final List<SqlIdentifier> of;
  private final Wait wait;

  /** @param of the tables named after OF, empty for all */
  public ShaleLockingQuery(SqlParserPos pos, SqlNode query, Strength strength, List<SqlIdentifier> of, Wait wait) {
    super(pos);
    this.query = query;
    this.strength = strength;
    this.of = List.copyOf(of);
    this.wait = wait;
  }

  /** The tables named after OF, empty for all tables of the query. */
  public List<SqlIdentifier> of() {
    return of;
  }

  public SqlNode query() {
    return query;
  }

  public Strength strength() {
    return strength;
  }

  public Wait waitPolicy() {
    return wait;
  }

  private static void expect(SqlIdentifier word, String expected, String description) {
    if (!word.isSimple() || !word.getSimple().toLowerCase(Locale.ROOT).equals(expected)) {
      SqlParserPos pos = word.getParserPosition();
      throw new ShaleException(SqlState.SYNTAX_ERROR, "Syntax error at line " + pos.getLineNum() + ", column "
          + pos.getColumnNum() + ": expected " + description + " but found \"" + word + "\"");
    }
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(query);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    query.unparse(writer, 0, 0);
    writer.keyword("FOR " + strength.name());
    if (!of.isEmpty()) {
      writer.keyword("OF");
      writer.print(String.join(", ", of.stream().map(SqlIdentifier::toString).toList()) + " ");
    }
    if (wait != Wait.DEFAULT) {
      writer.keyword(wait.name().replace('_', ' '));
    }
  }
}
