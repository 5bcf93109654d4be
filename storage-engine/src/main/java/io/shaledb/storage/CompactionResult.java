package io.shaledb.storage;

/** What {@link NodeStorage#compact} or {@link NodeStorage#compactIfWasteful} did. */
public sealed interface CompactionResult {

  /**
   * The store was not rewritten: it is below the size that makes compaction worth its cost.
   *
   * @param storeBytes the store's size
   * @param thresholdBytes the size above which it would have been compacted
   */
  record NotDue(long storeBytes, long thresholdBytes) implements CompactionResult {}

  /**
   * The store was rewritten with its live entries only and replaced atomically.
   *
   * @param bytesBefore the store's size before
   * @param bytesAfter the new store's size
   * @param entriesCopied map entries copied by the streaming pass
   * @param keysRecopied keys written meanwhile and copied again before the swap
   */
  record Compacted(long bytesBefore, long bytesAfter, long entriesCopied, long keysRecopied) implements CompactionResult {
    public Compacted {
      if (bytesBefore < 0 || bytesAfter < 0 || entriesCopied < 0 || keysRecopied < 0) {
        throw new IllegalArgumentException("negative count in " + bytesBefore + ", " + bytesAfter + ", " + entriesCopied + ", " + keysRecopied);
      }
    }
  }
}
