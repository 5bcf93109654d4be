package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code BACKUP DATABASE TO 'path' [AS OF 'instant'] [INCREMENTAL FROM 'previous'] [WITH USERS]},
 * {@code RESTORE DATABASE FROM 'path' [AS OF 'instant']} and
 * {@code RESTORE TABLE name FROM 'path' [AS OF 'instant'] [AS new_name]}. Paths and instants are
 * kept as the strings written; the engine interprets them. Immutable.
 */
public final class ShaleBackupStatement extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("BACKUP", SqlKind.OTHER_DDL);

  public enum Kind { BACKUP_DATABASE, RESTORE_DATABASE, RESTORE_TABLE }

  private final Kind kind;
  private final String path;
  private final String asOf;
  private final String incrementalFrom;
  private final boolean withUsers;
  private final SqlIdentifier table;
  private final SqlIdentifier newName;

  /**
   * @param asOf the instant to back up or restore, or null for the latest
   * @param incrementalFrom BACKUP only: the backup this one continues, or null
   * @param table RESTORE TABLE only: the table to restore
   * @param newName RESTORE TABLE only: the name to restore it as, or null for its own
   */
  public ShaleBackupStatement(SqlParserPos pos, Kind kind, String path, String asOf, String incrementalFrom,
      boolean withUsers, SqlIdentifier table, SqlIdentifier newName) {
    super(pos);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.path = Objects.requireNonNull(path, "path");
    this.asOf = asOf;
    this.incrementalFrom = incrementalFrom;
    this.withUsers = withUsers;
    this.table = table;
    this.newName = newName;
    if ((kind == Kind.RESTORE_TABLE) != (table != null)) {
      throw new IllegalArgumentException("RESTORE TABLE, and only it, names a table");
    }
  }

  public Kind kind() {
    return kind;
  }

  public String path() {
    return path;
  }

  public String asOf() {
    return asOf;
  }

  public String incrementalFrom() {
    return incrementalFrom;
  }

  public boolean withUsers() {
    return withUsers;
  }

  public SqlIdentifier table() {
    return table;
  }

  public SqlIdentifier newName() {
    return newName;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return table == null ? List.of() : newName == null ? List.of(table) : List.of(table, newName);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    switch (kind) {
      case BACKUP_DATABASE -> writer.keyword("BACKUP DATABASE TO");
      case RESTORE_DATABASE -> writer.keyword("RESTORE DATABASE FROM");
      case RESTORE_TABLE -> {
        writer.keyword("RESTORE TABLE");
        table.unparse(writer, leftPrec, rightPrec);
        writer.keyword("FROM");
      }
    }
    writer.literal(quote(path));
    if (asOf != null) {
      writer.keyword("AS OF");
      writer.literal(quote(asOf));
    }
    if (incrementalFrom != null) {
      writer.keyword("INCREMENTAL FROM");
      writer.literal(quote(incrementalFrom));
    }
    if (withUsers) {
      writer.keyword("WITH USERS");
    }
    if (newName != null) {
      writer.keyword("AS");
      newName.unparse(writer, leftPrec, rightPrec);
    }
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
