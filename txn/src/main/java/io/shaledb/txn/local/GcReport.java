package io.shaledb.txn.local;

import io.shaledb.storage.CompactionResult;
import io.shaledb.storage.GcResult;
import java.util.Objects;

/**
 * What one garbage collection pass over a node's shards did.
 *
 * @param safeTimestamp versions no read at or after it needs were removed; reads below it are refused from now on
 * @param abandonedLocksResolved locks of finished or dead transactions that started before {@code safeTimestamp},
 *     resolved so that their status records could go
 * @param storage what the shards kept and removed
 * @param compaction whether the node's store was then rewritten to give the freed space back
 */
public record GcReport(long safeTimestamp, int abandonedLocksResolved, GcResult storage, CompactionResult compaction) {
  public GcReport {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(compaction, "compaction");
  }
}
