package io.shaledb.txn;

/** The life of a transaction: ACTIVE -> (COMMITTING ->) COMMITTED or ROLLED_BACK. */
enum TxnState {
  ACTIVE,
  COMMITTING,
  COMMITTED,
  ROLLED_BACK;

  boolean canMoveTo(TxnState next) {
    return switch (this) {
      case ACTIVE -> next == COMMITTING || next == COMMITTED || next == ROLLED_BACK;
      case COMMITTING -> next == COMMITTED || next == ROLLED_BACK;
      case COMMITTED, ROLLED_BACK -> false;
    };
  }
}
