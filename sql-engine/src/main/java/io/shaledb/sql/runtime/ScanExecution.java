package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.RowFilter;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.kv.encoding.SortOrder;
import io.shaledb.sql.plan.AccessPath;
import io.shaledb.sql.plan.KeyOperand;
import io.shaledb.sql.plan.PushedCondition;
import io.shaledb.sql.rel.ShaleTableScan;
import io.shaledb.sql.schema.IndexLayout;
import io.shaledb.sql.schema.TableLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

/**
 * What a {@link ShaleTableScan} does at run time: reads the rows its access path selects from the
 * statement's transaction and decodes only the projected columns. Generated code calls
 * {@link #execute} with the statement's {@link DataContext}.
 */
public final class ScanExecution {
  /** The {@link DataContext} variable that holds the statement's {@link Transaction}. */
  public static final String TRANSACTION_VARIABLE = "shale.transaction";
  /** The {@link DataContext} variable that holds the {@link StorageReadCounter}, if any. */
  public static final String READ_COUNTER_VARIABLE = "shale.readCounter";

  /** First byte of every non-NULL ascending key component. */
  private static final int NON_NULL_MARKER = 0x01;
  /** A NULL in a descending key component: the inverted NULL marker, larger than every value. */
  private static final int DESCENDING_NULL_MARKER = 0xff;

  private final TableLayout layout;
  private final int[] projection;
  private final AccessPath access;
  private final boolean scalarRows;
  private final long rowLimit;
  private final List<PushedCondition> pushed;

  public ScanExecution(TableLayout layout, int[] projection, AccessPath access, boolean scalarRows) {
    this(layout, projection, access, scalarRows, ShaleTableScan.NO_LIMIT, List.of());
  }

  /** @param rowLimit the most rows a range scan asks the storage for, or {@link ShaleTableScan#NO_LIMIT} */
  /** @param pushed conditions the shards may check before sending rows (the statement's filter still applies) */
  public ScanExecution(TableLayout layout, int[] projection, AccessPath access, boolean scalarRows, long rowLimit,
      List<PushedCondition> pushed) {
    this.layout = layout;
    this.projection = projection.clone();
    this.access = access;
    this.scalarRows = scalarRows;
    this.rowLimit = rowLimit;
    this.pushed = List.copyOf(pushed);
  }

  /** Rows as {@code Object[]}, or bare values when the scan produces a single column. */
  public Enumerable<Object> execute(DataContext context) {
    Transaction txn = (Transaction) context.get(TRANSACTION_VARIABLE);
    if (txn == null) {
      throw new IllegalStateException("statement has no transaction");
    }
    StorageReadCounter counter = (StorageReadCounter) context.get(READ_COUNTER_VARIABLE);
    AtomicBoolean cancelFlag = cancelFlag(context);
    if (access instanceof AccessPath.KeyLookup lookup) {
      Object[] keyValues = resolve(lookup.keyValues(), context);
      if (keyValues == null) {
        // A key column never holds NULL, and "= NULL" matches nothing.
        return Linq4j.emptyEnumerable();
      }
      byte[] key = layout.keyPrefix(keyValues);
      if (lookup.complete()) {
        if (counter != null) {
          counter.pointGet();
        }
        byte[] value = txn.get(key);
        return value == null ? Linq4j.emptyEnumerable() : Linq4j.singletonEnumerable(shape(value));
      }
      return rangeScan(txn, ScanSpec.withPrefix(key).withFilter(rowFilter(context)), counter, false, cancelFlag);
    }
    if (access instanceof AccessPath.KeyRange range) {
      ScanSpec spec = rangeSpec(range.prefix(), range.lower(), range.upper(), SortOrder.ASC, context,
          values -> layout.keyPrefix(values));
      return spec == null ? Linq4j.emptyEnumerable()
          : rangeScan(txn, spec.withFilter(rowFilter(context)), counter, false, cancelFlag);
    }
    if (access instanceof AccessPath.IndexScan indexScan) {
      IndexLayout index = layout.index(indexScan.indexName());
      if (index == null) {
        throw new IllegalStateException("table " + layout.table().name() + " has no index " + indexScan.indexName());
      }
      SortOrder order = index.columnOrder(Math.min(indexScan.prefix().size(), index.columnCount() - 1));
      ScanSpec spec = rangeSpec(indexScan.prefix(), indexScan.lower(), indexScan.upper(), order, context, index::prefix);
      return spec == null ? Linq4j.emptyEnumerable() : rangeScan(txn, spec, counter, true, cancelFlag);
    }
    return rangeScan(txn, ScanSpec.wholeKeyspace(layout.keyspaceId()).withFilter(rowFilter(context)), counter, false,
        cancelFlag);
  }

  /**
   * What the shards may drop and trim for a scan of the table's rows: the pushed conditions whose
   * operand has a value of the column's storage class (others are left to the statement's filter).
   */
  private RowFilter rowFilter(DataContext context) {
    List<RowFilter.Condition> conditions = new ArrayList<>(pushed.size());
    List<io.shaledb.kv.encoding.ColumnType> types = layout.table().storageTypes();
    for (PushedCondition condition : pushed) {
      Object value = condition.operand().resolve(context);
      if (value != null && value.getClass() == types.get(condition.column()).javaClass()) {
        conditions.add(new RowFilter.Condition(condition.column(), condition.comparison(), value));
      }
    }
    return layout.rowFilter(conditions, projection);
  }

  /** The statement's cancel flag; a scan checks it per row so that a cancelled statement stops soon. */
  public static AtomicBoolean cancelFlag(DataContext context) {
    Object flag = context.get(DataContext.Variable.CANCEL_FLAG.camelName);
    return flag instanceof AtomicBoolean atomic ? atomic : new AtomicBoolean();
  }

  /** Throws 57014 if the statement was cancelled (or its timeout passed). */
  public static void checkCancelled(AtomicBoolean cancelFlag) {
    if (cancelFlag.get()) {
      throw new ShaleException(SqlState.QUERY_CANCELED, "statement was cancelled");
    }
  }

  /**
   * The rows whose key (primary key for a {@link AccessPath.KeyLookup}, the index's key for an
   * {@link AccessPath.IndexScan}) starts with {@code keyValues}, which are already in the key
   * columns' storage representation and not null. Used per outer row by {@link io.shaledb.sql.rel.ShaleLookupJoin}, which
   * passes the statement's cancel flag.
   */
  public Enumerable<Object> lookup(Transaction txn, StorageReadCounter counter, Object[] keyValues, AtomicBoolean cancelFlag) {
    checkCancelled(cancelFlag);
    if (access instanceof AccessPath.KeyLookup lookup) {
      byte[] key = layout.keyPrefix(keyValues);
      if (lookup.complete()) {
        if (counter != null) {
          counter.pointGet();
        }
        byte[] value = txn.get(key);
        return value == null ? Linq4j.emptyEnumerable() : Linq4j.singletonEnumerable(shape(value));
      }
      return rangeScan(txn, ScanSpec.withPrefix(key), counter, false, cancelFlag);
    }
    if (access instanceof AccessPath.IndexScan indexScan) {
      IndexLayout index = layout.index(indexScan.indexName());
      return rangeScan(txn, ScanSpec.withPrefix(index.prefix(keyValues)), counter, true, cancelFlag);
    }
    throw new IllegalStateException("no lookup through " + access);
  }

  /** Whether each {@link #lookup} is a point get by complete primary key (at most one row), so lookups can be batched by {@link #getRows}. */
  public boolean pointLookups() {
    return access instanceof AccessPath.KeyLookup lookup && lookup.complete();
  }

  /**
   * The rows whose complete primary keys are {@code keys} (in the key columns' storage
   * representation, not null), read with one {@link Transaction#getAll}: element {@code i} is the
   * row of {@code keys.get(i)}, or null if there is none. Only when {@link #pointLookups()}.
   */
  public List<Object> getRows(Transaction txn, StorageReadCounter counter, List<Object[]> keys, AtomicBoolean cancelFlag) {
    if (!pointLookups()) {
      throw new IllegalStateException("no point gets through " + access);
    }
    checkCancelled(cancelFlag);
    List<byte[]> encoded = new ArrayList<>(keys.size());
    for (Object[] keyValues : keys) {
      encoded.add(layout.keyPrefix(keyValues));
      if (counter != null) {
        counter.pointGet();
      }
    }
    List<byte[]> values = txn.getAll(encoded);
    List<Object> rows = new ArrayList<>(values.size());
    for (byte[] value : values) {
      rows.add(value == null ? null : shape(value));
    }
    return rows;
  }

  /**
   * The key range of entries whose first key components equal {@code prefix} and whose next
   * component lies between {@code lower} and {@code upper}; null if nothing can match (a NULL
   * operand). {@code encoder} encodes the first n components of a key.
   */
  private static ScanSpec rangeSpec(List<KeyOperand> prefix, AccessPath.Bound lower, AccessPath.Bound upper,
      SortOrder order, DataContext context, Function<Object[], byte[]> encoder) {
    Object[] prefixValues = resolve(prefix, context);
    if (prefixValues == null) {
      return null;
    }
    byte[] prefixKey = encoder.apply(prefixValues);
    byte[] lowerKey = null;
    byte[] upperKey = null;
    if (lower != null) {
      lowerKey = boundKey(prefixValues, lower, context, encoder);
      if (lowerKey == null) {
        return null;
      }
    }
    if (upper != null) {
      upperKey = boundKey(prefixValues, upper, context, encoder);
      if (upperKey == null) {
        return null;
      }
    }
    // In a descending column larger values have smaller keys, so the SQL bounds swap ends.
    AccessPath.Bound startBound = order == SortOrder.ASC ? lower : upper;
    AccessPath.Bound endBound = order == SortOrder.ASC ? upper : lower;
    byte[] startBoundKey = order == SortOrder.ASC ? lowerKey : upperKey;
    byte[] endBoundKey = order == SortOrder.ASC ? upperKey : lowerKey;
    byte[] start;
    if (startBound != null) {
      start = startBound.inclusive() ? startBoundKey : ByteArrays.prefixEnd(startBoundKey);
    } else if (endBound != null && order == SortOrder.ASC) {
      // NULL sorts first in ascending columns and matches no comparison: start after it.
      start = append(prefixKey, NON_NULL_MARKER);
    } else {
      start = prefixKey;
    }
    byte[] end;
    if (endBound != null) {
      end = endBound.inclusive() ? ByteArrays.prefixEnd(endBoundKey) : endBoundKey;
    } else if (startBound != null && order == SortOrder.DESC) {
      // NULL sorts last in descending columns: stop before it.
      end = append(prefixKey, DESCENDING_NULL_MARKER);
    } else {
      end = ByteArrays.prefixEnd(prefixKey);
    }
    if (ByteArrays.compare(start, end) >= 0) {
      return null;
    }
    return new ScanSpec(start, end, ScanSpec.NO_LIMIT);
  }

  private static byte[] boundKey(Object[] prefixValues, AccessPath.Bound bound, DataContext context,
      Function<Object[], byte[]> encoder) {
    Object value = bound.value().resolve(context);
    if (value == null) {
      return null;
    }
    Object[] values = Arrays.copyOf(prefixValues, prefixValues.length + 1);
    values[prefixValues.length] = value;
    return encoder.apply(values);
  }

  private static byte[] append(byte[] key, int lastByte) {
    byte[] longer = Arrays.copyOf(key, key.length + 1);
    longer[key.length] = (byte) lastByte;
    return longer;
  }

  private Enumerable<Object> rangeScan(Transaction txn, ScanSpec unlimited, StorageReadCounter counter,
      boolean indexEntries, AtomicBoolean cancelFlag) {
    // An index entry leads to exactly one row, so a row limit bounds index entries too.
    ScanSpec spec = rowLimit == ShaleTableScan.NO_LIMIT ? unlimited : unlimited.withLimit(rowLimit);
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        if (counter != null) {
          counter.rangeScan();
        }
        return new CursorEnumerator(txn, txn.scan(spec), counter, indexEntries, cancelFlag);
      }
    };
  }

  private Object shape(byte[] value) {
    Object[] row = layout.decodeRow(value, projection);
    return scalarRows ? row[0] : row;
  }

  /** The operands' values, or null if one is NULL (then no key matches). */
  private static Object[] resolve(List<KeyOperand> operands, DataContext context) {
    Object[] values = new Object[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = operands.get(i).resolve(context);
      if (values[i] == null) {
        return null;
      }
    }
    return values;
  }

  /** Rows of a scan; for an index scan, each entry's row is fetched by the primary key the entry holds. */
  private final class CursorEnumerator implements Enumerator<Object> {
    private final Transaction txn;
    private final KvCursor cursor;
    private final StorageReadCounter counter;
    private final boolean indexEntries;
    private final AtomicBoolean cancelFlag;
    private Object current;

    CursorEnumerator(Transaction txn, KvCursor cursor, StorageReadCounter counter, boolean indexEntries,
        AtomicBoolean cancelFlag) {
      this.txn = txn;
      this.cursor = cursor;
      this.counter = counter;
      this.indexEntries = indexEntries;
      this.cancelFlag = cancelFlag;
    }

    @Override
    public Object current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      checkCancelled(cancelFlag);
      if (!cursor.hasNext()) {
        return false;
      }
      if (counter != null) {
        counter.rowRead();
      }
      byte[] value = cursor.next().value();
      if (indexEntries) {
        if (counter != null) {
          counter.pointGet();
        }
        byte[] row = txn.get(value);
        if (row == null) {
          // Entries and rows change in the same transaction, so a snapshot never sees one without the other.
          throw new IllegalStateException("index entry of table " + layout.table().name() + " points to a missing row");
        }
        value = row;
      }
      current = shape(value);
      return true;
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("a storage scan cannot be rewound");
    }

    @Override
    public void close() {
      cursor.close();
    }
  }
}
