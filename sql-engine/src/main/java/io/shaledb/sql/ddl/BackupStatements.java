package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.backup.BackupRestorer;
import io.shaledb.sql.backup.BackupWriter;
import io.shaledb.sql.parser.ddl.ShaleBackupStatement;
import io.shaledb.sql.plan.StatementPlan;
import io.shaledb.sql.runtime.QueryCursor;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.ResultColumn;
import io.shaledb.sql.session.ShaleEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Runs BACKUP DATABASE, RESTORE DATABASE and RESTORE TABLE (admin only) with {@link BackupWriter}
 * and {@link BackupRestorer}, and answers each with one row saying what it did.
 */
public final class BackupStatements {
  /** Keyspaces a backup reads at the same time. */
  private static final int BACKUP_WORKERS = 2;

  private final ShaleEngine engine;

  public BackupStatements(ShaleEngine engine) {
    this.engine = engine;
  }

  public static StatementPlan.Backup plan(ShaleBackupStatement statement, JavaTypeFactory types) {
    List<ResultColumn> columns = new ArrayList<>();
    columns.add(column(types, "SNAPSHOT_TIMESTAMP", SqlTypeName.BIGINT));
    columns.add(column(types, "SNAPSHOT_TIME", SqlTypeName.VARCHAR));
    if (statement.kind() == ShaleBackupStatement.Kind.BACKUP_DATABASE) {
      columns.add(column(types, "TABLES", SqlTypeName.INTEGER));
      columns.add(column(types, "ROWS", SqlTypeName.BIGINT));
      columns.add(column(types, "BYTES", SqlTypeName.BIGINT));
    } else {
      columns.add(column(types, "BACKUPS_APPLIED", SqlTypeName.INTEGER));
      columns.add(column(types, "TABLES", SqlTypeName.INTEGER));
      columns.add(column(types, "RECORDS", SqlTypeName.BIGINT));
    }
    return new StatementPlan.Backup(statement, columns);
  }

  private static ResultColumn column(JavaTypeFactory types, String name, SqlTypeName type) {
    return new ResultColumn(name, types.createSqlType(type), null, null);
  }

  public ExecutionResult execute(Principal principal, StatementPlan.Backup plan) {
    ShaleBackupStatement statement = plan.statement();
    if (!principal.isAdmin()) {
      throw new ShaleException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: only the admin may run "
          + (statement.kind() == ShaleBackupStatement.Kind.BACKUP_DATABASE ? "BACKUP" : "RESTORE"));
    }
    Path path = Path.of(statement.path());
    Long asOfMillis = statement.asOf() == null ? null : instantMillis(statement.asOf());
    Object[] row;
    switch (statement.kind()) {
      case BACKUP_DATABASE -> {
        BackupWriter.Result result = new BackupWriter(engine.kv(), engine.config().clock(), BACKUP_WORKERS).backup(
            new BackupWriter.Request(path, statement.incrementalFrom() == null ? null : Path.of(statement.incrementalFrom()),
                asOfMillis, statement.withUsers()));
        row = new Object[] {result.snapshotTimestamp(), result.snapshotTime().toString(), result.tables(), result.rows(),
            result.bytes()};
      }
      case RESTORE_DATABASE -> {
        BackupRestorer.Result result = restorer().restoreDatabase(path, asOfTimestamp(asOfMillis));
        engine.users().reload();
        row = restoreRow(result);
      }
      case RESTORE_TABLE -> {
        BackupRestorer.Result result = restorer().restoreTable(path, DdlExecutor.tableName(statement.table()),
            statement.newName() == null ? null : statement.newName().getSimple(), asOfTimestamp(asOfMillis));
        row = restoreRow(result);
      }
      default -> throw new IllegalStateException("unexpected " + statement.kind());
    }
    List<Object> rows = new ArrayList<>();
    rows.add(row);
    return new ExecutionResult.Rows(new QueryCursor(Linq4j.enumerator(rows), row.length, null), plan.columns());
  }

  private BackupRestorer restorer() {
    return new BackupRestorer(engine.kv(), engine.catalog());
  }

  private Long asOfTimestamp(Long asOfMillis) {
    return asOfMillis == null ? null : engine.kv().timestampAt(asOfMillis);
  }

  private static Object[] restoreRow(BackupRestorer.Result result) {
    return new Object[] {result.snapshotTimestamp(), result.snapshotTime().toString(), result.backupsApplied(),
        result.tables(), result.records()};
  }

  /** An ISO-8601 instant ('2026-12-07T21:00:00Z') or a UTC date and time ('2026-12-07 21:00:00[.123]'). */
  static long instantMillis(String text) {
    try {
      return Instant.parse(text.trim()).toEpochMilli();
    } catch (DateTimeParseException notIso) {
      try {
        return LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new ShaleException(SqlState.INVALID_DATETIME_FORMAT, "AS OF '" + text + "' is not an instant; write "
            + "'2026-12-07 21:00:00' (UTC) or '2026-12-07T21:00:00Z'");
      }
    }
  }
}
