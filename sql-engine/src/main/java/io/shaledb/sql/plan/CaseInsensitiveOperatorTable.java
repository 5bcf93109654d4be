package io.shaledb.sql.plan;

import java.util.List;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * Looks functions up by name regardless of case. Identifiers are case-sensitive in ShaleDB
 * (PostgreSQL's rule: unquoted names fold to lower case), and Calcite would apply that to function
 * names too, so {@code length(s)} (folded from {@code LENGTH(s)}) would not find the library's
 * {@code LENGTH}. PostgreSQL and MySQL match function names without regard to case.
 */
public final class CaseInsensitiveOperatorTable implements SqlOperatorTable {
  private static final SqlNameMatcher ANY_CASE = SqlNameMatchers.withCaseSensitive(false);

  private final SqlOperatorTable delegate;

  public CaseInsensitiveOperatorTable(SqlOperatorTable delegate) {
    this.delegate = delegate;
  }

  @Override
  public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category, SqlSyntax syntax,
      List<SqlOperator> operatorList, SqlNameMatcher nameMatcher) {
    delegate.lookupOperatorOverloads(opName, category, syntax, operatorList, ANY_CASE);
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return delegate.getOperatorList();
  }
}
