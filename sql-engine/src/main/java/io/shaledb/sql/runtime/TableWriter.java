package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.SequenceAllocator;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.plan.WriteRules;
import io.shaledb.sql.schema.IndexLayout;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.TableLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies one INSERT, UPDATE, DELETE or MERGE to a transaction, with every constraint: column checks
 * (NOT NULL, length, precision), CHECK constraints, the primary key and unique indexes, foreign
 * keys in both directions (ON DELETE CASCADE and SET NULL included), and the maintenance of every
 * secondary index.
 *
 * <p>All writes of the statement, cascades included, are collected first and reach the
 * transaction only after every check passed, so a statement that fails writes nothing, even
 * inside a larger transaction. Reads during the statement see the transaction's snapshot with the
 * statement's own collected writes applied.
 *
 * <p>The statement's source rows are read completely before anything is written, so an UPDATE
 * never sees its own changes (the "Halloween problem"). Foreign keys are checked after all of the
 * statement's rows are in place, so a multi-row statement may insert a parent and its child in any
 * order (self-referencing tables).
 */
public final class TableWriter {
  /** The most rows ON DELETE CASCADE / SET NULL may change in one statement. */
  static final int CASCADE_ROWS_MAX = 100_000;
  private static final byte[] DELETED = new byte[0];

  /** One row of a table changing: insert (old null), update, or delete (new null). */
  private record Change(ShaleTable table, Object[] oldRow, Object[] newRow) {}

  private final Transaction txn;
  private final ShaleTable table;
  private final WriteRules rules;
  /** This statement's writes by key, all keyspaces together; {@link #DELETED} marks a delete. */
  private final NavigableMap<byte[], byte[]> pending = new TreeMap<>(ByteArrays.UNSIGNED);
  private int cascadedRows;

  /** Where the statement's own rows go for RETURNING, or null. */
  private final List<Object[]> returnedRows;

  public TableWriter(Transaction txn, ShaleTable table, WriteRules rules) {
    this(txn, table, rules, null);
  }

  /**
   * @param returnedRows receives the statement's rows once they are written, as stored (INSERT,
   *     UPDATE: the new rows, generated values included; DELETE: the removed rows), without the
   *     rows foreign key actions change; null if nobody asks
   */
  public TableWriter(Transaction txn, ShaleTable table, WriteRules rules, List<Object[]> returnedRows) {
    this.txn = txn;
    this.table = table;
    this.rules = rules;
    this.returnedRows = returnedRows;
  }

  public long insert(List<Object[]> rows) {
    List<Change> changes = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      generate(row);
      checkColumns(table, row);
      checkConditions(table, row);
      changes.add(new Change(table, null, row));
    }
    applyWithReferences(changes);
    return rows.size();
  }

  /** Each input row is the old row followed by the new values of {@code updatedColumns}. */
  public long update(List<Object[]> inputs, int[] updatedColumns) {
    List<Change> changes = new ArrayList<>(inputs.size());
    for (Object[] input : inputs) {
      changes.add(updateChange(input, updatedColumns));
    }
    applyWithReferences(changes);
    return inputs.size();
  }

  /**
   * MERGE: each input row is laid out as {@link io.shaledb.sql.plan.MergeStatement} describes. A row whose target part
   * has a primary key matched a target row and is updated (if the MERGE has WHEN MATCHED); any other
   * row is inserted (if it has WHEN NOT MATCHED). Both kinds go through the same checks, index
   * maintenance and foreign key handling as UPDATE and INSERT, in one batch.
   *
   * @throws ShaleException 21000 if two source rows match the same target row
   */
  public long merge(List<Object[]> inputs, int[] updatedColumns, boolean inserts) {
    TableDef definition = table.definition();
    TableLayout layout = table.layout();
    int width = definition.columns().size();
    int targetStart = inserts ? width : 0;
    boolean updates = updatedColumns.length > 0;
    int firstKeyColumn = definition.primaryKey().get(0);
    List<Change> updateChanges = new ArrayList<>();
    List<Change> insertChanges = new ArrayList<>();
    Set<byte[]> matchedKeys = new TreeSet<>(ByteArrays.UNSIGNED);
    for (Object[] input : inputs) {
      boolean matched = input[targetStart + firstKeyColumn] != null;
      if (matched) {
        if (updates) {
          Object[] update = Arrays.copyOfRange(input, targetStart, input.length);
          if (!matchedKeys.add(layout.rowKey(update))) {
            throw new ShaleException(SqlState.CARDINALITY_VIOLATION, "MERGE matched the row "
                + describePrimaryKey(table, update) + " of \"" + definition.name() + "\" more than once");
          }
          updateChanges.add(updateChange(update, updatedColumns));
        }
      } else if (inserts) {
        Object[] row = Arrays.copyOf(input, width);
        generate(row);
        checkColumns(table, row);
        checkConditions(table, row);
        insertChanges.add(new Change(table, null, row));
      }
    }
    // Updates first, so an inserted row may take a key or unique value an updated row gives up.
    List<Change> changes = new ArrayList<>(updateChanges);
    changes.addAll(insertChanges);
    applyWithReferences(changes);
    return changes.size();
  }

  /** The change an UPDATE input row (old row, then the new values of {@code updatedColumns}) makes. */
  private Change updateChange(Object[] input, int[] updatedColumns) {
    TableDef definition = table.definition();
    int width = definition.columns().size();
    Object[] oldRow = Arrays.copyOf(input, width);
    Object[] newRow = oldRow.clone();
    for (int i = 0; i < updatedColumns.length; i++) {
      int column = updatedColumns[i];
      if (definition.columns().get(column).generation() == ColumnDef.Generation.ALWAYS) {
        throw new ShaleException(SqlState.GENERATED_ALWAYS,
            "column \"" + definition.columns().get(column).name() + "\" can only be updated to DEFAULT");
      }
      newRow[column] = input[width + i];
    }
    checkColumns(table, newRow);
    checkConditions(table, newRow);
    return new Change(table, oldRow, newRow);
  }

  public long delete(List<Object[]> rows) {
    List<Change> changes = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      changes.add(new Change(table, row, null));
    }
    applyWithReferences(changes);
    return rows.size();
  }

  /** Applies the statement's changes, then checks foreign keys and applies the cascades they cause, then writes. */
  private void applyWithReferences(List<Change> changes) {
    apply(changes);
    if (returnedRows != null) {
      for (Change change : changes) {
        returnedRows.add(change.newRow() != null ? change.newRow() : change.oldRow());
      }
    }
    Deque<List<Change>> work = new ArrayDeque<>();
    work.add(changes);
    while (!work.isEmpty()) {
      List<Change> batch = work.poll();
      List<Change> cascades = new ArrayList<>();
      for (Change change : batch) {
        checkParents(change);
        collectChildren(change, cascades);
      }
      if (!cascades.isEmpty()) {
        cascadedRows += cascades.size();
        if (cascadedRows > CASCADE_ROWS_MAX) {
          throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "foreign key actions of this statement change more than "
              + CASCADE_ROWS_MAX + " rows; delete the referencing rows in smaller statements first");
        }
        apply(cascades);
        work.add(cascades);
      }
    }
    flush();
  }

  /**
   * Puts changes into {@link #pending}: first every key and index entry the changes vacate, then
   * every new one, checking the primary key and unique indexes, so that e.g. {@code SET id = id + 1}
   * does not collide with rows the same statement moves away.
   */
  private void apply(List<Change> changes) {
    for (Change change : changes) {
      if (change.oldRow() == null) {
        continue;
      }
      TableLayout layout = change.table().layout();
      byte[] oldKey = layout.rowKey(change.oldRow());
      byte[] newKey = change.newRow() == null ? null : layout.rowKey(change.newRow());
      boolean keyChanged = newKey == null || !Arrays.equals(oldKey, newKey);
      if (keyChanged) {
        pending.put(oldKey, DELETED);
      }
      for (IndexLayout index : layout.indexes()) {
        byte[] oldEntry = index.entryKey(change.oldRow());
        if (keyChanged || !Arrays.equals(oldEntry, index.entryKey(change.newRow()))) {
          pending.put(oldEntry, DELETED);
        }
      }
    }
    for (Change change : changes) {
      if (change.newRow() == null) {
        continue;
      }
      TableLayout layout = change.table().layout();
      byte[] newKey = layout.rowKey(change.newRow());
      byte[] oldKey = change.oldRow() == null ? null : layout.rowKey(change.oldRow());
      boolean keyChanged = oldKey == null || !Arrays.equals(oldKey, newKey);
      if (keyChanged && read(newKey) != null) {
        throw new ShaleException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \""
            + change.table().definition().name() + "_pkey\": key " + describePrimaryKey(change.table(), change.newRow())
            + " already exists");
      }
      pending.put(newKey, layout.encodeRow(change.newRow()));
      for (IndexLayout index : layout.indexes()) {
        byte[] newEntry = index.entryKey(change.newRow());
        if (!keyChanged && Arrays.equals(newEntry, index.entryKey(change.oldRow()))) {
          continue;
        }
        if (index.enforcesUniqueness(change.newRow()) && read(newEntry) != null) {
          throw new ShaleException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \""
              + index.definition().name() + "\": key " + index.describe(change.newRow()) + " already exists");
        }
        pending.put(newEntry, newKey);
      }
    }
  }

  /** A new or changed row's foreign keys must each find their parent row. */
  private void checkParents(Change change) {
    if (change.newRow() == null) {
      return;
    }
    for (ForeignKeyLink link : rules.foreignKeys(change.table())) {
      Object[] row = change.newRow();
      if (!link.references(row) || (change.oldRow() != null && !link.childKeyChanged(change.oldRow(), row))) {
        continue;
      }
      byte[] parentKey = link.parentKey(row);
      if (parentKey == null || read(parentKey) == null) {
        throw new ShaleException(SqlState.FOREIGN_KEY_VIOLATION, "insert or update on table \""
            + change.table().definition().name() + "\" violates foreign key constraint \"" + link.definition().name()
            + "\": key " + link.describeChildKey(row) + " is not present in table \"" + link.parent().definition().name()
            + "\"");
      }
    }
  }

  /**
   * A deleted row's children are deleted (CASCADE), detached (SET NULL) or keep the delete from
   * happening; a changed referenced key with children always fails (ShaleDB has no ON UPDATE actions).
   */
  private void collectChildren(Change change, List<Change> cascades) {
    if (change.oldRow() == null) {
      return;
    }
    for (ForeignKeyLink link : rules.referencing(change.table())) {
      Object[] parentRow = change.oldRow();
      if (!link.referenceable(parentRow) || (change.newRow() != null && !link.parentKeyChanged(parentRow, change.newRow()))) {
        continue;
      }
      List<Object[]> children = children(link, parentRow);
      if (children.isEmpty()) {
        continue;
      }
      ForeignKeyDef.OnDelete action = link.definition().onDelete();
      if (change.newRow() != null || action == ForeignKeyDef.OnDelete.NO_ACTION || action == ForeignKeyDef.OnDelete.RESTRICT) {
        throw new ShaleException(SqlState.FOREIGN_KEY_VIOLATION, "update or delete on table \""
            + change.table().definition().name() + "\" violates foreign key constraint \"" + link.definition().name()
            + "\" on table \"" + link.child().definition().name() + "\": key " + link.describeParentKey(parentRow)
            + " is still referenced from table \"" + link.child().definition().name() + "\"");
      }
      for (Object[] child : children) {
        if (action == ForeignKeyDef.OnDelete.CASCADE) {
          cascades.add(new Change(link.child(), child, null));
        } else {
          Object[] detached = child.clone();
          for (int column : link.childColumns()) {
            detached[column] = null;
          }
          checkColumns(link.child(), detached);
          checkConditions(link.child(), detached);
          cascades.add(new Change(link.child(), child, detached));
        }
      }
    }
  }

  /** The rows of {@code link}'s child table that reference {@code parentRow}, as this statement sees them. */
  private List<Object[]> children(ForeignKeyLink link, Object[] parentRow) {
    byte[] prefix = link.childPrefix(parentRow);
    if (prefix == null) {
      return List.of();
    }
    TableLayout childLayout = link.child().layout();
    List<Object[]> rows = new ArrayList<>();
    for (byte[] value : scanPrefix(prefix).values()) {
      byte[] rowValue = link.childLookupUsesIndex() ? read(value) : value;
      if (rowValue == null) {
        throw new IllegalStateException("index entry of table " + link.child().definition().name() + " points to a missing row");
      }
      Object[] child = childLayout.decodeRow(rowValue);
      if (link.childLookupScansTable() && !link.isChildOf(child, parentRow)) {
        continue;
      }
      rows.add(child);
    }
    return rows;
  }

  /** The value of {@code key} as this statement sees it. */
  private byte[] read(byte[] key) {
    byte[] mine = pending.get(key);
    if (mine != null) {
      return mine == DELETED ? null : mine;
    }
    return txn.get(key);
  }

  /**
   * The entries under {@code prefix} as this statement sees them, in key order.
   *
   * @throws ShaleException 54000 if storage holds more than {@link #CASCADE_ROWS_MAX} of them
   */
  private NavigableMap<byte[], byte[]> scanPrefix(byte[] prefix) {
    NavigableMap<byte[], byte[]> entries = new TreeMap<>(ByteArrays.UNSIGNED);
    ScanSpec spec = ScanSpec.withPrefix(prefix).withLimit(CASCADE_ROWS_MAX + 1L);
    try (KvCursor cursor = txn.scan(spec)) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        entries.put(entry.key(), entry.value());
      }
    }
    if (entries.size() > CASCADE_ROWS_MAX) {
      throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "a foreign key check would read more than "
          + CASCADE_ROWS_MAX + " rows; delete the referencing rows in smaller statements first");
    }
    for (Map.Entry<byte[], byte[]> mine : pending.subMap(spec.startInclusive(), true, spec.endExclusive(), false).entrySet()) {
      if (mine.getValue() == DELETED) {
        entries.remove(mine.getKey());
      } else {
        entries.put(mine.getKey(), mine.getValue());
      }
    }
    return entries;
  }

  private void flush() {
    for (Map.Entry<byte[], byte[]> write : pending.entrySet()) {
      if (write.getValue() == DELETED) {
        txn.delete(write.getKey());
      } else {
        txn.put(write.getKey(), write.getValue());
      }
    }
    pending.clear();
  }

  private void generate(Object[] row) {
    SequenceAllocator sequence = table.sequence();
    TableDef definition = table.definition();
    for (int i = 0; i < row.length; i++) {
      ColumnDef column = definition.columns().get(i);
      if (!column.generation().generates()) {
        continue;
      }
      if (row[i] == null) {
        row[i] = convertGenerated(sequence.nextValue(), column);
      } else if (column.generation() == ColumnDef.Generation.ALWAYS) {
        throw new ShaleException(SqlState.GENERATED_ALWAYS, "cannot insert a value into column \"" + column.name()
            + "\": it is GENERATED ALWAYS AS IDENTITY");
      } else {
        sequence.observe(((Number) row[i]).longValue());
      }
    }
  }

  private static Object convertGenerated(long value, ColumnDef column) {
    return switch (column.type().storage()) {
      case SMALLINT -> {
        if (value > Short.MAX_VALUE) {
          throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "sequence of column \"" + column.name() + "\" exhausted");
        }
        yield (short) value;
      }
      case INTEGER -> {
        if (value > Integer.MAX_VALUE) {
          throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "sequence of column \"" + column.name() + "\" exhausted");
        }
        yield (int) value;
      }
      case BIGINT -> value;
      case DECIMAL -> BigDecimal.valueOf(value);
      default -> throw new IllegalStateException("generated column of type " + column.type().storage());
    };
  }

  private void checkConditions(ShaleTable target, Object[] row) {
    CheckEvaluator checks = rules.checks(target);
    if (checks != null) {
      checks.check(row);
    }
  }

  /** Checks and normalizes each value for its column, in place. */
  private static void checkColumns(ShaleTable target, Object[] row) {
    TableDef definition = target.definition();
    for (int i = 0; i < row.length; i++) {
      row[i] = checkedValue(definition.columns().get(i), definition.name(), row[i]);
    }
  }

  /**
   * {@code value} checked against its column (NOT NULL, length, precision) and normalized (DECIMAL
   * scale).
   */
  public static Object checkedValue(ColumnDef column, String tableName, Object value) {
    if (value == null) {
      if (!column.nullable()) {
        throw new ShaleException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + column.name()
            + "\" of table \"" + tableName + "\" violates not-null constraint");
      }
      return null;
    }
    SqlColumnType type = column.type();
    if (type.hasMaxLength()) {
      String text = (String) value;
      if (text.codePointCount(0, text.length()) > type.precision()) {
        throw new ShaleException(SqlState.STRING_DATA_RIGHT_TRUNCATION, "value too long for type " + type.display()
            + " in column \"" + column.name() + "\" (" + text.codePointCount(0, text.length()) + " characters)");
      }
    } else if (value instanceof BigDecimal decimal) {
      return fitDecimal(decimal, column);
    }
    return value;
  }

  private static BigDecimal fitDecimal(BigDecimal value, ColumnDef column) {
    SqlColumnType type = column.type();
    BigDecimal scaled = value.setScale(Math.max(type.scale(), 0), RoundingMode.HALF_UP);
    int integerDigits = scaled.precision() - scaled.scale();
    if (type.precision() != SqlColumnType.UNSPECIFIED && integerDigits > type.precision() - Math.max(type.scale(), 0)) {
      throw new ShaleException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow: " + value
          + " does not fit " + type.display() + " in column \"" + column.name() + "\"");
    }
    return scaled;
  }

  private static String describePrimaryKey(ShaleTable target, Object[] row) {
    TableDef definition = target.definition();
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner values = new StringJoiner(", ", "(", ")");
    for (int column : definition.primaryKey()) {
      names.add(definition.columns().get(column).name());
      values.add(String.valueOf(row[column]));
    }
    return names + "=" + values;
  }
}
