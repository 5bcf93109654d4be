package io.shaledb.sql.session;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.rel.ShaleTableScan;
import io.shaledb.sql.schema.ShaleTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Snapshot;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * A statement's {@code FOR SYSTEM_TIME AS OF instant}: the statement reads in a read-only
 * transaction at that instant instead of its own snapshot.
 *
 * <p>Time travel applies to a whole statement: every table the statement reads must carry the
 * same {@code FOR SYSTEM_TIME AS OF} expression, so no statement mixes two snapshots. (The
 * instant may be any constant expression, including parameters and CURRENT_TIMESTAMP; it is
 * evaluated once per execution.) Immutable and thread-safe.
 */
public final class TimeTravel {
  private final Function1<DataContext, Object[]> instant;
  private final String description;

  private TimeTravel(Function1<DataContext, Object[]> instant, String description) {
    this.instant = instant;
    this.description = description;
  }

  /**
   * Gives a bare {@code ?} in {@code FOR SYSTEM_TIME AS OF ?} the type TIMESTAMP, which Calcite
   * cannot infer there, by wrapping it in a CAST. Changes {@code statement} in place.
   */
  public static void typeParameters(SqlNode statement) {
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSnapshot snapshot && snapshot.getPeriod() instanceof SqlDynamicParam parameter) {
          SqlParserPos pos = parameter.getParserPosition();
          snapshot.setOperand(1, SqlStdOperatorTable.CAST.createCall(pos, parameter,
              new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, 3, pos), pos)));
        }
        return super.visit(call);
      }
    });
  }

  /** The plan with its Snapshot nodes removed, and the time travel they asked for (null if none). */
  public record Extracted(RelNode rel, TimeTravel asOf) {}

  /** The instant to read at, as epoch milliseconds (sessions run in UTC). */
  long instantMillis(DataContext context) {
    Object value = instant.apply(context)[0];
    if (value == null) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "FOR SYSTEM_TIME AS OF needs a time, not NULL");
    }
    return ((Number) value).longValue();
  }

  public String describe() {
    return description;
  }

  /**
   * Finds the {@code FOR SYSTEM_TIME AS OF} clauses of a converted statement.
   *
   * @throws ShaleException 0A000 if they differ, apply to something other than a table, or if
   *     the statement also reads a table without one
   */
  public static Extracted extract(RelNode rel) {
    Collector collector = new Collector();
    RelNode stripped = collector.visit(rel);
    if (collector.periods.isEmpty()) {
      return new Extracted(rel, null);
    }
    RexNode period = collector.periods.get(0);
    for (RexNode other : collector.periods) {
      if (!other.toString().equals(period.toString())) {
        throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
            "every table of a statement must be read AS OF the same time; found " + period + " and " + other);
      }
    }
    if (collector.plainScans > 0) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "a statement that reads a table FOR SYSTEM_TIME AS OF "
          + period + " must read all its tables AS OF that time: give each table the same clause");
    }
    RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
    Function1<DataContext, Object[]> function = RexExecutorImpl.getExecutable(rexBuilder, List.of(period),
        rexBuilder.getTypeFactory().builder().build()).getFunction();
    return new Extracted(stripped, new TimeTravel(function, period.toString()));
  }

  /** Removes Snapshot nodes over ShaleDB tables, counting what it saw, subqueries included. */
  private static final class Collector extends RelHomogeneousShuttle {
    final List<RexNode> periods = new ArrayList<>();
    int plainScans;
    private int snapshotScans;

    @Override
    public RelNode visit(RelNode other) {
      if (other instanceof Snapshot snapshot) {
        RelNode input = snapshot.getInput();
        if (!(input instanceof TableScan scan) || scan.getTable().unwrap(ShaleTable.class) == null) {
          throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "FOR SYSTEM_TIME AS OF applies to tables only");
        }
        periods.add(snapshot.getPeriod());
        snapshotScans++;
        // Secondary indexes describe the present: one created after the instant has no entries
        // for the rows of then. The past is read through primary keys only.
        return input instanceof ShaleTableScan shaleScan ? shaleScan.withoutSecondaryIndexes() : input;
      }
      if (other instanceof TableScan scan && scan.getTable().unwrap(ShaleTable.class) != null) {
        plainScans++;
        return other;
      }
      RelNode visited = super.visit(other);
      return visited.accept(new RexShuttle() {
        @Override
        public RexNode visitSubQuery(RexSubQuery subQuery) {
          RelNode inner = Collector.this.visit(subQuery.rel);
          return inner == subQuery.rel ? subQuery : subQuery.clone(inner);
        }
      });
    }
  }
}
