package io.shaledb.sql.session;

import io.shaledb.sql.ddl.ConstraintChangeExecutor;
import io.shaledb.sql.ddl.SchemaChangeExecutor;
import io.shaledb.sql.ddl.SecurityStatements;
import io.shaledb.sql.parser.ddl.ShaleAnalyze;
import io.shaledb.sql.parser.ddl.ShaleCreateIndex;
import io.shaledb.sql.parser.ddl.ShaleCreateSequence;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleDropSequence;
import io.shaledb.sql.parser.ddl.ShaleDropIndex;
import io.shaledb.sql.parser.ddl.ShaleDropTable;
import io.shaledb.sql.parser.ddl.ShaleTransactionControl;
import io.shaledb.sql.plan.StatementPlan;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;

/** Statements that bypass Calcite's planner: DDL, transaction control and session settings. */
public final class SpecialStatements {
  private SpecialStatements() {}

  /** The plan for {@code statement} if it is DDL, transaction control or SET, else null. */
  public static StatementPlan plan(SqlNode statement) {
    if (SecurityStatements.handles(statement)) {
      return new StatementPlan.Ddl(statement);
    }
    if (statement instanceof ShaleCreateTable || statement instanceof ShaleDropTable
        || statement instanceof ShaleCreateIndex || statement instanceof ShaleDropIndex
        || statement instanceof ShaleAnalyze || SchemaChangeExecutor.handles(statement)
        || ConstraintChangeExecutor.handles(statement) || statement instanceof ShaleCreateSequence
        || statement instanceof ShaleDropSequence) {
      return new StatementPlan.Ddl(statement);
    }
    if (statement instanceof ShaleTransactionControl control) {
      return new StatementPlan.TransactionControl(switch (control.kind()) {
        case BEGIN -> StatementPlan.TransactionControl.Kind.BEGIN;
        case COMMIT -> StatementPlan.TransactionControl.Kind.COMMIT;
        case ROLLBACK -> StatementPlan.TransactionControl.Kind.ROLLBACK;
      });
    }
    if (statement instanceof SqlSetOption option) {
      SessionSettings.check(option);
      return new StatementPlan.SessionSetting();
    }
    return null;
  }
}
