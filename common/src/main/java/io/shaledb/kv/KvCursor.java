package io.shaledb.kv;

import java.util.Iterator;

/** An ordered iterator over a scan's entries that holds resources until closed. */
public interface KvCursor extends Iterator<KvEntry>, AutoCloseable {
  @Override
  void close();
}
