package io.shaledb.storage;

import java.util.Iterator;

/** Ascending scan results of one shard; each item is a {@link ReadResult.Value} or {@link ReadResult.Locked}. */
public interface ScanIterator extends Iterator<ScanItem>, AutoCloseable {
  @Override
  void close();
}
