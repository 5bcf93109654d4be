package io.shaledb.sql.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what statements ask of the storage (point gets, range scans opened, rows read by scans),
 * so tests and EXPLAIN ANALYZE-style tools can tell a key lookup from a scan.
 */
public final class StorageReadCounter {
  private final AtomicLong pointGets = new AtomicLong();
  private final AtomicLong rangeScans = new AtomicLong();
  private final AtomicLong rowsScanned = new AtomicLong();

  public void pointGet() {
    pointGets.incrementAndGet();
  }

  void rangeScan() {
    rangeScans.incrementAndGet();
  }

  void rowRead() {
    rowsScanned.incrementAndGet();
  }

  public long pointGets() {
    return pointGets.get();
  }

  public long rangeScans() {
    return rangeScans.get();
  }

  public long rowsScanned() {
    return rowsScanned.get();
  }
}
