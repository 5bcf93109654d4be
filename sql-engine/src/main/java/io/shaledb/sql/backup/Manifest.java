package io.shaledb.sql.backup;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backup's table of contents, the file {@value #FILE_NAME} in the backup directory. It is written
 * last, after every data file is on disk, so a directory without it is a backup that did not finish.
 *
 * <p>UTF-8 text, one record per line, fields separated by tabs (a tab, newline or backslash inside
 * a field is written as {@code \t}, {@code \n}, {@code \\}):
 *
 * <pre>
 *   shaledb-backup   1                                  format name and version (first line)
 *   kind             full | incremental
 *   snapshot         TIMESTAMP  ISO-INSTANT             the one timestamp every file was read at
 *   parent           PATH  SHA256  TIMESTAMP             incremental only: the backup it continues
 *   users            included | excluded                 users and grants in the catalog file
 *   keyspace         ID  SHARDS  ROLE  NAME  FILE  ENTRIES  RECORDS  BYTES  SHA256
 *   table            NAME  TABLE-ID  ROWS  COLUMNS        the schema, for people: name:TYPE,...
 *   view             NAME
 *   checksum         SHA256                               of every byte before this line (last line)
 * </pre>
 *
 * ROLE is {@code catalog} (the catalog keyspace: definitions, sequences, optionally users),
 * {@code table} or {@code index}. A keyspace line names every keyspace of the database at the
 * snapshot, in an incremental backup too (its file then holds the changes since the parent). ENTRIES
 * is the number of keys in the keyspace at the snapshot (a table's rows), RECORDS the number of
 * records in its file, BYTES and SHA256 the file's size and checksum.
 */
record Manifest(
    Kind kind,
    long snapshotTimestamp,
    Instant snapshotTime,
    Parent parent,
    boolean usersIncluded,
    List<KeyspaceFile> keyspaces,
    List<TableSummary> tables,
    List<String> views) {
  static final String FILE_NAME = "MANIFEST";
  static final String FORMAT_NAME = "shaledb-backup";
  static final int FORMAT_VERSION = 1;

  enum Kind { FULL, INCREMENTAL }

  enum Role { CATALOG, TABLE, INDEX }

  /** The backup an incremental backup continues: where it was, its manifest's checksum, its snapshot. */
  record Parent(String path, String manifestSha256, long snapshotTimestamp) {}

  record KeyspaceFile(int keyspaceId, int shardCount, Role role, String name, String file, long entries, long records,
      long bytes, String sha256) {
    KeyspaceFile {
      Objects.requireNonNull(file, "file");
      if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
        throw new IllegalArgumentException("data file name must be a plain name: " + file);
      }
    }
  }

  record TableSummary(String name, int tableId, long rows, String columns) {}

  Manifest {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.INCREMENTAL) != (parent != null)) {
      throw new IllegalArgumentException("an incremental backup, and only one, has a parent");
    }
    keyspaces = List.copyOf(keyspaces);
    tables = List.copyOf(tables);
    views = List.copyOf(views);
  }

  KeyspaceFile keyspace(int keyspaceId) {
    return keyspaces.stream().filter(k -> k.keyspaceId() == keyspaceId).findFirst().orElse(null);
  }

  byte[] encode() {
    StringBuilder text = new StringBuilder();
    line(text, FORMAT_NAME, Integer.toString(FORMAT_VERSION));
    line(text, "kind", kind.name().toLowerCase());
    line(text, "snapshot", Long.toString(snapshotTimestamp), snapshotTime.toString());
    if (parent != null) {
      line(text, "parent", parent.path(), parent.manifestSha256(), Long.toString(parent.snapshotTimestamp()));
    }
    line(text, "users", usersIncluded ? "included" : "excluded");
    for (KeyspaceFile k : keyspaces) {
      line(text, "keyspace", Integer.toString(k.keyspaceId()), Integer.toString(k.shardCount()),
          k.role().name().toLowerCase(), k.name(), k.file(), Long.toString(k.entries()), Long.toString(k.records()),
          Long.toString(k.bytes()),
          k.sha256());
    }
    for (TableSummary t : tables) {
      line(text, "table", t.name(), Integer.toString(t.tableId()), Long.toString(t.rows()), t.columns());
    }
    for (String view : views) {
      line(text, "view", view);
    }
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    String trailer = "checksum\t" + DataFile.hex(DataFile.sha256().digest(body)) + "\n";
    byte[] all = new byte[body.length + trailer.length()];
    System.arraycopy(body, 0, all, 0, body.length);
    System.arraycopy(trailer.getBytes(StandardCharsets.US_ASCII), 0, all, body.length, trailer.length());
    return all;
  }

  /**
   * Parses a manifest and checks its own checksum.
   *
   * @throws ShaleException XX001 if it is damaged or not a manifest, 0A000 if its format version is newer
   */
  static Manifest decode(byte[] bytes, Path where) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int trailerStart = text.lastIndexOf("checksum\t");
    if (trailerStart < 0 || !text.endsWith("\n")) {
      throw DataFile.corrupt(where, "it has no checksum line (a truncated or foreign file)");
    }
    byte[] body = text.substring(0, trailerStart).getBytes(StandardCharsets.UTF_8);
    String stored = text.substring(trailerStart + "checksum\t".length(), text.length() - 1);
    if (!stored.equals(DataFile.hex(DataFile.sha256().digest(body)))) {
      throw DataFile.corrupt(where, "its checksum does not match its contents");
    }
    try {
      return parse(text.substring(0, trailerStart), where);
    } catch (RuntimeException e) {
      if (e instanceof ShaleException shale) {
        throw shale;
      }
      throw DataFile.corrupt(where, "unreadable record (" + e.getMessage() + ")");
    }
  }

  private static Manifest parse(String body, Path where) {
    Kind kind = null;
    long snapshotTs = -1;
    Instant snapshotTime = null;
    Parent parent = null;
    boolean users = false;
    List<KeyspaceFile> keyspaces = new ArrayList<>();
    List<TableSummary> tables = new ArrayList<>();
    List<String> views = new ArrayList<>();
    String[] lines = body.split("\n");
    if (lines.length == 0 || !lines[0].startsWith(FORMAT_NAME + "\t")) {
      throw DataFile.corrupt(where, "it is not a ShaleDB backup manifest");
    }
    int version = Integer.parseInt(fields(lines[0])[1]);
    if (version != FORMAT_VERSION) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "backup " + where + " has format version " + version
          + "; this ShaleDB reads version " + FORMAT_VERSION);
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = fields(lines[i]);
      switch (f[0]) {
        case "kind" -> kind = Kind.valueOf(f[1].toUpperCase());
        case "snapshot" -> {
          snapshotTs = Long.parseLong(f[1]);
          snapshotTime = Instant.parse(f[2]);
        }
        case "parent" -> parent = new Parent(f[1], f[2], Long.parseLong(f[3]));
        case "users" -> users = f[1].equals("included");
        case "keyspace" -> keyspaces.add(new KeyspaceFile(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
            Role.valueOf(f[3].toUpperCase()), f[4], f[5], Long.parseLong(f[6]), Long.parseLong(f[7]),
            Long.parseLong(f[8]), f[9]));
        case "table" -> tables.add(new TableSummary(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4]));
        case "view" -> views.add(f[1]);
        default -> { } // a record a later minor revision added: the checksum says it is intact, so skip it
      }
    }
    if (kind == null || snapshotTime == null) {
      throw DataFile.corrupt(where, "it lacks its kind or snapshot line");
    }
    return new Manifest(kind, snapshotTs, snapshotTime, parent, users, keyspaces, tables, views);
  }

  private static void line(StringBuilder text, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        text.append('\t');
      }
      text.append(fields[i].replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
    }
    text.append('\n');
  }

  private static String[] fields(String line) {
    String[] raw = line.split("\t", -1);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = unescape(raw[i]);
    }
    return raw;
  }

  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 1 < field.length()) {
        char next = field.charAt(++i);
        out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
