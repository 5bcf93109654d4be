package io.shaledb.sql.backup;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.KvStore;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.security.UserStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Takes a backup: every keyspace of the database (catalog, tables, indexes) read at one snapshot
 * timestamp through the transactional KV interface, while the database keeps serving reads and
 * writes.
 *
 * <p>The snapshot is a transaction that stays open until the backup ends: an open snapshot holds
 * back version collection (its read timestamp bounds the GC floor, on every node of a cluster), so
 * the versions the backup reads cannot be collected under it, however long it takes. Keyspaces are
 * read in parallel, each worker through its own transaction at the same timestamp, opened at the
 * start (a read that starts later could be refused once the timestamp leaves the retention window).
 *
 * <p>An incremental backup reads the keyspaces at its parent's snapshot too and writes only the
 * difference; the parent's snapshot must still be readable (inside the retention window).
 *
 * <p>The manifest is written last, atomically, after every data file is on disk: a backup that
 * fails or is killed leaves a directory restore refuses.
 */
public final class BackupWriter {
  /** The file the running backup reports its progress in, removed when it ends; for {@code shaledb backup}. */
  public static final String PROGRESS_FILE = "PROGRESS";
  private static final long PROGRESS_INTERVAL_MS = 250;

  private final KvStore kv;
  private final Clock clock;
  private final int workers;

  /** @param workers keyspaces read at the same time (at least 1) */
  public BackupWriter(KvStore kv, Clock clock, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1: " + workers);
    }
    this.kv = kv;
    this.clock = clock;
    this.workers = workers;
  }

  /**
   * What to back up and where.
   *
   * @param target a directory that does not exist or is empty
   * @param incrementalFrom the backup this one continues, or null for a full backup
   * @param asOfMillis the instant to back up (inside the retention window), or null for now
   * @param includeUsers whether users and grants are part of the backup
   */
  public record Request(Path target, Path incrementalFrom, Long asOfMillis, boolean includeUsers) {}

  /** What a finished backup holds. */
  public record Result(long snapshotTimestamp, Instant snapshotTime, int tables, long rows, long records, long bytes) {}

  public Result backup(Request request) {
    Path target = request.target().toAbsolutePath().normalize();
    BackupChain parentChain = request.incrementalFrom() == null ? null : BackupChain.verify(request.incrementalFrom());
    prepareDirectory(target);
    List<Transaction> snapshots = new ArrayList<>();
    List<Transaction> parentSnapshots = new ArrayList<>();
    Progress progress = new Progress(target.resolve(PROGRESS_FILE));
    try {
      Transaction first = request.asOfMillis() == null
          ? kv.begin() : kv.beginReadOnlyAt(kv.timestampAt(request.asOfMillis()));
      snapshots.add(first);
      long ts = first.startTimestamp();
      Instant snapshotTime = request.asOfMillis() == null ? clock.instant() : Instant.ofEpochMilli(request.asOfMillis());
      for (int i = 1; i < workers; i++) {
        snapshots.add(kv.beginReadOnlyAt(ts));
      }
      Manifest parent = null;
      BackupChain.Link parentLink = null;
      if (parentChain != null) {
        parentLink = parentChain.last();
        parent = parentLink.manifest();
        if (parent.snapshotTimestamp() >= ts) {
          throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "an incremental backup must be later than "
              + "the backup it continues (" + parent.snapshotTime() + ")");
        }
        for (int i = 0; i < workers; i++) {
          parentSnapshots.add(openParentSnapshot(parent));
        }
      }
      List<KvEntry> catalogEntries = readAll(first, Keyspaces.CATALOG, key -> true);
      List<Planned> planned = plan(Catalog.tablesIn(catalogEntries).values());
      progress.start(planned.size());
      Predicate<byte[]> catalogFilter = request.includeUsers() ? key -> true : key -> !UserStore.isUserOrGrantKey(key);
      final Manifest parentManifest = parent;
      List<Manifest.KeyspaceFile> files = runInParallel(planned, snapshots, parentSnapshots, (item, now, then) -> {
        boolean diff = parentManifest != null && parentManifest.keyspace(item.keyspaceId()) != null;
        Predicate<byte[]> filter = item.role() == Manifest.Role.CATALOG ? catalogFilter : key -> true;
        return writeKeyspace(target, item, now, diff ? then : null, filter, progress);
      });
      Manifest manifest = new Manifest(parent == null ? Manifest.Kind.FULL : Manifest.Kind.INCREMENTAL, ts,
          snapshotTime, parent == null ? null
              : new Manifest.Parent(parentLink.directory().toString(), parentLink.manifestSha256(),
                  parent.snapshotTimestamp()),
          request.includeUsers(), files, summaries(Catalog.tablesIn(catalogEntries).values(), files),
          new ArrayList<>(Catalog.viewsIn(catalogEntries).keySet()));
      progress.close();
      writeManifest(target, manifest);
      long rows = manifest.tables().stream().mapToLong(Manifest.TableSummary::rows).sum();
      return new Result(ts, snapshotTime, manifest.tables().size(), rows,
          files.stream().mapToLong(Manifest.KeyspaceFile::records).sum(),
          files.stream().mapToLong(Manifest.KeyspaceFile::bytes).sum());
    } finally {
      progress.close();
      snapshots.forEach(Transaction::close);
      parentSnapshots.forEach(Transaction::close);
    }
  }

  private Transaction openParentSnapshot(Manifest parent) {
    try {
      return kv.beginReadOnlyAt(parent.snapshotTimestamp());
    } catch (ShaleException e) {
      if (e.sqlState() != SqlState.SNAPSHOT_TOO_OLD) {
        throw e;
      }
      throw new ShaleException(SqlState.SNAPSHOT_TOO_OLD, "cannot back up incrementally from the backup of "
          + parent.snapshotTime() + ": its row versions are outside the retention window; take a full backup", e);
    }
  }

  /** One keyspace to write: the catalog, a table or an index. */
  private record Planned(int keyspaceId, int shardCount, Manifest.Role role, String name) {}

  private static List<Planned> plan(java.util.Collection<TableDef> tables) {
    List<Planned> planned = new ArrayList<>();
    planned.add(new Planned(Keyspaces.CATALOG, 1, Manifest.Role.CATALOG, "catalog"));
    for (TableDef table : tables) {
      planned.add(new Planned(table.tableId(), table.shardCount(), Manifest.Role.TABLE, table.name()));
      for (IndexDef index : table.indexes()) {
        planned.add(new Planned(index.indexId(), table.shardCount(), Manifest.Role.INDEX, index.name()));
      }
    }
    return planned;
  }

  private interface KeyspaceWork {
    Manifest.KeyspaceFile write(Planned item, Transaction now, Transaction then) throws IOException;
  }

  /**
   * Runs {@code work} for every planned keyspace on {@link #workers} threads; each thread borrows a
   * snapshot (and a parent snapshot) for one keyspace at a time. The first failure fails the backup.
   */
  private List<Manifest.KeyspaceFile> runInParallel(List<Planned> planned, List<Transaction> snapshots,
      List<Transaction> parentSnapshots, KeyspaceWork work) {
    BlockingQueue<Transaction[]> pairs = new ArrayBlockingQueue<>(workers);
    for (int i = 0; i < workers; i++) {
      pairs.add(new Transaction[] {snapshots.get(i), parentSnapshots.isEmpty() ? null : parentSnapshots.get(i)});
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
      Thread thread = new Thread(runnable, "shaledb-backup");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Manifest.KeyspaceFile>> futures = new ArrayList<>();
      for (Planned item : planned) {
        futures.add(pool.submit(() -> {
          Transaction[] pair = pairs.take();
          try {
            return work.write(item, pair[0], pair[1]);
          } finally {
            pairs.add(pair);
          }
        }));
      }
      List<Manifest.KeyspaceFile> files = new ArrayList<>();
      for (Future<Manifest.KeyspaceFile> future : futures) {
        files.add(future.get());
      }
      return files;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShaleException(SqlState.QUERY_CANCELED, "backup was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ShaleException shale) {
        throw new ShaleException(shale.sqlState(), "backup failed, nothing usable was written: " + shale.getMessage(),
            shale);
      }
      if (cause instanceof IOException io) {
        throw new ShaleException(SqlState.IO_ERROR, "backup failed writing its files: " + io.getMessage(), io);
      }
      throw new ShaleException(SqlState.INTERNAL_ERROR, "backup failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Writes one keyspace's file: its entries at {@code now}, or with {@code then} (the parent's
   * snapshot) the puts and deletes that turn the keyspace at {@code then} into the one at {@code now}.
   */
  private static Manifest.KeyspaceFile writeKeyspace(Path target, Planned item, Transaction now, Transaction then,
      Predicate<byte[]> filter, Progress progress) throws IOException {
    String fileName = "ks-" + item.keyspaceId() + ".skv";
    Path path = target.resolve(fileName);
    long rows = 0;
    DataFile.Written written;
    try (DataFile.Writer writer = new DataFile.Writer(path, item.keyspaceId());
        KvCursor current = now.scan(ScanSpec.wholeKeyspace(item.keyspaceId()));
        KvCursor previous = then == null ? null : then.scan(ScanSpec.wholeKeyspace(item.keyspaceId()))) {
      KvEntry next = advance(current, filter);
      KvEntry old = previous == null ? null : advance(previous, filter);
      while (next != null || old != null) {
        int order = next == null ? 1 : old == null ? -1 : ByteArrays.compare(next.key(), old.key());
        if (order < 0) {
          writer.put(next.key(), next.value());
        } else if (order > 0) {
          writer.delete(old.key());
        } else if (!Arrays.equals(next.value(), old.value())) {
          writer.put(next.key(), next.value());
        }
        if (order <= 0) {
          rows++;
          next = advance(current, filter);
          progress.rowRead();
        }
        if (order >= 0) {
          old = advance(previous, filter);
        }
      }
      written = writer.finish();
    }
    force(path);
    progress.keyspaceDone(written.bytes());
    return new Manifest.KeyspaceFile(item.keyspaceId(), item.shardCount(), item.role(), item.name(), fileName,
        rows, written.records(), written.bytes(), written.sha256());
  }

  private static KvEntry advance(KvCursor cursor, Predicate<byte[]> filter) {
    while (cursor.hasNext()) {
      KvEntry entry = cursor.next();
      if (filter.test(entry.key())) {
        return entry;
      }
    }
    return null;
  }

  private static List<KvEntry> readAll(Transaction txn, int keyspaceId, Predicate<byte[]> filter) {
    List<KvEntry> entries = new ArrayList<>();
    try (KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(keyspaceId))) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        if (filter.test(entry.key())) {
          entries.add(entry);
        }
      }
    }
    return entries;
  }

  /** Row counts per table: a table keyspace's entries are its rows. */
  private static List<Manifest.TableSummary> summaries(java.util.Collection<TableDef> tables,
      List<Manifest.KeyspaceFile> files) {
    List<Manifest.TableSummary> summaries = new ArrayList<>();
    for (TableDef table : tables) {
      long rows = files.stream().filter(f -> f.keyspaceId() == table.tableId()).mapToLong(Manifest.KeyspaceFile::entries)
          .findFirst().orElse(0);
      String columns = table.columns().stream().map(c -> c.name() + ":" + typeName(c))
          .collect(Collectors.joining(","));
      summaries.add(new Manifest.TableSummary(table.name(), table.tableId(), rows, columns));
    }
    return summaries;
  }

  private static String typeName(ColumnDef column) {
    return String.valueOf(column.type());
  }

  private static void prepareDirectory(Path target) {
    try {
      Files.createDirectories(target);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
        if (entries.iterator().hasNext()) {
          throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "backup directory " + target
              + " is not empty; a backup needs a new or empty directory");
        }
      }
    } catch (IOException e) {
      throw new ShaleException(SqlState.IO_ERROR, "cannot create backup directory " + target + ": " + e.getMessage(), e);
    }
  }

  private static void writeManifest(Path target, Manifest manifest) {
    Path temporary = target.resolve(Manifest.FILE_NAME + ".tmp");
    try {
      Files.write(temporary, manifest.encode(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      force(temporary);
      Files.move(temporary, target.resolve(Manifest.FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
      force(target);
    } catch (IOException e) {
      throw new ShaleException(SqlState.IO_ERROR, "cannot write the manifest of backup " + target + ": "
          + e.getMessage(), e);
    }
  }

  /** Forces a file (or a directory's entries, where the platform allows) to disk. */
  private static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, Files.isDirectory(path)
        ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(path)) {
        throw e;
      }
      // Some file systems cannot sync a directory; the rename is still atomic.
    }
  }

  /** Counts what the workers wrote and rewrites the progress file at most every {@value #PROGRESS_INTERVAL_MS} ms. */
  private final class Progress {
    private final Path file;
    private int keyspacesTotal;
    private int keyspacesDone;
    private long rows;
    private long bytes;
    private long writtenAtMs;
    private boolean closed;

    Progress(Path file) {
      this.file = file;
    }

    synchronized void start(int total) {
      keyspacesTotal = total;
      write();
    }

    synchronized void rowRead() {
      rows++;
      if ((rows & 1023) == 0 && clock.millis() - writtenAtMs >= PROGRESS_INTERVAL_MS) {
        write();
      }
    }

    synchronized void keyspaceDone(long fileBytes) {
      keyspacesDone++;
      bytes += fileBytes;
      write();
    }

    private void write() {
      if (closed) {
        return;
      }
      writtenAtMs = clock.millis();
      String line = keyspacesDone + " " + keyspacesTotal + " " + rows + " " + bytes + "\n";
      try {
        Path temporary = file.resolveSibling(PROGRESS_FILE + ".tmp");
        Files.writeString(temporary, line, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Only a report for people watching: a backup does not fail for want of it.
      }
    }

    synchronized void close() {
      closed = true;
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Only a progress report; the manifest decides whether the backup is complete.
      }
    }
  }
}
