package io.shaledb.sql.schema;

import io.shaledb.kv.KvCursor;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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

  private final TableLayout layout;
  private final int[] projection;
  private final AccessPath access;
  private final boolean scalarRows;

  ScanExecution(TableLayout layout, int[] projection, AccessPath access, boolean scalarRows) {
    this.layout = layout;
    this.projection = projection.clone();
    this.access = access;
    this.scalarRows = scalarRows;
  }

  /** Rows as {@code Object[]}, or bare values when the scan produces a single column. */
  public Enumerable<Object> execute(DataContext context) {
    Transaction txn = (Transaction) context.get(TRANSACTION_VARIABLE);
    if (txn == null) {
      throw new IllegalStateException("statement has no transaction");
    }
    StorageReadCounter counter = (StorageReadCounter) context.get(READ_COUNTER_VARIABLE);
    if (access instanceof AccessPath.KeyLookup lookup) {
      Object[] keyValues = resolve(lookup.keyValues(), context);
      for (Object value : keyValues) {
        if (value == null) {
          // A key column never holds NULL, and "= NULL" matches nothing.
          return Linq4j.emptyEnumerable();
        }
      }
      byte[] key = layout.keyPrefix(keyValues);
      if (lookup.complete()) {
        if (counter != null) {
          counter.pointGet();
        }
        byte[] value = txn.get(key);
        return value == null ? Linq4j.emptyEnumerable() : Linq4j.singletonEnumerable(shape(value));
      }
      return rangeScan(txn, ScanSpec.withPrefix(key), counter, cancelFlag(context));
    }
    return rangeScan(txn, ScanSpec.wholeKeyspace(layout.keyspaceId()), counter, cancelFlag(context));
  }

  /** The statement's cancel flag; a scan checks it per row so that a cancelled statement stops soon. */
  private static AtomicBoolean cancelFlag(DataContext context) {
    Object flag = context.get(DataContext.Variable.CANCEL_FLAG.camelName);
    return flag instanceof AtomicBoolean atomic ? atomic : new AtomicBoolean();
  }

  private Enumerable<Object> rangeScan(Transaction txn, ScanSpec spec, StorageReadCounter counter,
      AtomicBoolean cancelFlag) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        if (counter != null) {
          counter.rangeScan();
        }
        return new CursorEnumerator(txn.scan(spec), counter, cancelFlag);
      }
    };
  }

  private Object shape(byte[] value) {
    Object[] row = layout.decodeRow(value, projection);
    return scalarRows ? row[0] : row;
  }

  private static Object[] resolve(List<KeyOperand> operands, DataContext context) {
    Object[] values = new Object[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = operands.get(i).resolve(context);
    }
    return values;
  }

  private final class CursorEnumerator implements Enumerator<Object> {
    private final KvCursor cursor;
    private final StorageReadCounter counter;
    private final AtomicBoolean cancelFlag;
    private Object current;

    CursorEnumerator(KvCursor cursor, StorageReadCounter counter, AtomicBoolean cancelFlag) {
      this.cursor = cursor;
      this.counter = counter;
      this.cancelFlag = cancelFlag;
    }

    @Override
    public Object current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      if (cancelFlag.get()) {
        throw new ShaleException(SqlState.QUERY_CANCELED, "statement was cancelled");
      }
      if (!cursor.hasNext()) {
        return false;
      }
      if (counter != null) {
        counter.rowRead();
      }
      current = shape(cursor.next().value());
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
