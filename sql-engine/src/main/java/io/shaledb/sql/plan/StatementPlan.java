package io.shaledb.sql.plan;

import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.session.ResultColumn;
import io.shaledb.sql.session.TimeTravel;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlNode;

/** A statement ready to execute, possibly many times with different parameters. */
public sealed interface StatementPlan {

  /** Types of the statement's {@code ?} parameters, in order. */
  List<RelDataType> parameterTypes();

  /** The columns a query returns; empty for other statements. */
  default List<ResultColumn> columns() {
    return List.of();
  }

  /**
   * A SELECT (or VALUES, WITH, ...): compiled code that yields rows.
   *
   * @param asOf the time the query reads at (FOR SYSTEM_TIME AS OF), or null for the transaction's snapshot
   */
  record Query(Bindable<Object> bindable, Map<String, Object> internals, List<ResultColumn> columns,
      List<RelDataType> parameterTypes, String physicalPlan, TimeTravel asOf) implements StatementPlan {
    Query(Bindable<Object> bindable, Map<String, Object> internals, List<ResultColumn> columns,
        List<RelDataType> parameterTypes, String physicalPlan) {
      this(bindable, internals, columns, parameterTypes, physicalPlan, null);
    }
  }

  /**
   * INSERT, UPDATE or DELETE: compiled code that yields the affected rows' source values, which a
   * {@link io.shaledb.sql.runtime.TableWriter} checks and writes. For UPDATE each input row is the old row followed by the
   * new values of {@code updatedColumns}. For MERGE each input row is laid out as {@link MergeStatement}
   * describes.
   *
   * @param asOf the time the input reads at (INSERT ... SELECT ... FOR SYSTEM_TIME AS OF), or null
   */
  record Modify(TableModify.Operation operation, ShaleTable table, Bindable<Object> input,
      Map<String, Object> internals, int[] updatedColumns, List<RelDataType> parameterTypes, String physicalPlan,
      TimeTravel asOf) implements StatementPlan {
    Modify(TableModify.Operation operation, ShaleTable table, Bindable<Object> input, Map<String, Object> internals,
        int[] updatedColumns, List<RelDataType> parameterTypes, String physicalPlan) {
      this(operation, table, input, internals, updatedColumns, parameterTypes, physicalPlan, null);
    }
  }

  /** SELECT of columns of one row by its whole primary key, without generated code ({@link FastPaths}). */
  record PointQuery(ShaleTable table, List<KeyOperand> key, int[] projection, List<ResultColumn> columns,
      List<RelDataType> parameterTypes) implements StatementPlan {}

  /**
   * UPDATE or DELETE of one row by its whole primary key, setting {@code updatedColumns} to
   * {@code values} (UPDATE only), without generated code ({@link FastPaths}).
   */
  record KeyedWrite(TableModify.Operation operation, ShaleTable table, List<KeyOperand> key, int[] updatedColumns,
      List<KeyOperand> values, List<RelDataType> parameterTypes) implements StatementPlan {}

  /** INSERT ... VALUES of constants and parameters, one operand per table column, without generated code. */
  record DirectInsert(ShaleTable table, List<List<KeyOperand>> rows, List<RelDataType> parameterTypes)
      implements StatementPlan {}

  /**
   * INSERT, UPDATE or DELETE ... RETURNING: {@code write} (a {@link Modify}, {@link KeyedWrite} or
   * {@link DirectInsert} of {@code table}), then the rows it wrote (DELETE: the rows it removed),
   * each projected to {@code returnedColumns} of the table.
   */
  record Returning(StatementPlan write, ShaleTable table, int[] returnedColumns, List<ResultColumn> columns,
      List<RelDataType> parameterTypes) implements StatementPlan {}

  /**
   * SELECT ... FOR UPDATE / FOR SHARE: {@code query} (a {@link Query} or {@link PointQuery}) returns
   * {@code columns} followed by the primary key of {@code table}; inside a transaction the rows it
   * returns are locked (see {@link io.shaledb.sql.session.Session}) and the key columns dropped.
   */
  record Locking(StatementPlan query, ShaleTable table, List<ResultColumn> columns, List<RelDataType> parameterTypes)
      implements StatementPlan {}

  /** EXPLAIN: the plan, one line per row. */
  record Explain(List<String> lines) implements StatementPlan {
    @Override
    public List<RelDataType> parameterTypes() {
      return List.of();
    }
  }

  /** CREATE TABLE, DROP TABLE, ALTER TABLE, CREATE VIEW, ...: executed directly against the catalog. */
  record Ddl(SqlNode statement) implements StatementPlan {
    @Override
    public List<RelDataType> parameterTypes() {
      return List.of();
    }
  }

  /** BACKUP DATABASE, RESTORE DATABASE, RESTORE TABLE: one row that says what was done ({@link io.shaledb.sql.ddl.BackupStatements}). */
  record Backup(io.shaledb.sql.parser.ddl.ShaleBackupStatement statement, List<ResultColumn> columns)
      implements StatementPlan {
    @Override
    public List<RelDataType> parameterTypes() {
      return List.of();
    }
  }

  /** START TRANSACTION / BEGIN, COMMIT, ROLLBACK. */
  record TransactionControl(Kind kind) implements StatementPlan {
    public enum Kind { BEGIN, COMMIT, ROLLBACK }

    @Override
    public List<RelDataType> parameterTypes() {
      return List.of();
    }
  }

  /** SET or RESET of a session setting ShaleDB already follows ({@link io.shaledb.sql.session.SessionSettings}): nothing to do. */
  record SessionSetting() implements StatementPlan {
    @Override
    public List<RelDataType> parameterTypes() {
      return List.of();
    }
  }
}
