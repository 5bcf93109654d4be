package io.shaledb.sql.stats;

import io.shaledb.kv.KvStore;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.TableDef;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers tables' statistics (ANALYZE) and keeps them fresh: it counts the rows each table's
 * statements wrote since its last ANALYZE, and once they reach {@link #REFRESH_MIN_ROWS} plus
 * {@link #REFRESH_SHARE} of the rows that ANALYZE counted (PostgreSQL's autovacuum analyze rule),
 * analyzes the table again on the refresh executor, one table at a time. The counts are kept in
 * memory per engine (a restart starts them at zero) and include writes of transactions that later
 * rolled back. Thread-safe.
 */
public final class StatisticsKeeper {
  public static final long REFRESH_MIN_ROWS = 500;
  public static final double REFRESH_SHARE = 0.2;

  private final Catalog catalog;
  private final KvStore kv;
  private final Clock clock;
  private final Executor refreshExecutor;
  private final Map<Integer, AtomicLong> modifiedSinceAnalyze = new ConcurrentHashMap<>();
  private final Set<Integer> refreshing = ConcurrentHashMap.newKeySet();

  /**
   * @param refreshExecutor runs automatic refreshes, or null for none; refreshes it rejects are skipped until the
   *     next write
   */
  public StatisticsKeeper(Catalog catalog, KvStore kv, Clock clock, Executor refreshExecutor) {
    this.catalog = catalog;
    this.kv = kv;
    this.clock = clock;
    this.refreshExecutor = refreshExecutor;
  }

  /** Reads every row of {@code table} at a new snapshot and stores what it found in the catalog. */
  public TableStatistics analyze(TableDef table) {
    AtomicLong modified = modifiedSinceAnalyze.computeIfAbsent(table.tableId(), id -> new AtomicLong());
    long seenBefore = modified.get();
    TableStatistics statistics;
    try (Transaction txn = kv.begin()) {
      statistics = TableAnalyzer.analyze(txn, table, clock.millis());
    }
    catalog.storeStatistics(table.tableId(), statistics);
    // Writes counted while the scan ran may be missing from it: they count towards the next refresh.
    modified.addAndGet(-seenBefore);
    return statistics;
  }

  /** Counts {@code rows} rows written to {@code table} and starts a refresh if that makes its statistics stale. */
  public void recordModified(TableDef table, long rows) {
    if (rows <= 0 || refreshExecutor == null) {
      return;
    }
    int tableId = table.tableId();
    long modified = modifiedSinceAnalyze.computeIfAbsent(tableId, id -> new AtomicLong()).addAndGet(rows);
    long analyzedRows = catalog.statistics(tableId).map(TableStatistics::rowCount).orElse(0L);
    if (modified < REFRESH_MIN_ROWS + REFRESH_SHARE * analyzedRows || !refreshing.add(tableId)) {
      return;
    }
    try {
      refreshExecutor.execute(() -> {
        try {
          Optional<TableDef> current = catalog.tables().stream().filter(t -> t.tableId() == tableId).findFirst();
          current.ifPresent(this::analyze);
        } catch (RuntimeException e) {
          // A conflict with concurrent DDL, or a table dropped meanwhile: the next write tries again.
        } finally {
          refreshing.remove(tableId);
        }
      });
    } catch (RejectedExecutionException e) {
      refreshing.remove(tableId);
    }
  }

  /** Rows written to table {@code tableId} since its last ANALYZE (by this engine). */
  public long modifiedSinceAnalyze(int tableId) {
    AtomicLong modified = modifiedSinceAnalyze.get(tableId);
    return modified == null ? 0 : modified.get();
  }
}
