package io.shaledb.sql.catalog;

import io.shaledb.kv.encoding.ColumnType;
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
  /** Version 2 appends the secondary indexes; version 1 entries (no indexes) are still read. */
  private static final int FORMAT_VERSION = 2;
  private static final int FORMAT_VERSION_WITHOUT_INDEXES = 1;

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
      out.writeInt(table.indexes().size());
      for (IndexDef index : table.indexes()) {
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static TableDef decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT_VERSION && format != FORMAT_VERSION_WITHOUT_INDEXES) {
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
      List<IndexDef> indexes = new ArrayList<>();
      if (format >= FORMAT_VERSION) {
        int indexCount = in.readInt();
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
      }
      return new TableDef(tableId, name, columns, primaryKey, uniques, foreignKeys, checks, shardCount, schemaVersion,
          indexes);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt catalog entry", e);
    }
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
