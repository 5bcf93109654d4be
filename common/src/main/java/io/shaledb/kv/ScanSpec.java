package io.shaledb.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A range scan: keys {@code >= startInclusive} and {@code < endExclusive} inside one keyspace,
 * at most {@code limit} entries. {@code filter}, if not null, lets the shards drop rows the reader
 * will discard and blank columns it does not read (see {@link RowFilter}); the limit counts the
 * entries that reach the reader.
 */
public record ScanSpec(byte[] startInclusive, byte[] endExclusive, long limit, RowFilter filter) {

  public static final long NO_LIMIT = Long.MAX_VALUE;

  public ScanSpec {
    Objects.requireNonNull(startInclusive, "startInclusive");
    Objects.requireNonNull(endExclusive, "endExclusive");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
    if (startInclusive.length < Keyspaces.PREFIX_BYTES || endExclusive.length < Keyspaces.PREFIX_BYTES) {
      throw new IllegalArgumentException("scan bounds must start with a keyspace prefix");
    }
    if (Keyspaces.keyspaceOf(startInclusive) != Keyspaces.keyspaceOf(endExclusive)
        && !Arrays.equals(endExclusive, Keyspaces.prefixEnd(Keyspaces.keyspaceOf(startInclusive)))) {
      throw new IllegalArgumentException("a scan must stay inside one keyspace");
    }
  }

  /** Without a filter. */
  public ScanSpec(byte[] startInclusive, byte[] endExclusive, long limit) {
    this(startInclusive, endExclusive, limit, null);
  }

  /** Every key of a keyspace. */
  public static ScanSpec wholeKeyspace(int keyspaceId) {
    return new ScanSpec(Keyspaces.prefix(keyspaceId), Keyspaces.prefixEnd(keyspaceId), NO_LIMIT);
  }

  /** Every key that starts with {@code prefix} (which starts with a keyspace prefix). */
  public static ScanSpec withPrefix(byte[] prefix) {
    return new ScanSpec(prefix, ByteArrays.prefixEnd(prefix), NO_LIMIT);
  }

  public ScanSpec withLimit(long newLimit) {
    return new ScanSpec(startInclusive, endExclusive, newLimit, filter);
  }

  public ScanSpec withFilter(RowFilter newFilter) {
    return new ScanSpec(startInclusive, endExclusive, limit, newFilter);
  }

  public int keyspaceId() {
    return Keyspaces.keyspaceOf(startInclusive);
  }

  public boolean contains(byte[] key) {
    return ByteArrays.compare(key, startInclusive) >= 0 && ByteArrays.compare(key, endExclusive) < 0;
  }
}
