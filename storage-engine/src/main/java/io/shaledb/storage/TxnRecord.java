package io.shaledb.storage;

/** Encoding of a transaction status record kept by the primary key's shard: committed at a timestamp, or rolled back. */
final class TxnRecord {
  private static final byte COMMITTED = 1;
  private static final byte ROLLED_BACK = 2;

  private TxnRecord() {}

  static byte[] committed(long commitTs) {
    byte[] out = new byte[9];
    out[0] = COMMITTED;
    KeyCodec.writeLong(out, 1, commitTs);
    return out;
  }

  static byte[] rolledBack() {
    return new byte[] {ROLLED_BACK};
  }

  /** The final status the record holds: {@link TxnStatus.Committed} or {@link TxnStatus.RolledBack}. */
  static TxnStatus decode(byte[] encoded) {
    return switch (encoded[0]) {
      case COMMITTED -> new TxnStatus.Committed(KeyCodec.readLong(encoded, 1));
      case ROLLED_BACK -> TxnStatus.ROLLED_BACK;
      default -> throw new IllegalStateException("corrupt transaction record tag " + encoded[0]);
    };
  }
}
