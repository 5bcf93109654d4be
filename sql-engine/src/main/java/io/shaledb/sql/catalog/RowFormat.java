package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a table's columns map onto the slots of its stored rows, so that schema changes need no
 * rewrite of existing rows.
 *
 * <p>Every column ever added owns one slot; slots are never reused. {@code DROP COLUMN} hides the
 * slot (its values stay in old rows and are skipped when reading), {@code ADD COLUMN} appends a
 * slot (old rows lack it and read NULL, or the column's {@link SlotDefault} if it was added with
 * a DEFAULT). Renames change no slot.
 *
 * @param slotTypes the storage type of every slot, in slot order, including hidden ones
 * @param columnSlots the slot of each visible column, in column order
 * @param slotDefaults what rows written before a slot existed read in it; slots without an entry read NULL
 */
public record RowFormat(List<ColumnType> slotTypes, List<Integer> columnSlots, List<SlotDefault> slotDefaults) {

  /**
   * The value of slot {@code slot} in rows written with a schema version below
   * {@code sinceSchemaVersion}: the DEFAULT of a column added by ALTER TABLE, evaluated once.
   *
   * @param value non-null, in the slot type's storage representation
   */
  public record SlotDefault(int slot, int sinceSchemaVersion, Object value) {
    public SlotDefault {
      Objects.requireNonNull(value, "value");
      if (slot < 0 || sinceSchemaVersion < 0) {
        throw new IllegalArgumentException("negative slot or schema version");
      }
    }
  }

  public RowFormat {
    slotTypes = List.copyOf(slotTypes);
    columnSlots = List.copyOf(columnSlots);
    slotDefaults = List.copyOf(slotDefaults);
    Set<Integer> seen = new HashSet<>();
    for (int slot : columnSlots) {
      if (slot < 0 || slot >= slotTypes.size() || !seen.add(slot)) {
        throw new IllegalArgumentException("column slots must be distinct slots: " + columnSlots);
      }
    }
    for (SlotDefault slotDefault : slotDefaults) {
      if (slotDefault.slot() >= slotTypes.size()) {
        throw new IllegalArgumentException("default for missing slot " + slotDefault.slot());
      }
    }
  }

  /** The format of a new table: column {@code i} in slot {@code i}. */
  public static RowFormat identity(List<ColumnDef> columns) {
    List<Integer> slots = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      slots.add(i);
    }
    return new RowFormat(columns.stream().map(c -> c.type().storage()).toList(), slots, List.of());
  }

  /** Whether rows are stored exactly as the columns are (no hidden slot, no backfilled default). */
  public boolean isIdentity() {
    if (slotTypes.size() != columnSlots.size() || !slotDefaults.isEmpty()) {
      return false;
    }
    for (int i = 0; i < columnSlots.size(); i++) {
      if (columnSlots.get(i) != i) {
        return false;
      }
    }
    return true;
  }

  /** This format with a new slot of {@code type} for a column appended at the end. */
  public RowFormat withAddedColumn(ColumnType type, SlotDefault defaultForOldRows) {
    List<ColumnType> types = new ArrayList<>(slotTypes);
    types.add(type);
    List<Integer> slots = new ArrayList<>(columnSlots);
    slots.add(types.size() - 1);
    List<SlotDefault> defaults = new ArrayList<>(slotDefaults);
    if (defaultForOldRows != null) {
      defaults.add(defaultForOldRows);
    }
    return new RowFormat(types, slots, defaults);
  }

  /**
   * This format with a new slot of {@code type} for a column placed before the last column: how a
   * table keeps its hidden row id last ({@link TableDef#HIDDEN_ROW_ID}).
   */
  public RowFormat withAddedColumnBeforeLast(ColumnType type, SlotDefault defaultForOldRows) {
    RowFormat appended = withAddedColumn(type, defaultForOldRows);
    List<Integer> slots = new ArrayList<>(appended.columnSlots);
    slots.add(slots.size() - 2, slots.remove(slots.size() - 1));
    return new RowFormat(appended.slotTypes, slots, appended.slotDefaults);
  }

  /** The next slot {@link #withAddedColumn} would allocate. */
  public int nextSlot() {
    return slotTypes.size();
  }

  /** This format without visible column {@code column}; its slot stays allocated and hidden. */
  public RowFormat withoutColumn(int column) {
    List<Integer> slots = new ArrayList<>(columnSlots);
    slots.remove(column);
    return new RowFormat(slotTypes, slots, slotDefaults);
  }
}
