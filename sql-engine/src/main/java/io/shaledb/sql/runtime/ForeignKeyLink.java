package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.ddl.DdlExecutor;
import io.shaledb.sql.schema.IndexLayout;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.schema.TableLayout;

/**
 * One foreign key resolved against a schema snapshot: how a child row finds its parent (a point
 * get by the parent's primary key, or a get of the parent's unique-index entry) and how a parent
 * row finds its children (a primary-key prefix range of the child, or a prefix range of an index
 * that starts with the foreign key's columns). Immutable.
 */
public final class ForeignKeyLink {
  private final ForeignKeyDef fk;
  private final ShaleTable child;
  private final ShaleTable parent;
  /** Child column index per foreign key position. */
  private final int[] childColumns;
  /** Parent column index per foreign key position. */
  private final int[] parentColumns;
  /** The parent's unique index on the referenced columns, or null when they are its primary key. */
  private final IndexLayout parentIndex;
  /** For the parent lookup: the foreign key position of each primary key / index column. */
  private final int[] parentLookupOrder;
  /** The child's index that starts with the foreign key columns, or null when its primary key does. */
  private final IndexLayout childIndex;
  /** For the child lookup: the foreign key position of each leading key / index column. */
  private final int[] childLookupOrder;

  public ForeignKeyLink(ForeignKeyDef fk, ShaleTable child, ShaleTable parent) {
    this.fk = fk;
    this.child = child;
    this.parent = parent;
    TableDef childDef = child.definition();
    TableDef parentDef = parent.definition();
    int width = fk.columns().size();
    childColumns = new int[width];
    parentColumns = new int[width];
    for (int i = 0; i < width; i++) {
      childColumns[i] = childDef.columnIndex(fk.columns().get(i));
      parentColumns[i] = parentDef.columnIndex(fk.referencedColumns().get(i));
    }
    if (DdlExecutor.startsWith(parentDef.primaryKeyNames(), fk.referencedColumns())
        && parentDef.primaryKey().size() == width) {
      parentIndex = null;
      parentLookupOrder = positions(parentDef.primaryKeyNames(), fk.referencedColumns(), width);
    } else {
      parentIndex = findIndex(parent.layout(), fk.referencedColumns(), true);
      // Only catalogs written before unique indexes existed (format 1) lack one; see parentKey.
      parentLookupOrder = parentIndex == null ? null
          : positions(parentIndex.definition().columns(), fk.referencedColumns(), width);
    }
    if (DdlExecutor.startsWith(childDef.primaryKeyNames(), fk.columns())) {
      childIndex = null;
      childLookupOrder = positions(childDef.primaryKeyNames(), fk.columns(), width);
    } else {
      childIndex = findIndex(child.layout(), fk.columns(), false);
      // Without an index (tables created before ShaleDB made one per foreign key) children are
      // found by scanning the child table; see childPrefix.
      childLookupOrder = childIndex == null ? null : positions(childIndex.definition().columns(), fk.columns(), width);
    }
  }

  ForeignKeyDef definition() {
    return fk;
  }

  ShaleTable child() {
    return child;
  }

  ShaleTable parent() {
    return parent;
  }

  int[] childColumns() {
    return childColumns.clone();
  }

  /** Whether the child's lookup returns index entries (value = row key) rather than rows. */
  boolean childLookupUsesIndex() {
    return childIndex != null;
  }

  /** Whether the rows under {@link #childPrefix} may include rows of other parents, to be filtered by {@link #isChildOf}. */
  boolean childLookupScansTable() {
    return childIndex == null && childLookupOrder == null;
  }

  /** Whether {@code childRow} references {@code parentRow}. */
  boolean isChildOf(Object[] childRow, Object[] parentRow) {
    for (int i = 0; i < childColumns.length; i++) {
      ColumnType parentType = parent.definition().columns().get(parentColumns[i]).type().storage();
      if (!java.util.Objects.equals(KeyValues.convert(childRow[childColumns[i]], parentType), parentRow[parentColumns[i]])) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code childRow} references anything: SQL's MATCH SIMPLE ignores rows with a NULL in the key. */
  boolean references(Object[] childRow) {
    return !anyNull(childRow, childColumns);
  }

  /** Whether a child row may reference {@code parentRow}: none of its referenced values is NULL. */
  boolean referenceable(Object[] parentRow) {
    return !anyNull(parentRow, parentColumns);
  }

  boolean childKeyChanged(Object[] oldRow, Object[] newRow) {
    return changed(oldRow, newRow, childColumns);
  }

  boolean parentKeyChanged(Object[] oldRow, Object[] newRow) {
    return changed(oldRow, newRow, parentColumns);
  }

  /** The key that holds {@code childRow}'s parent (a row or a unique-index entry), or null if none can exist. */
  byte[] parentKey(Object[] childRow) {
    if (parentLookupOrder == null) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "foreign key \"" + fk.name() + "\" references a UNIQUE "
          + "constraint of \"" + parent.definition().name() + "\" created before ShaleDB enforced them; recreate that table");
    }
    ColumnType[] types = new ColumnType[parentLookupOrder.length];
    Object[] values = new Object[parentLookupOrder.length];
    TableLayout layout = parent.layout();
    for (int i = 0; i < values.length; i++) {
      types[i] = parentIndex == null ? layout.primaryKeyType(i) : parentIndex.columnType(i);
      values[i] = KeyValues.convert(childRow[childColumns[parentLookupOrder[i]]], types[i]);
      if (values[i] == null) {
        return null;
      }
    }
    return parentIndex == null ? layout.keyPrefix(values) : parentIndex.prefix(values);
  }

  /** The key prefix under which the child rows (or child index entries) of {@code parentRow} live, or null if none can. */
  byte[] childPrefix(Object[] parentRow) {
    if (childLookupScansTable()) {
      return Keyspaces.prefix(child.layout().keyspaceId());
    }
    Object[] values = new Object[childLookupOrder.length];
    TableLayout layout = child.layout();
    for (int i = 0; i < values.length; i++) {
      ColumnType type = childIndex == null ? layout.primaryKeyType(i) : childIndex.columnType(i);
      values[i] = KeyValues.convert(parentRow[parentColumns[childLookupOrder[i]]], type);
      if (values[i] == null) {
        return null;
      }
    }
    return childIndex == null ? layout.keyPrefix(values) : childIndex.prefix(values);
  }

  String describeChildKey(Object[] childRow) {
    return describe(fk.columns(), childRow, childColumns);
  }

  String describeParentKey(Object[] parentRow) {
    return describe(fk.referencedColumns(), parentRow, parentColumns);
  }

  private static String describe(java.util.List<String> names, Object[] row, int[] columns) {
    java.util.StringJoiner values = new java.util.StringJoiner(", ", "(", ")");
    for (int column : columns) {
      values.add(String.valueOf(row[column]));
    }
    return "(" + String.join(", ", names) + ")=" + values;
  }

  private static IndexLayout findIndex(TableLayout layout, java.util.List<String> columns, boolean unique) {
    IndexLayout best = null;
    for (IndexLayout index : layout.indexes()) {
      IndexDef definition = index.definition();
      if (!definition.ready()) {
        continue;
      }
      if (unique && (!definition.unique() || definition.columns().size() != columns.size())) {
        continue;
      }
      if (!DdlExecutor.startsWith(definition.columns(), columns)) {
        continue;
      }
      // Prefer the index made for this purpose (constraint indexes are complete from the start).
      if (best == null || definition.origin() != IndexDef.Origin.USER) {
        best = index;
      }
    }
    return best;
  }

  /** For each of the first {@code width} key columns, its position in {@code fkColumns}. */
  private static int[] positions(java.util.List<String> keyColumns, java.util.List<String> fkColumns, int width) {
    int[] order = new int[width];
    for (int i = 0; i < width; i++) {
      order[i] = fkColumns.indexOf(keyColumns.get(i));
    }
    return order;
  }

  private static boolean anyNull(Object[] row, int[] columns) {
    for (int column : columns) {
      if (row[column] == null) {
        return true;
      }
    }
    return false;
  }

  private static boolean changed(Object[] oldRow, Object[] newRow, int[] columns) {
    for (int column : columns) {
      if (!java.util.Objects.equals(oldRow[column], newRow[column])) {
        return true;
      }
    }
    return false;
  }
}
