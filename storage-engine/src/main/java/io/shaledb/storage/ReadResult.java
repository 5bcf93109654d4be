package io.shaledb.storage;

/** What a read at a timestamp finds at a key. */
public sealed interface ReadResult {
  /** The newest visible committed version; never a tombstone. */
  record Value(byte[] value, long commitTs) implements ReadResult {}

  /** Nothing visible: never written, deleted, or written only after the read timestamp. */
  record Absent() implements ReadResult {}

  /** A lock that may hide a version the read must see; resolve it and read again. */
  record Locked(LockInfo lock) implements ReadResult {}

  ReadResult ABSENT = new Absent();
}
