package io.shaledb.sql.schema;

import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.SequenceAllocator;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.parser.ShaleSqlParser;
import io.shaledb.sql.plan.AccessPath;
import io.shaledb.sql.rel.ShaleScanMetadata;
import io.shaledb.sql.rel.ShaleTableScan;
import io.shaledb.sql.stats.ColumnStatistics;
import io.shaledb.sql.stats.TableStatistics;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TemporalTable;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A ShaleDB table as Calcite sees it: its row type, the scan node it plans to ({@link
 * ShaleTableScan}), the column defaults an INSERT fills in, and the sequence that generates its
 * AUTO_INCREMENT / identity values. Temporal: it can be read {@code FOR SYSTEM_TIME AS OF} an
 * instant (see the SQL engine's time travel).
 */
public final class ShaleTable extends AbstractTable implements TranslatableTable, TemporalTable {
  /** Row count assumed for planning until statistics exist. */
  public static final double DEFAULT_ROW_COUNT = 1000;

  private final TableLayout layout;
  private final SequenceAllocator sequence;
  /** What the last ANALYZE found, or null: then planning assumes {@link #DEFAULT_ROW_COUNT} rows. */
  private final TableStatistics statistics;
  private final InitializerExpressionFactory defaults = new ColumnDefaults();

  /** @param statistics what ANALYZE found in the table, or null if it was not analyzed */
  public ShaleTable(TableDef table, SequenceAllocator sequence, TableStatistics statistics) {
    this.layout = new TableLayout(table);
    this.sequence = sequence;
    this.statistics = statistics;
  }

  /** What ANALYZE found, or null. */
  public TableStatistics statistics() {
    return statistics;
  }

  /** Rows the planner expects the table to hold: the analyzed count (at least 1), else {@link #DEFAULT_ROW_COUNT}. */
  public double rowCount() {
    return statistics == null ? DEFAULT_ROW_COUNT : Math.max(1, statistics.rowCount());
  }

  /** The analyzed statistics of column {@code column} (index in the table), or null. */
  public ColumnStatistics columnStatistics(int column) {
    return statistics == null ? null : statistics.column(layout.table().columns().get(column).name());
  }

  /**
   * Rows expected to share one combination of values of {@code columns} (ignoring NULLs): the row
   * count over the product of their distinct counts (columns taken as independent), or -1 if a
   * column has no statistics.
   */
  public double rowsPerValue(int[] columns) {
    double combinations = 1;
    for (int column : columns) {
      ColumnStatistics stats = columnStatistics(column);
      if (stats == null) {
        return -1;
      }
      combinations *= Math.max(1, stats.distinctCount());
    }
    return Math.max(1, rowCount() / Math.min(combinations, rowCount()));
  }

  public TableDef definition() {
    return layout.table();
  }

  public TableLayout layout() {
    return layout;
  }

  /** This table as if it had no secondary indexes (same rows, same sequence); see {@link ShaleTableScan#withoutSecondaryIndexes}. */
  public ShaleTable withoutSecondaryIndexes() {
    return new ShaleTable(layout.table().withIndexes(List.of()), sequence, statistics);
  }

  /** Generates values for the table's generated column, or null if it has none. */
  public SequenceAllocator sequence() {
    return sequence;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (ColumnDef column : layout.table().columns()) {
      builder.add(column.name(), ShaleTypes.relType(typeFactory, column));
    }
    return builder.build();
  }

  /**
   * Every table keeps its versions for the retention window, so Calcite accepts {@code FOR
   * SYSTEM_TIME AS OF} on it. The period is the commit time of each version, which is not a
   * column: these names are only what Calcite's interface asks for.
   */
  @Override
  public String getSysStartFieldName() {
    return "system_time_start";
  }

  @Override
  public String getSysEndFieldName() {
    return "system_time_end";
  }

  @Override
  public Statistic getStatistic() {
    return Statistics.of(rowCount(), List.of(ImmutableBitSet.of(layout.table().primaryKey())));
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelOptCluster cluster = context.getCluster();
    int columnCount = layout.table().columns().size();
    int[] allColumns = new int[columnCount];
    for (int i = 0; i < columnCount; i++) {
      allColumns[i] = i;
    }
    return ShaleTableScan.create(cluster, relOptTable, this, allColumns, AccessPath.FULL_SCAN);
  }

  @Override
  public <C extends Object> C unwrap(Class<C> aClass) {
    if (aClass.isInstance(defaults)) {
      return aClass.cast(defaults);
    }
    // Calcite's metadata asks the table of a TableScan for these (RelMdDistinctRowCount, RelMdSelectivity).
    if (statistics != null && aClass == BuiltInMetadata.DistinctRowCount.Handler.class) {
      return aClass.cast(ShaleScanMetadata.DISTINCT_ROW_COUNT);
    }
    if (statistics != null && aClass == BuiltInMetadata.Selectivity.Handler.class) {
      return aClass.cast(ShaleScanMetadata.SELECTIVITY);
    }
    return super.unwrap(aClass);
  }

  /** DEFAULT expressions and generated columns, for INSERTs that omit columns. */
  private final class ColumnDefaults extends NullInitializerExpressionFactory {
    @Override
    public ColumnStrategy generationStrategy(RelOptTable table, int iColumn) {
      ColumnDef column = layout.table().columns().get(iColumn);
      if (column.defaultSql() != null || column.generation().generates()) {
        return ColumnStrategy.DEFAULT;
      }
      return column.nullable() ? ColumnStrategy.NULLABLE : ColumnStrategy.NOT_NULLABLE;
    }

    @Override
    public RexNode newColumnDefaultValue(RelOptTable table, int iColumn, InitializerContext context) {
      ColumnDef column = layout.table().columns().get(iColumn);
      RelDataType type = table.getRowType().getFieldList().get(iColumn).getType();
      if (column.defaultSql() == null) {
        // Generated columns start as NULL; the writer replaces NULL with the next sequence value.
        return context.getRexBuilder().makeNullLiteral(type);
      }
      SqlNode expression = context.parseExpression(ShaleSqlParser.CONFIG, column.defaultSql());
      SqlNode validated = context.validateExpression(table.getRowType(), expression);
      RexNode value = context.convertExpression(validated);
      return context.getRexBuilder().makeCast(type, value, true, false);
    }
  }
}
