package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.RowCodec;
import io.shaledb.kv.encoding.SortOrder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The persistent form of a {@link TableDef}. Explicit and versioned rather than Java serialization,
 * so that the format survives refactoring and a newer ShaleDB can read what an older one wrote.
 */
final class CatalogCodec {
  /**
   * Version 3 appends the row format (ALTER TABLE) and then the secondary indexes to version 1;
   * version 1 entries (identity row format, no indexes) still decode. Version 2 was used by two
   * development lines for different layouts (one with the row format, one with the indexes), never
   * released, and is refused rather than guessed.
   */
  private static final int FORMAT_VERSION = 3;
  private static final int FORMAT_VERSION_ORIGINAL = 1;
  private static final int FORMAT_VERSION_UNRELEASED = 2;
  private static final int VIEW_FORMAT_VERSION = 1;
  private static final int SEQUENCE_FORMAT_VERSION = 1;

  private CatalogCodec() {}

  static byte[] encode(TableDef table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeInt(table.tableId());
      out.writeUTF(table.name());
      out.writeInt(table.shardCount());
      out.writeInt(table.schemaVersion());
      out.writeInt(table.columns().size());
      for (ColumnDef column : table.columns()) {
        out.writeUTF(column.name());
        out.writeUTF(column.type().storage().name());
        out.writeUTF(column.type().declaredName());
        out.writeInt(column.type().precision());
        out.writeInt(column.type().scale());
        out.writeBoolean(column.nullable());
        writeNullableString(out, column.defaultSql());
        out.writeUTF(column.generation().name());
      }
      writeInts(out, table.primaryKey());
      out.writeInt(table.uniqueConstraints().size());
      for (UniqueDef unique : table.uniqueConstraints()) {
        out.writeUTF(unique.name());
        writeStrings(out, unique.columns());
      }
      out.writeInt(table.foreignKeys().size());
      for (ForeignKeyDef fk : table.foreignKeys()) {
        out.writeUTF(fk.name());
        writeStrings(out, fk.columns());
        out.writeUTF(fk.referencedTable());
        writeStrings(out, fk.referencedColumns());
        out.writeUTF(fk.onDelete().name());
      }
      out.writeInt(table.checks().size());
      for (CheckDef check : table.checks()) {
        out.writeUTF(check.name());
        out.writeUTF(check.conditionSql());
      }
      writeRowFormat(out, table.rowFormat());
      writeIndexes(out, table.indexes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static TableDef decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format == FORMAT_VERSION_UNRELEASED) {
        throw new IllegalStateException("catalog entry has format version 2, written by an unreleased development "
            + "build of ShaleDB; recreate the database");
      }
      if (format != FORMAT_VERSION && format != FORMAT_VERSION_ORIGINAL) {
        throw new IllegalStateException("catalog entry has unknown format version " + format);
      }
      int tableId = in.readInt();
      String name = in.readUTF();
      int shardCount = in.readInt();
      int schemaVersion = in.readInt();
      int columnCount = in.readInt();
      List<ColumnDef> columns = new ArrayList<>(columnCount);
      for (int i = 0; i < columnCount; i++) {
        String columnName = in.readUTF();
        ColumnType storage = ColumnType.valueOf(in.readUTF());
        String declaredName = in.readUTF();
        int precision = in.readInt();
        int scale = in.readInt();
        boolean nullable = in.readBoolean();
        String defaultSql = readNullableString(in);
        ColumnDef.Generation generation = ColumnDef.Generation.valueOf(in.readUTF());
        columns.add(new ColumnDef(columnName, new SqlColumnType(storage, declaredName, precision, scale), nullable, defaultSql, generation));
      }
      List<Integer> primaryKey = readInts(in);
      int uniqueCount = in.readInt();
      List<UniqueDef> uniques = new ArrayList<>(uniqueCount);
      for (int i = 0; i < uniqueCount; i++) {
        uniques.add(new UniqueDef(in.readUTF(), readStrings(in)));
      }
      int fkCount = in.readInt();
      List<ForeignKeyDef> foreignKeys = new ArrayList<>(fkCount);
      for (int i = 0; i < fkCount; i++) {
        String fkName = in.readUTF();
        List<String> fkColumns = readStrings(in);
        String referencedTable = in.readUTF();
        List<String> referencedColumns = readStrings(in);
        ForeignKeyDef.OnDelete onDelete = ForeignKeyDef.OnDelete.valueOf(in.readUTF());
        foreignKeys.add(new ForeignKeyDef(fkName, fkColumns, referencedTable, referencedColumns, onDelete));
      }
      int checkCount = in.readInt();
      List<CheckDef> checks = new ArrayList<>(checkCount);
      for (int i = 0; i < checkCount; i++) {
        checks.add(new CheckDef(in.readUTF(), in.readUTF()));
      }
      if (format == FORMAT_VERSION_ORIGINAL) {
        return new TableDef(tableId, name, columns, primaryKey, uniques, foreignKeys, checks, shardCount, schemaVersion);
      }
      RowFormat rowFormat = readRowFormat(in);
      List<IndexDef> indexes = readIndexes(in);
      return new TableDef(tableId, name, columns, primaryKey, uniques, foreignKeys, checks, shardCount, schemaVersion,
          rowFormat, indexes);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt catalog entry", e);
    }
  }

  static byte[] encodeView(ViewDef view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VIEW_FORMAT_VERSION);
      out.writeUTF(view.name());
      writeLongString(out, view.sql());
      writeStrings(out, view.columnNames());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ViewDef decodeView(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != VIEW_FORMAT_VERSION) {
        throw new IllegalStateException("catalog view entry has unknown format version " + format);
      }
      return new ViewDef(in.readUTF(), readLongString(in), readStrings(in));
    } catch (IOException e) {
      throw new IllegalStateException("corrupt catalog view entry", e);
    }
  }

  static byte[] encodeSequence(SequenceDef sequence) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(SEQUENCE_FORMAT_VERSION);
      out.writeInt(sequence.sequenceId());
      out.writeUTF(sequence.name());
      out.writeUTF(sequence.dataType());
      out.writeLong(sequence.start());
      out.writeLong(sequence.increment());
      out.writeLong(sequence.minValue());
      out.writeLong(sequence.maxValue());
      out.writeLong(sequence.cache());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static SequenceDef decodeSequence(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != SEQUENCE_FORMAT_VERSION) {
        throw new IllegalStateException("catalog sequence entry has unknown format version " + format);
      }
      return new SequenceDef(in.readInt(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
          in.readLong(), in.readLong());
    } catch (IOException e) {
      throw new IllegalStateException("corrupt catalog sequence entry", e);
    }
  }

  private static void writeRowFormat(DataOutputStream out, RowFormat format) throws IOException {
    out.writeInt(format.slotTypes().size());
    for (ColumnType type : format.slotTypes()) {
      out.writeUTF(type.name());
    }
    writeInts(out, format.columnSlots());
    out.writeInt(format.slotDefaults().size());
    for (RowFormat.SlotDefault slotDefault : format.slotDefaults()) {
      out.writeInt(slotDefault.slot());
      out.writeInt(slotDefault.sinceSchemaVersion());
      // The value in the row encoding of its slot's type: exact for every type, and already tested.
      byte[] value = new RowCodec(List.of(format.slotTypes().get(slotDefault.slot()))).encode(0, new Object[] {slotDefault.value()});
      out.writeInt(value.length);
      out.write(value);
    }
  }

  private static RowFormat readRowFormat(DataInputStream in) throws IOException {
    int slotCount = in.readInt();
    List<ColumnType> types = new ArrayList<>(slotCount);
    for (int i = 0; i < slotCount; i++) {
      types.add(ColumnType.valueOf(in.readUTF()));
    }
    List<Integer> columnSlots = readInts(in);
    int defaultCount = in.readInt();
    List<RowFormat.SlotDefault> defaults = new ArrayList<>(defaultCount);
    for (int i = 0; i < defaultCount; i++) {
      int slot = in.readInt();
      int since = in.readInt();
      byte[] value = new byte[in.readInt()];
      in.readFully(value);
      defaults.add(new RowFormat.SlotDefault(slot, since, new RowCodec(List.of(types.get(slot))).decode(value)[0]));
    }
    return new RowFormat(types, columnSlots, defaults);
  }

  private static void writeIndexes(DataOutputStream out, List<IndexDef> indexes) throws IOException {
    out.writeInt(indexes.size());
    for (IndexDef index : indexes) {
      out.writeUTF(index.name());
      out.writeInt(index.indexId());
      writeStrings(out, index.columns());
      for (SortOrder order : index.orders()) {
        out.writeUTF(order.name());
      }
      out.writeBoolean(index.unique());
      out.writeUTF(index.origin().name());
      out.writeBoolean(index.ready());
    }
  }

  private static List<IndexDef> readIndexes(DataInputStream in) throws IOException {
    int indexCount = in.readInt();
    List<IndexDef> indexes = new ArrayList<>(indexCount);
    for (int i = 0; i < indexCount; i++) {
      String indexName = in.readUTF();
      int indexId = in.readInt();
      List<String> indexColumns = readStrings(in);
      List<SortOrder> orders = new ArrayList<>(indexColumns.size());
      for (int c = 0; c < indexColumns.size(); c++) {
        orders.add(SortOrder.valueOf(in.readUTF()));
      }
      boolean unique = in.readBoolean();
      IndexDef.Origin origin = IndexDef.Origin.valueOf(in.readUTF());
      boolean ready = in.readBoolean();
      indexes.add(new IndexDef(indexName, indexId, indexColumns, orders, unique, origin, ready));
    }
    return indexes;
  }

  /** View texts can exceed writeUTF's 64 KiB limit. */
  private static void writeLongString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readLongString(DataInputStream in) throws IOException {
    byte[] utf8 = new byte[in.readInt()];
    in.readFully(utf8);
    return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void writeNullableString(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  private static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
    out.writeInt(values.size());
    for (int value : values) {
      out.writeInt(value);
    }
  }

  private static List<Integer> readInts(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<Integer> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(in.readInt());
    }
    return values;
  }

  private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String value : values) {
      out.writeUTF(value);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(in.readUTF());
    }
    return values;
  }
}
