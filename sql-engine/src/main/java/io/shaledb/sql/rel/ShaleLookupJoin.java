package io.shaledb.sql.rel;

import io.shaledb.kv.Transaction;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.plan.AccessPath;
import io.shaledb.sql.runtime.KeyValues;
import io.shaledb.sql.runtime.ScanExecution;
import io.shaledb.sql.runtime.StorageReadCounter;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.TableLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

/**
 * An equi-join whose inner side is a ShaleDB table read by key: for each outer row, a point get by
 * primary key, a primary-key prefix range, or an index lookup, with the outer row's join columns as
 * the key (a nested-loop "index join"). INNER and LEFT joins. Its one input is the outer side; the
 * inner table is read directly, so the cost counts one lookup per outer row.
 */
public final class ShaleLookupJoin extends SingleRel implements EnumerableRel {
  private final ShaleTableScan inner;
  private final JoinRelType joinType;
  /** Outer column of each key component, in the order of the inner key. */
  private final int[] outerKeys;

  public ShaleLookupJoin(RelOptCluster cluster, RelTraitSet traits, RelNode outer, ShaleTableScan inner, JoinRelType joinType,
      int[] outerKeys, RelDataType rowType) {
    super(cluster, traits, outer);
    this.inner = inner;
    this.joinType = joinType;
    this.outerKeys = outerKeys.clone();
    this.rowType = rowType;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new ShaleLookupJoin(getCluster(), traitSet, sole(inputs), inner, joinType, outerKeys, rowType);
  }

  @Override
  protected RelDataType deriveRowType() {
    return rowType;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("joinType", joinType.lowerName)
        .item("table", inner.shaleTable().definition().name())
        .item("access", "per outer row: " + inner.access() + " by outer columns " + Arrays.toString(outerKeys))
        .item("columns", inner.getRowType().getFieldNames());
  }

  /**
   * What one lookup costs in the planner's unit, a row read by a scan. A lookup descends the B-tree
   * from its root for each key where a scan reads rows one after the other: the JMH benchmarks
   * measured a point get at about ten times a scanned row ({@code ShardStoreRead}: 5.9 µs against
   * 62 µs per 100 rows). Set below that, at 4, so that without statistics (every table assumed to hold
   * {@link io.shaledb.sql.schema.ShaleTable#DEFAULT_ROW_COUNT} rows) a join of two whole tables stays
   * a lookup join, while a join that looks up each of many outer rows in a small analyzed table
   * becomes a hash join over one scan of it (above about 2, Calcite's hash join cost wins there).
   */
  static final double LOOKUP_COST_ROWS = 4;

  /** Rows one lookup is expected to find: from the inner table's distinct counts once analyzed. */
  private double matchesPerLookup() {
    AccessPath access = inner.access();
    ShaleTable table = inner.shaleTable();
    int[] keyColumns;
    if (access instanceof AccessPath.KeyLookup lookup) {
      if (lookup.complete()) {
        return 1;
      }
      keyColumns = Arrays.copyOf(table.layout().primaryKey(), lookup.keyValues().size());
    } else {
      AccessPath.IndexScan scan = (AccessPath.IndexScan) access;
      if (scan.unique()) {
        return 1;
      }
      keyColumns = Arrays.copyOf(table.layout().index(scan.indexName()).columns(), scan.prefix().size());
    }
    double perValue = table.rowsPerValue(keyColumns);
    return perValue >= 0 ? perValue : 10;
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return mq.getRowCount(getInput()) * matchesPerLookup();
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double outerRows = mq.getRowCount(getInput());
    double rows = outerRows * matchesPerLookup();
    // Every lookup is a storage round trip; an index lookup reads the entry and then the row.
    double readsPerRow = inner.access() instanceof AccessPath.IndexScan ? 2 : 1;
    double reads = outerRows + rows * readsPerRow;
    // Volcano compares costs by their row component alone, so that is where the lookups must weigh.
    return planner.getCostFactory().makeCost(outerRows * LOOKUP_COST_ROWS + rows * readsPerRow, reads, reads);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result outer = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
    Expression outerRows = builder.append("outer", outer.block);
    Expression outerArrays = outer.physType.convertTo(outerRows, JavaRowFormat.ARRAY);
    TableLayout layout = inner.shaleTable().layout();
    ColumnType[] keyTypes = new ColumnType[outerKeys.length];
    AccessPath access = inner.access();
    for (int i = 0; i < keyTypes.length; i++) {
      keyTypes[i] = access instanceof AccessPath.IndexScan scan
          ? layout.index(scan.indexName()).columnType(i) : layout.primaryKeyType(i);
    }
    Execution execution = new Execution(new ScanExecution(layout, inner.projection(), access, false), outerKeys,
        keyTypes, joinType == JoinRelType.LEFT, inner.getRowType().getFieldCount());
    builder.add(Expressions.call(implementor.stash(execution, Execution.class), "join", Expressions.convert_(outerArrays, Enumerable.class),
        implementor.getRootExpression()));
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
    return implementor.result(physType, builder.toBlock());
  }

  /** What a lookup join does at run time. Generated code calls {@link #join}. */
  public static final class Execution {
    /** Outer rows whose point gets are sent together: big enough to amortize a round trip, small enough to bound memory. */
    static final int GET_BATCH_ROWS = 256;

    private final ScanExecution inner;
    private final int[] outerKeys;
    private final ColumnType[] keyTypes;
    private final boolean keepUnmatched;
    private final int innerWidth;

    Execution(ScanExecution inner, int[] outerKeys, ColumnType[] keyTypes, boolean keepUnmatched, int innerWidth) {
      this.inner = inner;
      this.outerKeys = outerKeys;
      this.keyTypes = keyTypes;
      this.keepUnmatched = keepUnmatched;
      this.innerWidth = innerWidth;
    }

    /** Each outer row followed by each inner row it matches (or by NULLs, for a LEFT join without match). */
    public Enumerable<Object[]> join(Enumerable<Object[]> outerRows, DataContext context) {
      Transaction txn = (Transaction) context.get(ScanExecution.TRANSACTION_VARIABLE);
      StorageReadCounter counter = (StorageReadCounter) context.get(ScanExecution.READ_COUNTER_VARIABLE);
      AtomicBoolean cancelFlag = ScanExecution.cancelFlag(context);
      return new AbstractEnumerable<>() {
        @Override
        public Enumerator<Object[]> enumerator() {
          List<Object[]> joined = new ArrayList<>();
          try (Enumerator<Object[]> outer = outerRows.enumerator()) {
            if (inner.pointLookups()) {
              joinByBatchedGets(outer, txn, counter, cancelFlag, joined);
            } else {
              joinRowByRow(outer, txn, counter, cancelFlag, joined);
            }
          }
          return org.apache.calcite.linq4j.Linq4j.enumerator(joined);
        }
      };
    }

    private void joinRowByRow(Enumerator<Object[]> outer, Transaction txn, StorageReadCounter counter,
        AtomicBoolean cancelFlag, List<Object[]> joined) {
      while (outer.moveNext()) {
        Object[] outerRow = outer.current();
        int before = joined.size();
        Object[] key = key(outerRow);
        if (key != null) {
          try (Enumerator<Object> matches = inner.lookup(txn, counter, key, cancelFlag).enumerator()) {
            while (matches.moveNext()) {
              joined.add(concat(outerRow, (Object[]) matches.current()));
            }
          }
        }
        if (keepUnmatched && joined.size() == before) {
          joined.add(concat(outerRow, new Object[innerWidth]));
        }
      }
    }

    /**
     * Point gets for up to {@link #GET_BATCH_ROWS} outer rows at a time in one {@link
     * Transaction#getAll}: on a cluster that is one round trip per shard per batch instead of one
     * per outer row. Output stays in outer-row order.
     */
    private void joinByBatchedGets(Enumerator<Object[]> outer, Transaction txn, StorageReadCounter counter,
        AtomicBoolean cancelFlag, List<Object[]> joined) {
      List<Object[]> batch = new ArrayList<>(GET_BATCH_ROWS);
      // Per batch row its key, null where a key column is NULL (such a row matches nothing).
      List<Object[]> batchKeys = new ArrayList<>(GET_BATCH_ROWS);
      List<Object[]> lookedUp = new ArrayList<>(GET_BATCH_ROWS);
      boolean more = true;
      while (more) {
        batch.clear();
        batchKeys.clear();
        lookedUp.clear();
        while (batch.size() < GET_BATCH_ROWS && (more = outer.moveNext())) {
          ScanExecution.checkCancelled(cancelFlag);
          Object[] outerRow = outer.current();
          Object[] key = key(outerRow);
          batch.add(outerRow);
          batchKeys.add(key);
          if (key != null) {
            lookedUp.add(key);
          }
        }
        Iterator<Object> found =
            (lookedUp.isEmpty() ? List.of() : inner.getRows(txn, counter, lookedUp, cancelFlag)).iterator();
        for (int i = 0; i < batch.size(); i++) {
          Object innerRow = batchKeys.get(i) == null ? null : found.next();
          if (innerRow != null) {
            joined.add(concat(batch.get(i), (Object[]) innerRow));
          } else if (keepUnmatched) {
            joined.add(concat(batch.get(i), new Object[innerWidth]));
          }
        }
      }
    }

    /** The inner key for {@code outerRow}, or null if a component is NULL or has no equal in the key's type. */
    private Object[] key(Object[] outerRow) {
      Object[] key = new Object[outerKeys.length];
      for (int i = 0; i < key.length; i++) {
        key[i] = KeyValues.convert(outerRow[outerKeys[i]], keyTypes[i]);
        if (key[i] == null) {
          return null;
        }
      }
      return key;
    }

    private static Object[] concat(Object[] outer, Object[] inner) {
      Object[] row = Arrays.copyOf(outer, outer.length + inner.length);
      System.arraycopy(inner, 0, row, outer.length, inner.length);
      return row;
    }
  }
}
