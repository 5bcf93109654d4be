package io.shaledb.sql.parser.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A constraint of a CREATE TABLE statement, written either as a table element ({@code PRIMARY
 * KEY (a, b)}) or inside one column's declaration ({@code a INT PRIMARY KEY}).
 *
 * <p>Both spellings produce the same node types: an inline constraint lists the column it was
 * written on as its only constrained column and reports {@link #isInline()}, which only
 * changes how it is unparsed. So a consumer that wants every constraint of a table, however it
 * was written, reads {@link ShaleCreateTable#allConstraints()} and ignores {@code isInline()}.
 *
 * <p>Instances are immutable.
 */
public abstract sealed class ShaleConstraint extends SqlCall
    permits ShaleColumnsConstraint, ShaleForeignKeyConstraint,
        ShaleCheckConstraint {

  private final @Nullable SqlIdentifier name;
  private final boolean inline;

  ShaleConstraint(SqlParserPos pos, @Nullable SqlIdentifier name, boolean inline) {
    super(pos);
    if (name != null && !name.isSimple()) {
      throw new IllegalArgumentException("constraint name must be a simple identifier: " + name);
    }
    this.name = name;
    this.inline = inline;
  }

  /** The name given with {@code CONSTRAINT name}, or null if the constraint is unnamed. */
  public @Nullable SqlIdentifier name() {
    return name;
  }

  /** Whether the constraint was written inside a column declaration. */
  public boolean isInline() {
    return inline;
  }

  /** Writes {@code CONSTRAINT name} if the constraint is named. */
  void unparseName(SqlWriter writer) {
    if (name != null) {
      writer.keyword("CONSTRAINT");
      name.unparse(writer, 0, 0);
    }
  }

  /** Checks a constrained-column list: non-empty, simple names, one column if inline. */
  static SqlNodeList requireColumns(SqlNodeList columns, boolean inline, String what) {
    Objects.requireNonNull(columns, what);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (inline && columns.size() != 1) {
      throw new IllegalArgumentException(
          "an inline constraint applies to exactly one column, got " + columns);
    }
    return requireSimpleIdentifiers(columns, what);
  }

  static SqlNodeList requireSimpleIdentifiers(SqlNodeList columns, String what) {
    for (SqlNode column : columns) {
      if (!(column instanceof SqlIdentifier identifier) || !identifier.isSimple()) {
        throw new IllegalArgumentException(what + " must hold simple identifiers: " + columns);
      }
    }
    return columns;
  }

  static List<String> simpleNames(SqlNodeList identifiers) {
    List<String> names = new ArrayList<>(identifiers.size());
    for (SqlNode identifier : identifiers) {
      names.add(((SqlIdentifier) identifier).getSimple());
    }
    return List.copyOf(names);
  }

  static void unparseColumnList(SqlWriter writer, SqlNodeList columns) {
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode column : columns) {
      writer.sep(",");
      column.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
