package io.shaledb.storage;

/**
 * What one garbage collection pass over a shard (or, summed with {@link #plus}, over several)
 * found and removed.
 *
 * @param versionsKept versions (tombstones included) still in the shard after the pass
 * @param versionsRemoved versions removed, tombstones included
 * @param tombstonesRemoved tombstones among {@code versionsRemoved}
 * @param txnRecordsKept transaction status records still in the shard after the pass
 * @param txnRecordsRemoved transaction status records removed
 */
public record GcResult(
    long versionsKept, long versionsRemoved, long tombstonesRemoved, long txnRecordsKept, long txnRecordsRemoved) {
  public static final GcResult NONE = new GcResult(0, 0, 0, 0, 0);

  public GcResult {
    if (versionsKept < 0 || versionsRemoved < 0 || tombstonesRemoved < 0 || txnRecordsKept < 0 || txnRecordsRemoved < 0) {
      throw new IllegalArgumentException("negative count in " + versionsKept + ", " + versionsRemoved + ", "
          + tombstonesRemoved + ", " + txnRecordsKept + ", " + txnRecordsRemoved);
    }
    if (tombstonesRemoved > versionsRemoved) {
      throw new IllegalArgumentException("more tombstones than versions removed");
    }
  }

  public GcResult plus(GcResult other) {
    return new GcResult(
        versionsKept + other.versionsKept,
        versionsRemoved + other.versionsRemoved,
        tombstonesRemoved + other.tombstonesRemoved,
        txnRecordsKept + other.txnRecordsKept,
        txnRecordsRemoved + other.txnRecordsRemoved);
  }
}
