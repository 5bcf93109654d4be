package io.shaledb.sql.backup;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.Keyspaces;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * One keyspace's entries in a backup: a stream that is written and read front to back, never
 * held in memory whole.
 *
 * <pre>
 *   "SHALEKV" 0x01            magic and data file format version (8 bytes)
 *   int32 keyspace id         big-endian
 *   zlib stream of records:
 *     0x01 varint n, n bytes key (without the 4-byte keyspace prefix), varint m, m bytes value   put
 *     0x02 varint n, n bytes key                                                                   delete
 *     0x00 varint64 record count                                                                   end
 * </pre>
 *
 * A full backup holds only puts, in ascending key order; an incremental one holds puts and
 * deletes (what changed since its parent), also in ascending key order. The end record lets a
 * reader tell a complete file from a truncated one even without the manifest's checksum.
 */
final class DataFile {
  static final byte[] MAGIC = "SHALEKV\u0001".getBytes(StandardCharsets.ISO_8859_1);
  private static final int PUT = 1;
  private static final int DELETE = 2;
  private static final int END = 0;
  /** Larger keys or values are refused as corruption rather than allocated. */
  static final int MAX_FIELD_BYTES = 64 << 20;

  private DataFile() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Writes one data file; {@link #finish} returns its size and checksum. Not thread-safe. */
  static final class Writer implements AutoCloseable {
    private final OutputStream file;
    private final MessageDigest digest = sha256();
    private final CountingOutputStream counted;
    private final DataOutputStream out;
    private final int keyspaceId;
    private long records;
    private boolean finished;

    Writer(Path path, int keyspaceId) throws IOException {
      this.keyspaceId = keyspaceId;
      this.file = Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      this.counted = new CountingOutputStream(new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), digest));
      counted.write(MAGIC);
      new DataOutputStream(counted).writeInt(keyspaceId);
      this.out = new DataOutputStream(new BufferedOutputStream(
          new DeflaterOutputStream(counted, new Deflater(Deflater.BEST_SPEED), 1 << 16), 1 << 16));
    }

    void put(byte[] key, byte[] value) throws IOException {
      out.writeByte(PUT);
      writeKey(key);
      writeVarLong(out, value.length);
      out.write(value);
      records++;
    }

    void delete(byte[] key) throws IOException {
      out.writeByte(DELETE);
      writeKey(key);
      records++;
    }

    private void writeKey(byte[] key) throws IOException {
      assert Keyspaces.keyspaceOf(key) == keyspaceId : "key of another keyspace";
      writeVarLong(out, key.length - Keyspaces.PREFIX_BYTES);
      out.write(key, Keyspaces.PREFIX_BYTES, key.length - Keyspaces.PREFIX_BYTES);
    }

    long records() {
      return records;
    }

    /** Writes the end record, closes the file and returns what the manifest records of it. */
    Written finish() throws IOException {
      out.writeByte(END);
      writeVarLong(out, records);
      out.close(); // finishes the zlib stream and closes the file
      finished = true;
      return new Written(counted.count, hex(digest.digest()), records);
    }

    @Override
    public void close() throws IOException {
      if (!finished) {
        file.close();
      }
    }
  }

  /** Size in bytes, SHA-256 and record count of a finished data file. */
  record Written(long bytes, String sha256, long records) {}

  /** Receives a data file's records in order. */
  interface Visitor {
    void put(byte[] key, byte[] value) throws IOException;

    void delete(byte[] key) throws IOException;
  }

  /**
   * Reads the data file at {@code path}, whose checksum was verified before, giving each record
   * to {@code visitor} with its whole key (keyspace prefix of {@code targetKeyspaceId}). Returns
   * the number of records.
   *
   * @throws ShaleException XX001 if the file is not a complete data file of {@code keyspaceId}
   */
  static long read(Path path, int keyspaceId, int targetKeyspaceId, Visitor visitor) throws IOException {
    byte[] prefix = Keyspaces.prefix(targetKeyspaceId);
    try (InputStream file = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      DataInputStream header = new DataInputStream(file);
      byte[] magic = new byte[MAGIC.length];
      header.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw corrupt(path, "it is not a ShaleDB backup data file of format 1");
      }
      int stored = header.readInt();
      if (stored != keyspaceId) {
        throw corrupt(path, "it holds keyspace " + stored + ", the manifest says " + keyspaceId);
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(new InflaterInputStream(file), 1 << 16));
      long records = 0;
      while (true) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case PUT -> visitor.put(readKey(in, prefix, path), readField(in, path));
          case DELETE -> visitor.delete(readKey(in, prefix, path));
          case END -> {
            long count = readVarLong(in);
            if (count != records) {
              throw corrupt(path, "its end record counts " + count + " records, it holds " + records);
            }
            return records;
          }
          default -> throw corrupt(path, "unknown record tag " + tag);
        }
        records++;
      }
    } catch (EOFException | java.util.zip.ZipException e) {
      throw corrupt(path, "it ends before its end record (" + e.getMessage() + ")");
    }
  }

  private static byte[] readKey(DataInputStream in, byte[] prefix, Path path) throws IOException {
    byte[] suffix = readField(in, path);
    byte[] key = Arrays.copyOf(prefix, prefix.length + suffix.length);
    System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
    return key;
  }

  private static byte[] readField(DataInputStream in, Path path) throws IOException {
    long length = readVarLong(in);
    if (length < 0 || length > MAX_FIELD_BYTES) {
      throw corrupt(path, "impossible field length " + length);
    }
    byte[] bytes = new byte[(int) length];
    in.readFully(bytes);
    return bytes;
  }

  static ShaleException corrupt(Path path, String why) {
    return new ShaleException(SqlState.DATA_CORRUPTED, "backup file " + path + " is damaged: " + why);
  }

  static void writeVarLong(DataOutputStream out, long value) throws IOException {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  static long readVarLong(DataInputStream in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("varint longer than 10 bytes");
  }

  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
