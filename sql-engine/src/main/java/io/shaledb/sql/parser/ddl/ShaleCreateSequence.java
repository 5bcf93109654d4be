package io.shaledb.sql.parser.ddl;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE SEQUENCE [IF NOT EXISTS] name [AS type] [START [WITH] n] [INCREMENT [BY] n]
 * [MINVALUE n | NO MINVALUE] [MAXVALUE n | NO MAXVALUE] [CACHE n] [[NO] CYCLE]}. An option not
 * written is null (NO MINVALUE / NO MAXVALUE too: both mean the type's bound). Immutable.
 */
public final class ShaleCreateSequence extends SqlCreate {

  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE SEQUENCE", SqlKind.CREATE_SEQUENCE);

  private final SqlIdentifier name;
  private final @Nullable String dataType;
  private final @Nullable Long start;
  private final @Nullable Long increment;
  private final @Nullable Long minValue;
  private final @Nullable Long maxValue;
  private final @Nullable Long cache;
  private final boolean cycle;

  /** @param dataType BIGINT, INTEGER or SMALLINT as written after AS, or null */
  public ShaleCreateSequence(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name, @Nullable String dataType,
      @Nullable Long start, @Nullable Long increment, @Nullable Long minValue, @Nullable Long maxValue,
      @Nullable Long cache, boolean cycle) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = Objects.requireNonNull(name, "name");
    this.dataType = dataType;
    this.start = start;
    this.increment = increment;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.cache = cache;
    this.cycle = cycle;
  }

  public SqlIdentifier name() {
    return name;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  public @Nullable String dataType() {
    return dataType;
  }

  public @Nullable Long start() {
    return start;
  }

  public @Nullable Long increment() {
    return increment;
  }

  public @Nullable Long minValue() {
    return minValue;
  }

  public @Nullable Long maxValue() {
    return maxValue;
  }

  public @Nullable Long cache() {
    return cache;
  }

  /** Whether CYCLE was written (ShaleDB refuses it). */
  public boolean cycle() {
    return cycle;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE SEQUENCE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    if (dataType != null) {
      writer.keyword("AS " + dataType);
    }
    option(writer, "START WITH", start);
    option(writer, "INCREMENT BY", increment);
    option(writer, "MINVALUE", minValue);
    option(writer, "MAXVALUE", maxValue);
    option(writer, "CACHE", cache);
    if (cycle) {
      writer.keyword("CYCLE");
    }
  }

  private static void option(SqlWriter writer, String keyword, @Nullable Long value) {
    if (value != null) {
      writer.keyword(keyword);
      writer.print(value.toString());
    }
  }
}
