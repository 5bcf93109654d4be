package io.shaledb.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.embedded.EmbeddedNode;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.storage.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BACKUP DATABASE / RESTORE DATABASE / RESTORE TABLE on embedded databases: what is restored is
 * the source as of the backup's snapshot (compared table by table with the source read then), a
 * chain of incremental backups restores to its last snapshot, and a damaged or unfinished backup is
 * refused before anything is written.
 */
class BackupRestoreTest {
  @TempDir Path dir;

  private final List<EmbeddedNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(EmbeddedNode::close);
  }

  private Session open() {
    EmbeddedNode node = EmbeddedNode.open(new StorageConfig(null, Clock.systemUTC()));
    nodes.add(node);
    return node.engine().openSession();
  }

  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20) NOT NULL, city VARCHAR(20), "
          + "CHECK (id > 0))",
      "CREATE INDEX customers_city ON customers (city)",
      "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT REFERENCES customers(id), total DECIMAL(10, 2), "
          + "note TEXT) SHARDS 4",
      "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100");

  private static void fill(Session s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      execute(s, "INSERT INTO customers (name, city) VALUES ('c" + i + "', 'city" + (i % 7) + "')");
    }
    StringBuilder insert = new StringBuilder("INSERT INTO orders VALUES ");
    for (int i = from; i < from + count; i++) {
      insert.append(i == from ? "" : ", ").append("(").append(i).append(", ").append(1 + (i % 5)).append(", ")
          .append(i * 3).append(".25, 'note ").append(i).append("')");
    }
    execute(s, insert.toString());
  }

  @Test
  void fullBackupRestoresTablesIndexesViewsChecksAndSequences() {
    Session source = open();
    SCHEMA.forEach(sql -> execute(source, sql));
    fill(source, 1, 300);
    Map<String, List<String>> before = snapshot(source);

    List<String> result = rows(source, "BACKUP DATABASE TO '" + dir.resolve("full") + "'");
    assertEquals(1, result.size());
    assertTrue(result.get(0).contains("|2|600|"), result.get(0)); // two tables, 600 rows

    Session target = open();
    List<String> restored = rows(target, "RESTORE DATABASE FROM '" + dir.resolve("full") + "'");
    // One backup applied, two tables, 1200 records: the rows of both tables, the entries of customers_city
    // and of the index behind the foreign key.
    assertTrue(restored.get(0).endsWith("|1|2|1200"), restored.get(0));
    assertEquals(before, snapshot(target));
    assertEquals(rows(source, "SELECT * FROM big_orders ORDER BY id"), rows(target, "SELECT * FROM big_orders ORDER BY id"));
    // The index is there and used; the sequence continues after the restored values; checks hold.
    assertTrue(String.join("\n", rows(target, "EXPLAIN PLAN FOR SELECT name FROM customers WHERE city = 'city3'"))
        .contains("customers_city"));
    assertEquals(rows(source, "SELECT name FROM customers WHERE city = 'city3' ORDER BY name"),
        rows(target, "SELECT name FROM customers WHERE city = 'city3' ORDER BY name"));
    execute(target, "INSERT INTO customers (name) VALUES ('new')");
    assertEquals(List.of("301"), rows(target, "SELECT id FROM customers WHERE name = 'new'"));
    assertEquals(SqlState.CHECK_VIOLATION, error(target, "INSERT INTO customers (id, name) VALUES (-1, 'x')").sqlState());
    // A database with tables is not a target for RESTORE DATABASE.
    assertEquals(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
        error(target, "RESTORE DATABASE FROM '" + dir.resolve("full") + "'").sqlState());
  }

  @Test
  void restoreTableIntoALiveDatabaseUnderANewName() {
    Session source = open();
    SCHEMA.forEach(sql -> execute(source, sql));
    fill(source, 1, 50);
    List<String> customers = rows(source, "SELECT * FROM customers ORDER BY id");
    execute(source, "BACKUP DATABASE TO '" + dir.resolve("b") + "'");
    execute(source, "DELETE FROM customers WHERE id > 10");

    execute(source, "RESTORE TABLE customers FROM '" + dir.resolve("b") + "' AS customers_back");
    assertEquals(customers, rows(source, "SELECT * FROM customers_back ORDER BY id"));
    assertEquals(rows(source, "SELECT name FROM customers_back WHERE city = 'city2' ORDER BY name"),
        customers.stream().filter(r -> r.endsWith("|city2")).map(r -> r.split("\\|")[1]).sorted().toList());
    execute(source, "INSERT INTO customers_back (name) VALUES ('next')");
    // The sequence continues above every value it handed out (blocks of 100 are reserved, so from 101).
    assertTrue(Long.parseLong(rows(source, "SELECT id FROM customers_back WHERE name = 'next'").get(0)) > 50);
    assertEquals(SqlState.DUPLICATE_TABLE, error(source, "RESTORE TABLE customers FROM '" + dir.resolve("b") + "'").sqlState());
    assertEquals(SqlState.UNDEFINED_TABLE, error(source, "RESTORE TABLE nope FROM '" + dir.resolve("b") + "'").sqlState());
  }

  @Test
  void aTableWithoutPrimaryKeyKeepsItsDuplicateRowsAndNeverReusesARowId() {
    Session source = open();
    execute(source, "CREATE TABLE visits (page VARCHAR(10), n INT)");
    execute(source, "CREATE INDEX visits_page ON visits (page)");
    execute(source, "INSERT INTO visits VALUES ('a', 1), ('a', 1), ('b', 2)");
    List<String> rowIds = rows(source, "SELECT _shaledb_rowid FROM visits ORDER BY _shaledb_rowid");
    execute(source, "BACKUP DATABASE TO '" + dir.resolve("heap") + "'");

    Session target = open();
    execute(target, "RESTORE DATABASE FROM '" + dir.resolve("heap") + "'");
    assertEquals(List.of("a|1", "a|1", "b|2"), rows(target, "SELECT * FROM visits ORDER BY page"));
    assertEquals(rowIds, rows(target, "SELECT _shaledb_rowid FROM visits ORDER BY _shaledb_rowid"));
    assertEquals(List.of("2"), rows(target, "SELECT COUNT(*) FROM visits WHERE page = 'a'"));
    execute(target, "UPDATE visits SET n = 5 WHERE page = 'a'");
    execute(target, "INSERT INTO visits VALUES ('c', 3)");
    long newRowId = Long.parseLong(rows(target, "SELECT _shaledb_rowid FROM visits WHERE page = 'c'").get(0));
    assertTrue(rowIds.stream().allMatch(id -> Long.parseLong(id) < newRowId), rowIds + " then " + newRowId);
    assertEquals(List.of("a|5", "a|5", "b|2", "c|3"), rows(target, "SELECT * FROM visits ORDER BY page"));
  }

  @Test
  void incrementalChainRestoresTheSourceAtEachBackup() throws Exception {
    Session source = open();
    SCHEMA.forEach(sql -> execute(source, sql));
    fill(source, 1, 200);
    execute(source, "CREATE TABLE dropped_later (id INT PRIMARY KEY)");
    execute(source, "INSERT INTO dropped_later VALUES (1), (2)");
    execute(source, "BACKUP DATABASE TO '" + dir.resolve("full") + "'");

    execute(source, "UPDATE orders SET total = total + 1 WHERE id < 50");
    execute(source, "DELETE FROM orders WHERE id BETWEEN 100 AND 120");
    fill(source, 201, 20);
    execute(source, "CREATE TABLE created_later (id INT PRIMARY KEY, v VARCHAR(5))");
    execute(source, "INSERT INTO created_later VALUES (1, 'a')");
    Map<String, List<String>> atFirst = snapshot(source);
    String first = rows(source, "BACKUP DATABASE TO '" + dir.resolve("inc1") + "' INCREMENTAL FROM '"
        + dir.resolve("full") + "'").get(0);
    String firstTime = first.split("\\|")[1];

    execute(source, "DROP TABLE dropped_later");
    execute(source, "DELETE FROM customers WHERE city = 'city1' AND id > 5");
    execute(source, "UPDATE created_later SET v = 'b'");
    execute(source, "CREATE INDEX orders_total ON orders (total)");
    Map<String, List<String>> atSecond = snapshot(source);
    execute(source, "BACKUP DATABASE TO '" + dir.resolve("inc2") + "' INCREMENTAL FROM '" + dir.resolve("inc1") + "'");
    execute(source, "DELETE FROM orders"); // after the last backup: must not show

    // Incremental files hold only changes: far smaller than the full backup's.
    assertTrue(size(dir.resolve("inc2")) < size(dir.resolve("full")) / 2, size(dir.resolve("inc2")) + " vs "
        + size(dir.resolve("full")));

    Session latest = open();
    execute(latest, "RESTORE DATABASE FROM '" + dir.resolve("inc2") + "'");
    assertEquals(atSecond, snapshot(latest));
    assertEquals(rows(latest, "SELECT id FROM orders WHERE total = 28.25"), List.of("9"));

    Session middle = open();
    execute(middle, "RESTORE DATABASE FROM '" + dir.resolve("inc2") + "' AS OF '" + firstTime + "'");
    assertEquals(atFirst, snapshot(middle));
  }

  @Test
  void damagedMissingOrUnfinishedBackupsAreRefusedAndTheTargetIsUntouched() throws IOException {
    Session source = open();
    SCHEMA.forEach(sql -> execute(source, sql));
    fill(source, 1, 100);
    Path good = dir.resolve("good");
    execute(source, "BACKUP DATABASE TO '" + good + "'");
    List<Path> files;
    try (Stream<Path> list = Files.list(good)) {
      files = list.sorted().toList();
    }
    assertTrue(files.size() >= 5, files.toString()); // manifest, catalog, two tables, an index

    Session target = open();
    int variant = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      // One flipped byte at each end and in the middle, a truncation, a missing file.
      for (int position : new int[] {0, bytes.length / 2, bytes.length - 1}) {
        byte[] flipped = bytes.clone();
        flipped[position] ^= 0x01;
        assertRefused(target, damagedCopy(good, files, file, flipped, "flip" + variant++), SqlState.DATA_CORRUPTED);
      }
      assertRefused(target, damagedCopy(good, files, file, Arrays.copyOf(bytes, bytes.length - 1), "cut" + variant++),
          SqlState.DATA_CORRUPTED);
      assertRefused(target, damagedCopy(good, files, file, null, "gone" + variant++), SqlState.DATA_CORRUPTED);
    }
    // A directory with data files but without a manifest is what a killed backup leaves.
    Path unfinished = damagedCopy(good, files, good.resolve("MANIFEST"), null, "unfinished");
    ShaleException error = assertRefused(target, unfinished, SqlState.DATA_CORRUPTED);
    assertTrue(error.getMessage().contains("no complete backup"), error.getMessage());
    assertRefused(target, dir.resolve("does-not-exist"), SqlState.IO_ERROR);

    execute(target, "RESTORE DATABASE FROM '" + good + "'");
    assertEquals(snapshot(source), snapshot(target));
  }

  @Test
  void aBackupThatFailsLeavesNothingRestoreAccepts() {
    Session source = open();
    SCHEMA.forEach(sql -> execute(source, sql));
    fill(source, 1, 20);
    Path target = dir.resolve("t");
    execute(source, "BACKUP DATABASE TO '" + target + "'");
    // The directory is not empty now: a second backup into it is refused, the first one stays intact.
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, error(source, "BACKUP DATABASE TO '" + target + "'").sqlState());
    Session restored = open();
    execute(restored, "RESTORE DATABASE FROM '" + target + "'");
    assertEquals(snapshot(source), snapshot(restored));
  }

  @Test
  void onlyTheAdminMayBackUpOrRestore() {
    EmbeddedNode node = EmbeddedNode.open(new StorageConfig(null, Clock.systemUTC()));
    nodes.add(node);
    Session admin = node.engine().openSession();
    execute(admin, "CREATE USER ann PASSWORD 'secret-secret'");
    Session ann = node.engine().openSession(new Principal("ann"));
    assertEquals(SqlState.INSUFFICIENT_PRIVILEGE, error(ann, "BACKUP DATABASE TO '" + dir.resolve("x") + "'").sqlState());
    assertEquals(SqlState.INSUFFICIENT_PRIVILEGE, error(ann, "RESTORE DATABASE FROM '" + dir.resolve("x") + "'").sqlState());
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void backupDuringBankTransfersHoldsExactlyTheTransfersBeforeItsSnapshot() throws Exception {
    EmbeddedNode node = EmbeddedNode.open(new StorageConfig(null, Clock.systemUTC()));
    nodes.add(node);
    Session setup = node.engine().openSession();
    int accounts = 20;
    execute(setup, "CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL) SHARDS 4");
    execute(setup, "CREATE TABLE transfers (id BIGINT PRIMARY KEY, src INT, dst INT, amount BIGINT) SHARDS 4");
    for (int i = 0; i < accounts; i++) {
      execute(setup, "INSERT INTO accounts VALUES (" + i + ", 1000)");
    }
    // Per transfer id: when its COMMIT was sent and when it was acknowledged (nanoTime).
    Map<Long, long[]> committed = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      long seed = w;
      Thread worker = new Thread(() -> {
        java.util.Random random = new java.util.Random(seed);
        try (Session s = node.engine().openSession()) {
          while (!stop.get()) {
            long id = ids.incrementAndGet();
            int src = random.nextInt(accounts);
            int dst = (src + 1 + random.nextInt(accounts - 1)) % accounts;
            long amount = 1 + random.nextInt(50);
            try {
              execute(s, "BEGIN");
              execute(s, "UPDATE accounts SET balance = balance - " + amount + " WHERE id = " + src);
              execute(s, "UPDATE accounts SET balance = balance + " + amount + " WHERE id = " + dst);
              execute(s, "INSERT INTO transfers VALUES (" + id + ", " + src + ", " + dst + ", " + amount + ")");
              long sent = System.nanoTime();
              execute(s, "COMMIT");
              committed.put(id, new long[] {sent, System.nanoTime()});
            } catch (ShaleException e) {
              assertEquals(SqlState.SERIALIZATION_FAILURE, e.sqlState(), e.getMessage());
              s.rollback();
            }
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    while (committed.size() < 20) {
      Thread.sleep(50);
    }
    long backupStarted = System.nanoTime();
    execute(setup, "BACKUP DATABASE TO '" + dir.resolve("bank") + "'");
    long backupEnded = System.nanoTime();
    int atEnd = committed.size();
    while (committed.size() < atEnd + 20) {
      Thread.sleep(50);
    }
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }

    Session restored = open();
    execute(restored, "RESTORE DATABASE FROM '" + dir.resolve("bank") + "'");
    assertEquals(List.of(Long.toString(accounts * 1000L)), rows(restored, "SELECT SUM(balance) FROM accounts"));
    java.util.Set<Long> present = new java.util.HashSet<>();
    long[] expected = new long[accounts];
    Arrays.fill(expected, 1000);
    for (String row : rows(restored, "SELECT id, src, dst, amount FROM transfers")) {
      String[] f = row.split("\\|");
      present.add(Long.parseLong(f[0]));
      expected[Integer.parseInt(f[1])] -= Long.parseLong(f[3]);
      expected[Integer.parseInt(f[2])] += Long.parseLong(f[3]);
    }
    // The balances are exactly the effect of the transfers the backup holds: no transfer is half in it.
    for (String row : rows(restored, "SELECT id, balance FROM accounts")) {
      String[] f = row.split("\\|");
      assertEquals(expected[Integer.parseInt(f[0])], Long.parseLong(f[1]), "account " + f[0]);
    }
    int before = 0;
    int after = 0;
    for (Map.Entry<Long, long[]> transfer : committed.entrySet()) {
      if (transfer.getValue()[1] < backupStarted) {
        before++;
        assertTrue(present.contains(transfer.getKey()), "transfer acknowledged before the backup is missing");
      }
      if (transfer.getValue()[0] > backupEnded) {
        after++;
        assertFalse(present.contains(transfer.getKey()), "transfer committed after the backup is in it");
      }
    }
    assertTrue(before > 0 && after > 0, "transfers before " + before + ", after " + after);
    assertTrue(present.stream().allMatch(committed::containsKey), "a transfer that never committed is in the backup");
  }

  private static ShaleException assertRefused(Session target, Path backup, SqlState state) {
    ShaleException error = error(target, "RESTORE DATABASE FROM '" + backup + "'");
    assertEquals(state, error.sqlState(), error.getMessage());
    assertEquals(List.of(), rows(target, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"),
        "the target is untouched after " + error.getMessage());
    return error;
  }

  /** A copy of backup {@code good} in which {@code damaged} has {@code bytes} (or is missing, if null). */
  private Path damagedCopy(Path good, List<Path> files, Path damaged, byte[] bytes, String name) throws IOException {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy);
    for (Path file : files) {
      if (!file.equals(damaged)) {
        Files.copy(file, copy.resolve(file.getFileName()));
      } else if (bytes != null) {
        Files.write(copy.resolve(file.getFileName()), bytes);
      }
    }
    return copy;
  }

  private static long size(Path backup) throws IOException {
    try (Stream<Path> list = Files.list(backup)) {
      return list.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Every table's rows, sorted, by table name. */
  static Map<String, List<String>> snapshot(Session s) {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String table : rows(s, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        + "AND table_type = 'BASE TABLE'")) {
      List<String> rows = new ArrayList<>(rows(s, "SELECT * FROM \"" + table + "\""));
      rows.sort(null);
      tables.put(table, rows);
    }
    return tables;
  }

  static void execute(Session s, String sql) {
    ExecutionResult result = s.execute(sql);
    if (result instanceof ExecutionResult.Rows rows) {
      rows.cursor().close();
    }
  }

  static List<String> rows(Session s, String sql) {
    List<String> rows = new ArrayList<>();
    try (var cursor = ((ExecutionResult.Rows) s.execute(sql)).cursor()) {
      while (!cursor.isDone()) {
        for (Object[] row : cursor.fetch(1000)) {
          rows.add(String.join("|", Arrays.stream(row).map(String::valueOf).toList()));
        }
      }
    }
    return rows;
  }

  static ShaleException error(Session s, String sql) {
    return assertThrows(ShaleException.class, () -> rows(s, sql), sql);
  }
}
