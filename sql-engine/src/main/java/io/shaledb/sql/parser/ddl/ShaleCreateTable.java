package io.shaledb.sql.parser.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (element, ...) [SHARDS n]}, the elements being
 * column declarations and table constraints in any order.
 *
 * <p>The node keeps the statement as written: {@link #columns()} in declared order, each with
 * its inline constraints, and {@link #tableConstraints()} for the constraints written as table
 * elements. {@link #allConstraints()} merges both for a consumer that does not care how a
 * constraint was spelled. Nothing is checked against a catalog (unknown or duplicate columns,
 * several primary keys): that is the DDL executor's job. Immutable.
 */
public final class ShaleCreateTable extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE) {
        @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
            SqlParserPos pos, @Nullable SqlNode... operands) {
          SqlNode shards = operands[4];
          return new ShaleCreateTable(pos, ((SqlLiteral) operands[0]).booleanValue(),
              (SqlIdentifier) operands[1], (SqlNodeList) operands[2], (SqlNodeList) operands[3],
              shards == null ? null : ((SqlNumericLiteral) shards).intValue(true));
        }
      };

  private final SqlIdentifier name;
  private final SqlNodeList columnList;
  private final SqlNodeList constraintList;
  private final @Nullable Integer shardCount;

  /**
   * @param name the table's name, possibly qualified
   * @param columnList {@link ShaleColumnDeclaration}s in declared order
   * @param constraintList table-level {@link ShaleConstraint}s (none inline), in written order
   * @param shardCount the SHARDS clause (at least 1), or null if absent
   */
  public ShaleCreateTable(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name,
      SqlNodeList columnList, SqlNodeList constraintList, @Nullable Integer shardCount) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = Objects.requireNonNull(name, "name");
    this.columnList = Objects.requireNonNull(columnList, "columnList");
    this.constraintList = Objects.requireNonNull(constraintList, "constraintList");
    for (SqlNode column : columnList) {
      if (!(column instanceof ShaleColumnDeclaration)) {
        throw new IllegalArgumentException("not a column declaration: " + column);
      }
    }
    for (SqlNode constraint : constraintList) {
      if (!(constraint instanceof ShaleConstraint c) || c.isInline()) {
        throw new IllegalArgumentException("not a table constraint: " + constraint);
      }
    }
    if (shardCount != null && shardCount < 1) {
      throw new IllegalArgumentException("shard count must be at least 1, got " + shardCount);
    }
    this.shardCount = shardCount;
  }

  /** The table's name as written; more than one part if qualified with a schema. */
  public SqlIdentifier name() {
    return name;
  }

  /** Whether IF NOT EXISTS was written. */
  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** The column declarations in declared order. */
  public List<ShaleColumnDeclaration> columns() {
    List<ShaleColumnDeclaration> list = new ArrayList<>(columnList.size());
    for (SqlNode column : columnList) {
      list.add((ShaleColumnDeclaration) column);
    }
    return List.copyOf(list);
  }

  /** The constraints written as table elements, in written order; none is inline. */
  public List<ShaleConstraint> tableConstraints() {
    List<ShaleConstraint> list = new ArrayList<>(constraintList.size());
    for (SqlNode constraint : constraintList) {
      list.add((ShaleConstraint) constraint);
    }
    return List.copyOf(list);
  }

  /**
   * Every constraint of the table: first the inline ones, column by column in declared order,
   * then the table-level ones in written order. An inline PRIMARY KEY, UNIQUE or REFERENCES
   * names its column in its column list, so each entry is self-contained.
   */
  public List<ShaleConstraint> allConstraints() {
    List<ShaleConstraint> list = new ArrayList<>();
    for (ShaleColumnDeclaration column : columns()) {
      list.addAll(column.constraints());
    }
    list.addAll(tableConstraints());
    return List.copyOf(list);
  }

  /** The number of shards from {@code SHARDS n}, or null when the clause is absent. */
  public @Nullable Integer shardCount() {
    return shardCount;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(
        SqlLiteral.createBoolean(ifNotExists, SqlParserPos.ZERO), name, columnList,
        constraintList,
        shardCount == null
            ? null
            : SqlLiteral.createExactNumeric(shardCount.toString(), SqlParserPos.ZERO));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE TABLE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode column : columnList) {
      writer.sep(",");
      column.unparse(writer, 0, 0);
    }
    for (SqlNode constraint : constraintList) {
      writer.sep(",");
      constraint.unparse(writer, 0, 0);
    }
    writer.endList(frame);
    if (shardCount != null) {
      writer.keyword("SHARDS");
      writer.print(shardCount);
    }
  }
}
